/*
 * The policy text language (docs/policy.md): one statement per line, read
 * into a struct pc_model, then laid out by policy_emit.c. The text is
 * hostile: every limit of the binary format is enforced here with a message
 * naming the line, and the first problem stops the compilation, so nothing
 * is written for a text that is not wholly right.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "policy_compile.h"
#include "policy_lex.h"
#include "policy_model.h"

#define OPS_ALL ((1u << POL_NR_OPS) - 1)
#define ADMIN_ALL ((1u << POL_NR_ADMIN) - 1)
#define ANY_TYPE (-1)

struct parser {
	const char *file;
	unsigned long line;
	struct lexer lx;
	struct tok tok; /* the current token */
	struct pc_model *m;
	/* Rules with '*', folded in at the end so '*' covers types declared later too. */
	uint16_t to_any[ARX_POLICY_MAX_TYPES];   /* subject type to every type */
	uint16_t from_any[ARX_POLICY_MAX_TYPES]; /* every type to object type */
	uint16_t any_to_any, admin_any;
	unsigned long mode_line, name_line;
	char *err;
	size_t err_len;
};

__attribute__((format(printf, 2, 3))) static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->err_len, "%s:%lu: ", ps->file, ps->line ? ps->line : 1);

	if (n >= 0 && (size_t)n < ps->err_len) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->err_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int next(struct parser *ps)
{
	return lex_next(&ps->lx, &ps->tok) ? 0 : perr(ps, "%s", ps->lx.msg);
}

static int unexpected(struct parser *ps, const char *wanted)
{
	char found[64];

	return perr(ps, "expected %s, found %s", wanted, lex_describe(&ps->tok, found, sizeof(found)));
}

/* The current token must be of kind k: step past it. */
static int expect(struct parser *ps, enum tok_kind k, const char *wanted)
{
	return ps->tok.kind == k ? next(ps) : unexpected(ps, wanted);
}

static int end_of_statement(struct parser *ps)
{
	return ps->tok.kind == TOK_END ? 0 : unexpected(ps, "end of line");
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t->kind == TOK_IDENT && t->len == strlen(word) && !memcmp(t->s, word, t->len);
}

/* The current token's text as a name: within the limit, copied. */
static int take_name(struct parser *ps, struct pc_name *n, const char *what)
{
	if (ps->tok.len > ARX_POLICY_MAX_NAME)
		return perr(ps, "%s too long (%zu bytes, limit %d)", what, ps->tok.len,
			    ARX_POLICY_MAX_NAME);
	memcpy(n->s, ps->tok.s, ps->tok.len);
	n->s[ps->tok.len] = '\0';
	n->len = (uint32_t)ps->tok.len;
	n->line = (uint32_t)ps->line;
	return 0;
}

/* The name among n spaced stride bytes apart (types, or labels' names) equal to t, or -1. */
static int find_name(const struct pc_name *names, size_t stride, uint32_t n, const struct tok *t)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct pc_name *c = (const void *)((const char *)names + i * stride);
		if (c->len == t->len && !memcmp(c->s, t->s, t->len))
			return (int)i;
	}
	return -1;
}

static int find_type(const struct pc_model *m, const struct tok *t)
{
	return find_name(m->types, sizeof(m->types[0]), m->ntypes, t);
}

static int find_label(const struct pc_model *m, const struct tok *t)
{
	return find_name(&m->labels[0].name, sizeof(m->labels[0]), m->nlabels, t);
}

/* A declared type's name: its index in *t. */
static int type_ref(struct parser *ps, uint16_t *t)
{
	int i;

	if (ps->tok.kind != TOK_IDENT)
		return unexpected(ps, "a type name");
	i = find_type(ps->m, &ps->tok);
	if (i < 0)
		return perr(ps, "unknown type '%.*s'", (int)MIN(ps->tok.len, 64), ps->tok.s);
	*t = (uint16_t)i;
	return next(ps);
}

/* A type, or '*' for every type (*t = ANY_TYPE). */
static int target(struct parser *ps, int *t)
{
	uint16_t one;

	if (ps->tok.kind == TOK_STAR) {
		*t = ANY_TYPE;
		return next(ps);
	}
	if (type_ref(ps, &one))
		return -1;
	*t = one;
	return 0;
}

/* ------------------------------------------------------------ statements */

