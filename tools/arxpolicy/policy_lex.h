/*
 * Private to tools/arxpolicy: the policy text's bytes and tokens, one line
 * at a time (a statement never spans lines).
 */
#ifndef ARXPOLICY_LEX_H
#define ARXPOLICY_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum tok_kind { TOK_END, TOK_IDENT, TOK_STRING, TOK_ARROW, TOK_COLON, TOK_EQUALS, TOK_STAR };

struct tok {
	enum tok_kind kind;
	const char *s; /* an identifier, or a string's contents (quotes excluded) */
	size_t len;
};

struct lexer {
	const char *p, *end; /* what is left of the line */
	char msg[128];       /* the problem, when lex_next fails */
};

/*
 * Checks a line's bytes (newline and a CR before it excluded): printable
 * ASCII and tabs, and UTF-8 (checked, in comments only: the lexer refuses
 * it elsewhere). Returns false with the problem in msg.
 */
bool lex_line_ok(const char *s, size_t len, char *msg, size_t msg_len);

/* The next token of the line; false with l->msg set when it is malformed. */
bool lex_next(struct lexer *l, struct tok *t);

/* A token, as messages quote it. */
const char *lex_describe(const struct tok *t, char *buf, size_t len);

#endif
