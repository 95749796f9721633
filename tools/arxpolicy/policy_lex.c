/*
 * The policy text's lexical level. Lines are checked byte by byte before
 * they are tokenised, so no token, name or message ever carries a control
 * byte or broken UTF-8 further. Strings have no escapes: a label name can
 * hold neither quote nor backslash, so none is needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "policy_lex.h"

/* Length of the valid UTF-8 sequence (2 to 4 bytes) at s, or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	static const uint32_t min_cp[4] = { 0, 0x80, 0x800, 0x10000 };
	size_t more;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] < 0xe0)
		more = 1, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] < 0xf0)
		more = 2, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] < 0xf5)
		more = 3, cp = s[0] & 0x07;
	else
		return 0;
	if (n <= more)
		return 0;
	for (size_t i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min_cp[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return more + 1;
}

bool lex_line_ok(const char *s, size_t len, char *msg, size_t msg_len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		if (u[i] >= 0x80) {
			size_t n = utf8_seq(u + i, len - i);
			if (!n) {
				snprintf(msg, msg_len, "invalid UTF-8 at column %zu", i + 1);
				return false;
			}
			i += n;
			continue;
		}
		if ((u[i] < ' ' && u[i] != '\t') || u[i] == 0x7f) {
			snprintf(msg, msg_len, "control character 0x%02x at column %zu", u[i], i + 1);
			return false;
		}
		i++;
	}
	return true;
}

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static bool lex_string(struct lexer *l, struct tok *t)
{
	const char *start = ++l->p;

	while (l->p < l->end && *l->p != '"') {
		if (*l->p == '\\') {
			snprintf(l->msg, sizeof(l->msg), "backslash in a string (strings have no escapes)");
			return false;
		}
		if ((unsigned char)*l->p >= 0x80 || *l->p == '\t') {
			/* Names are printable ASCII: what arx prints and xl passes. */
			snprintf(l->msg, sizeof(l->msg), "%s in a string",
				 *l->p == '\t' ? "tab" : "non-ASCII byte");
			return false;
		}
		l->p++;
	}
	if (l->p == l->end) {
		snprintf(l->msg, sizeof(l->msg), "unterminated string");
		return false;
	}
	*t = (struct tok){ TOK_STRING, start, (size_t)(l->p - start) };
	l->p++;
	return true;
}

static bool lex_punct(struct lexer *l, struct tok *t)
{
	char c = *l->p;

	if (c == '-' && l->p + 1 < l->end && l->p[1] == '>') {
		*t = (struct tok){ TOK_ARROW, l->p, 2 };
	} else if (c == ':' || c == '=' || c == '*') {
		enum tok_kind k = c == ':' ? TOK_COLON : c == '=' ? TOK_EQUALS : TOK_STAR;
		*t = (struct tok){ k, l->p, 1 };
	} else {
		if ((unsigned char)c >= 0x80)
			snprintf(l->msg, sizeof(l->msg), "non-ASCII byte outside a comment");
		else
			snprintf(l->msg, sizeof(l->msg), "unexpected character '%c'", c);
		return false;
	}
	l->p += t->len;
	return true;
}

bool lex_next(struct lexer *l, struct tok *t)
{
	while (l->p < l->end && (*l->p == ' ' || *l->p == '\t'))
		l->p++;
	if (l->p == l->end || *l->p == '#') {
		l->p = l->end;
		*t = (struct tok){ TOK_END, l->end, 0 };
		return true;
	}
	if (*l->p == '"')
		return lex_string(l, t);
	if (ident_start(*l->p)) {
		const char *start = l->p;
		while (l->p < l->end && ident_char(*l->p))
			l->p++;
		*t = (struct tok){ TOK_IDENT, start, (size_t)(l->p - start) };
		return true;
	}
	return lex_punct(l, t);
}

const char *lex_describe(const struct tok *t, char *buf, size_t len)
{
	/* Long names are cut: a message must stay one readable line. */
	int n = t->len > 40 ? 40 : (int)t->len;
	const char *more = t->len > 40 ? "..." : "";

	if (t->kind == TOK_END)
		snprintf(buf, len, "end of line");
	else if (t->kind == TOK_STRING)
		snprintf(buf, len, "\"%.*s%s\"", n, t->s, more);
	else
		snprintf(buf, len, "'%.*s%s'", n, t->s, more);
	return buf;
}