/* policy "NAME" */
static int st_policy(struct parser *ps)
{
	struct pc_model *m = ps->m;

	if (m->named)
		return perr(ps, "policy name given twice (first at line %lu)", ps->name_line);
	if (ps->tok.kind != TOK_STRING)
		return unexpected(ps, "the policy's name in quotes");
	if (!ps->tok.len)
		return perr(ps, "empty policy name");
	if (take_name(ps, &m->name, "policy name") || next(ps))
		return -1;
	m->named = true;
	ps->name_line = ps->line;
	return end_of_statement(ps);
}

/* type NAME... */
static int st_type(struct parser *ps)
{
	struct pc_model *m = ps->m;

	if (ps->tok.kind != TOK_IDENT)
		return unexpected(ps, "a type name");
	while (ps->tok.kind == TOK_IDENT) {
		int dup = find_type(m, &ps->tok);
		if (dup >= 0)
			return perr(ps, "duplicate type '%s' (declared at line %u)", m->types[dup].s,
				    m->types[dup].line);
		if (m->ntypes == ARX_POLICY_MAX_TYPES)
			return perr(ps, "too many types (limit %d)", ARX_POLICY_MAX_TYPES);
		if (take_name(ps, &m->types[m->ntypes], "type name") || next(ps))
			return -1;
		m->ntypes++;
	}
	return end_of_statement(ps);
}

static int label_name(struct parser *ps, struct pc_label *l)
{
	const struct pc_model *m = ps->m;
	int dup;

	if (ps->tok.kind != TOK_STRING)
		return unexpected(ps, "the label's name in quotes");
	if (!ps->tok.len)
		return perr(ps, "empty label name");
	if (memchr(ps->tok.s, ' ', ps->tok.len))
		return perr(ps, "label names hold no spaces");
	dup = find_label(m, &ps->tok);
	if (dup >= 0)
		return perr(ps, "duplicate label \"%s\" (declared at line %u)", m->labels[dup].name.s,
			    m->labels[dup].name.line);
	if (m->nlabels == ARX_POLICY_MAX_LABELS)
		return perr(ps, "too many labels (limit %d)", ARX_POLICY_MAX_LABELS);
	return take_name(ps, &l->name, "label name") || next(ps) ? -1 : 0;
}

static int label_type(struct parser *ps, struct pc_label *l)
{
	uint16_t t;

	if (type_ref(ps, &t))
		return -1;
	for (uint32_t i = 0; i < l->ntypes; i++)
		if (l->types[i] == t)
			return perr(ps, "type '%s' given twice in label \"%s\"", ps->m->types[t].s,
				    l->name.s);
	if (l->ntypes == ARX_POLICY_MAX_LABEL_TYPES)
		return perr(ps, "label \"%s\" carries too many types (limit %d)", l->name.s,
			    ARX_POLICY_MAX_LABEL_TYPES);
	l->types[l->ntypes++] = t;
	return 0;
}

/* label "NAME" = TYPE... */
static int st_label(struct parser *ps)
{
	struct pc_model *m = ps->m;
	struct pc_label *l = &m->labels[m->nlabels];

	*l = (struct pc_label){ 0 };
	if (label_name(ps, l) || expect(ps, TOK_EQUALS, "'=' and the label's types"))
		return -1;
	if (ps->tok.kind == TOK_END)
		return perr(ps, "label \"%s\" carries no type", l->name.s);
	while (ps->tok.kind != TOK_END)
		if (label_type(ps, l))
			return -1;
	m->nlabels++;
	return 0;
}

/* default dom0|domU "LABEL" (resolved at the end: the label may come later) */
static int st_default(struct parser *ps)
{
	struct pc_name *d;

	if (tok_is(&ps->tok, "dom0"))
		d = &ps->m->defaults[PC_DOM0];
	else if (tok_is(&ps->tok, "domU"))
		d = &ps->m->defaults[PC_DOMU];
	else
		return unexpected(ps, "dom0 or domU");
	if (d->line)
		return perr(ps, "default %.4s given twice (first at line %u)", ps->tok.s, d->line);
	if (next(ps))
		return -1;
	if (ps->tok.kind != TOK_STRING)
		return unexpected(ps, "a label name in quotes");
	return take_name(ps, d, "label name") || next(ps) ? -1 : end_of_statement(ps);
}

/* Operation words: the single operations (named by hv/lib/policy.c) and groups. */
#define SHARING ((1u << POL_GRANT) | (1u << POL_MAP) | (1u << POL_COPY))

const struct pc_group pc_op_groups[PC_NR_GROUPS] = {
	{ "sharing", SHARING },
	{ "control", OPS_ALL & ~(SHARING | (1u << POL_SIGNAL)) },
	{ "all", OPS_ALL },
};

static int op_word(const struct tok *t, uint16_t *mask)
{
	for (unsigned int i = 0; i < POL_NR_OPS; i++)
		if (tok_is(t, policy_op_name(i)))
			return *mask = (uint16_t)(1u << i), 0;
	for (size_t i = 0; i < PC_NR_GROUPS; i++)
		if (tok_is(t, pc_op_groups[i].name))
			return *mask = pc_op_groups[i].mask, 0;
	return -1;
}

static int admin_word(const struct tok *t, uint16_t *mask)
{
	for (unsigned int i = 0; i < POL_NR_ADMIN; i++)
		if (tok_is(t, policy_admin_name(i)))
			return *mask = (uint16_t)(1u << i), 0;
	if (tok_is(t, "all"))
		return *mask = ADMIN_ALL, 0;
	return -1;
}

/* OP... up to the end of the line, for allow (admin false) or admin. */
static int op_list(struct parser *ps, bool admin, uint16_t *mask)
{
	uint16_t one, other;

	*mask = 0;
	if (ps->tok.kind == TOK_END)
		return unexpected(ps, admin ? "an admin operation" : "an operation");
	while (ps->tok.kind != TOK_END) {
		if (ps->tok.kind != TOK_IDENT)
			return unexpected(ps, "an operation");
		if ((admin ? admin_word : op_word)(&ps->tok, &one) == 0) {
			*mask |= one;
		} else if ((admin ? op_word : admin_word)(&ps->tok, &other) == 0) {
			return perr(ps, admin ? "'%.*s' is not an admin operation (use 'allow')"
					      : "'%.*s' is an admin operation (use 'admin')",
				    (int)ps->tok.len, ps->tok.s);
		} else {
			return perr(ps, "unknown operation '%.*s'", (int)MIN(ps->tok.len, 64),
				    ps->tok.s);
		}
		if (next(ps))
			return -1;
	}
	return 0;
}

/* allow SUBJECT -> OBJECT : OP...   (either side may be '*') */
static int st_allow(struct parser *ps)
{
	int s, o;
	uint16_t mask;

	if (target(ps, &s) || expect(ps, TOK_ARROW, "'->'") || target(ps, &o) ||
	    expect(ps, TOK_COLON, "':' and operations") || op_list(ps, false, &mask))
		return -1;
	if (s == ANY_TYPE && o == ANY_TYPE)
		ps->any_to_any |= mask;
	else if (o == ANY_TYPE)
		ps->to_any[s] |= mask;
	else if (s == ANY_TYPE)
		ps->from_any[o] |= mask;
	else
		ps->m->allow[s][o] |= mask;
	return 0;
}

/* admin SUBJECT : ADMIN-OP... */
static int st_admin(struct parser *ps)
{
	int s;
	uint16_t mask;

	if (target(ps, &s) || expect(ps, TOK_COLON, "':' and admin operations") ||
	    op_list(ps, true, &mask))
		return -1;
	if (s == ANY_TYPE)
		ps->admin_any |= mask;
	else
		ps->m->admin[s] |= mask;
	return 0;
}

/* conflict TYPE TYPE... */
static int st_conflict(struct parser *ps)
{
	struct pc_model *m = ps->m;
	struct pc_set *set = &m->sets[m->nsets];
	uint16_t t;

	if (m->nsets == ARX_POLICY_MAX_CONFLICTS)
		return perr(ps, "too many conflict sets (limit %d)", ARX_POLICY_MAX_CONFLICTS);
	*set = (struct pc_set){ 0 };
	while (ps->tok.kind != TOK_END) {
		if (type_ref(ps, &t))
			return -1;
		for (uint32_t i = 0; i < set->ntypes; i++)
			if (set->types[i] == t)
				return perr(ps, "type '%s' given twice in a conflict set",
					    m->types[t].s);
		if (set->ntypes == ARX_POLICY_MAX_SET_TYPES)
			return perr(ps, "conflict set too large (limit %d types)",
				    ARX_POLICY_MAX_SET_TYPES);
		set->types[set->ntypes++] = t;
	}
	if (set->ntypes < 2)
		return perr(ps, "a conflict set needs two or more types");
	m->nsets++;
	return 0;
}

/* mode enforcing|permissive */
static int st_mode(struct parser *ps)
{
	struct pc_model *m = ps->m;

	if (ps->mode_line)
		return perr(ps, "mode given twice (first at line %lu)", ps->mode_line);
	if (tok_is(&ps->tok, "enforcing"))
		m->enforcing = true;
	else if (!tok_is(&ps->tok, "permissive"))
		return unexpected(ps, "enforcing or permissive");
	ps->mode_line = ps->line;
	return next(ps) ? -1 : end_of_statement(ps);
}

/* ------------------------------------------------------------ lines */

static const struct statement {
	const char *keyword;
	int (*parse)(struct parser *ps);
} statements[] = {
	{ "policy", st_policy }, { "type", st_type },         { "label", st_label },
	{ "default", st_default }, { "allow", st_allow },     { "admin", st_admin },
	{ "conflict", st_conflict }, { "mode", st_mode },
};

static int statement(struct parser *ps)
{
	if (ps->tok.kind != TOK_IDENT)
		return unexpected(ps, "a statement");
	for (size_t i = 0; i < ARRAY_SIZE(statements); i++)
		if (tok_is(&ps->tok, statements[i].keyword))
			return next(ps) ? -1 : statements[i].parse(ps);
	return perr(ps, "unknown statement '%.*s'", (int)MIN(ps->tok.len, 64), ps->tok.s);
}

/* One line, its newline excluded. */
static int parse_line(struct parser *ps, const char *s, size_t len)
{
	char why[96];

	if (len > PC_MAX_LINE)
		return perr(ps, "line too long (%zu bytes, limit %d)", len, PC_MAX_LINE);
	if (len && s[len - 1] == '\r')
		len--; /* CR LF line ends */
	if (!lex_line_ok(s, len, why, sizeof(why)))
		return perr(ps, "%s", why);
	ps->lx = (struct lexer){ .p = s, .end = s + len };
	if (next(ps))
		return -1;
	return ps->tok.kind == TOK_END ? 0 : statement(ps);
}

/* ------------------------------------------------------------ the whole text */

static void fold_any_rules(struct parser *ps)
{
	struct pc_model *m = ps->m;

	for (uint32_t s = 0; s < m->ntypes; s++) {
		m->admin[s] |= ps->admin_any;
		for (uint32_t o = 0; o < m->ntypes; o++)
			m->allow[s][o] |= ps->to_any[s] | ps->from_any[o] | ps->any_to_any;
	}
}

static int check_defaults(struct parser *ps)
{
	static const char *const which[PC_NR_DEFAULTS] = { "dom0", "domU" };

	for (int i = 0; i < PC_NR_DEFAULTS; i++) {
		const struct pc_name *d = &ps->m->defaults[i];
		struct tok t = { TOK_STRING, d->s, d->len };
		if (!d->line)
			return perr(ps, "no 'default %s \"LABEL\"' statement", which[i]);
		if (find_label(ps->m, &t) < 0) {
			ps->line = d->line;
			return perr(ps, "default %s: unknown label \"%s\"", which[i], d->s);
		}
	}
	return 0;
}

static int compile_lines(struct parser *ps, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		ps->line++;
		if (parse_line(ps, p, (size_t)(stop - p)))
			return -1;
		p = nl ? nl + 1 : end;
	}
	if (check_defaults(ps))
		return -1;
	if (!ps->mode_line)
		ps->m->enforcing = true; /* the safe choice when unsaid */
	fold_any_rules(ps);
	return 0;
}

int policy_compile(const char *file, const char *text, size_t len, uint8_t **blob, size_t *size,
		   char *err, size_t err_len)
{
	struct parser *ps = calloc(1, sizeof(*ps));
	struct pc_model *m = calloc(1, sizeof(*m));
	char why[160];
	int r = -1;

	if (!ps || !m) {
		snprintf(err, err_len, "%s: out of memory", file);
		goto out;
	}
	*ps = (struct parser){ .file = file, .m = m, .err = err, .err_len = err_len };
	if (compile_lines(ps, text, len))
		goto out;
	if (pc_emit(m, blob, size, why, sizeof(why)))
		perr(ps, "%s", why);
	else
		r = 0;
out:
	free(ps);
	free(m);
	return r;
}
