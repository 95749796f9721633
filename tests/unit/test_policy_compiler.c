/*
 * Host tests for tools/arxpolicy's library with the hypervisor's validator:
 * texts compiled, loaded by policy_load and asked for decisions; malformed
 * texts refused with the expected "file:line: problem"; hostile texts (huge
 * lines, 100k types, NUL bytes, broken strings, every prefix and many
 * single-byte edits of a valid text) either compile to a blob the
 * hypervisor accepts or fail with a message; the configs/ policies; gen-bench;
 * dump compiling back to the same bytes. Run from the repository root.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>

#include "check.h"
#include "policy_compile.h"

/* A compiled and loaded text: the blob stays alive with the policy. */
struct compiled {
	uint8_t *blob;
	size_t size;
	struct policy p;
	char err[512];
};

/* Compiles; a blob the compiler makes must always pass the hypervisor's checks. */
static int compile_n(struct compiled *c, const char *text, size_t len)
{
	const char *why = NULL;

	free(c->blob);
	c->blob = (uint8_t *)"untouched";
	c->err[0] = '\0';
	if (policy_compile("t.pol", text, len, &c->blob, &c->size, c->err, sizeof(c->err))) {
		CHECKF(!strcmp((char *)c->blob, "untouched"), "blob set on error");
		CHECKF(!strncmp(c->err, "t.pol:", 6), "bad message \"%s\"", c->err);
		c->blob = NULL;
		return -1;
	}
	CHECKF(policy_load(&c->p, c->blob, c->size, &why) == 0, "arx refuses the output: %s", why);
	return why ? -1 : 0;
}

static int compile(struct compiled *c, const char *text)
{
	return compile_n(c, text, strlen(text));
}

static uint32_t label(const struct compiled *c, const char *name)
{
	int32_t l = policy_find_label(&c->p, name, strlen(name));

	CHECKF(l >= 0, "no label \"%s\"", name);
	return (uint32_t)l;
}

static bool allows(const struct compiled *c, const char *s, const char *o, enum policy_op op)
{
	return policy_allows(&c->p, label(c, s), label(c, o), op);
}

#define HEAD "type a_t b_t\nlabel \"a\" = a_t\nlabel \"b\" = b_t\ndefault dom0 \"a\"\ndefault domU \"b\"\n"

static void test_rules(void)
{
	struct compiled c = { 0 };

	CHECK_EQ(compile(&c, HEAD "allow a_t -> b_t : grant signal\nallow b_t -> a_t : control\n"
				  "label \"ab\" = b_t a_t\n"), 0);
	CHECK(allows(&c, "a", "b", POL_GRANT));
	CHECK(allows(&c, "a", "b", POL_SIGNAL));
	CHECK(!allows(&c, "a", "b", POL_MAP));
	CHECK(!allows(&c, "b", "a", POL_GRANT));
	CHECK(allows(&c, "b", "a", POL_DESTROY));
	CHECK(allows(&c, "b", "a", POL_LIST));
	CHECK(!allows(&c, "b", "a", POL_SIGNAL));
	CHECK(allows(&c, "ab", "ab", POL_GRANT)); /* a_t to b_t, inside one label */
	CHECK(!allows(&c, "a", "a", POL_GRANT));
	CHECK_EQ(c.p.dom0_label, label(&c, "a"));
	CHECK_EQ(c.p.domu_label, label(&c, "b"));
	CHECK(c.p.enforcing); /* no mode statement: enforcing */
	CHECK_EQ(c.p.name_len, 0);
	free(c.blob);
}

/* '*' covers every type, declared before or after the rule. */
static void test_any_type(void)
{
	struct compiled c = { 0 };

	CHECK_EQ(compile(&c, HEAD "allow a_t -> * : sharing\nallow * -> a_t : signal\n"
				  "admin * : setenforce\nallow * -> * : list\n"
				  "type late_t\nlabel \"late\" = late_t\nmode permissive\n"
				  "policy \"any\"\n"), 0);
	for (int op = POL_GRANT; op <= POL_COPY; op++) {
		CHECK(allows(&c, "a", "late", op));
		CHECK(allows(&c, "a", "a", op));
		CHECK(!allows(&c, "late", "b", op));
	}
	CHECK(allows(&c, "late", "a", POL_SIGNAL));
	CHECK(!allows(&c, "late", "b", POL_SIGNAL));
	CHECK(allows(&c, "late", "b", POL_LIST));
	CHECK(policy_admin_allows(&c.p, label(&c, "late"), POL_SETENFORCE));
	CHECK(!policy_admin_allows(&c.p, label(&c, "late"), POL_LOADPOLICY));
	CHECK(!c.p.enforcing);
	CHECK(c.p.name_len == 3 && !memcmp(c.p.name, "any", 3));
	free(c.blob);
}

static void test_groups_and_conflicts(void)
{
	struct compiled c = { 0 };

	CHECK_EQ(compile(&c, HEAD "type v1 v2 v3\nlabel \"v1\" = v1\nlabel \"v2\" = v2\n"
				  "label \"v12\" = v1 v2\nlabel \"v3\" = v3\n"
				  "allow a_t -> b_t : all\nadmin a_t : all\nconflict v2 v1\n"), 0);
	for (int op = 0; op < POL_NR_OPS; op++)
		CHECK(allows(&c, "a", "b", op));
	CHECK(policy_admin_allows(&c.p, label(&c, "a"), POL_LOADPOLICY));
	CHECK(policy_conflict(&c.p, label(&c, "v1"), label(&c, "v2")));
	CHECK(policy_conflict(&c.p, label(&c, "v2"), label(&c, "v1")));
	CHECK(!policy_conflict(&c.p, label(&c, "v1"), label(&c, "v1")));
	CHECK(policy_conflict(&c.p, label(&c, "v12"), label(&c, "v1")));
	CHECK(!policy_conflict(&c.p, label(&c, "v3"), label(&c, "v1")));
	CHECK(!policy_conflict(&c.p, label(&c, "a"), label(&c, "b")));
	free(c.blob);
}

/* Each malformed text and the message it must get, line number included. */
static const struct bad_text {
	const char *text, *err;
} bad_texts[] = {
	{ "", "t.pol:1: no 'default dom0 \"LABEL\"' statement" },
	{ HEAD "# fine\n\n", "" }, /* (compiles: checked separately) */
	{ "type a_t\nlabel \"a\" = a_t\ndefault dom0 \"a\"\n",
	  "t.pol:3: no 'default domU \"LABEL\"' statement" },
	{ HEAD "default domU \"a\"\n", "t.pol:6: default domU given twice (first at line 5)" },
	{ "type a\ndefault dom0 \"x\"\ndefault domU \"x\"\nlabel \"y\" = a\n",
	  "t.pol:2: default dom0: unknown label \"x\"" },
	{ HEAD "type b_t\n", "t.pol:6: duplicate type 'b_t' (declared at line 1)" },
	{ HEAD "type c_t c_t\n", "t.pol:6: duplicate type 'c_t' (declared at line 6)" },
	{ HEAD "label \"a\" = b_t\n", "t.pol:6: duplicate label \"a\" (declared at line 2)" },
	{ HEAD "allow a_t -> c_t : grant\n", "t.pol:6: unknown type 'c_t'" },
	{ HEAD "allow a_t -> b_t : grant steal\n", "t.pol:6: unknown operation 'steal'" },
	{ HEAD "allow a_t -> b_t :\n", "t.pol:6: expected an operation, found end of line" },
	{ HEAD "allow a_t b_t : grant\n", "t.pol:6: expected '->', found 'b_t'" },
	{ HEAD "allow a_t -> b_t grant\n", "t.pol:6: expected ':' and operations, found 'grant'" },
	{ HEAD "allow a_t -> b_t : loadpolicy\n",
	  "t.pol:6: 'loadpolicy' is an admin operation (use 'admin')" },
	{ HEAD "admin a_t : map\n", "t.pol:6: 'map' is not an admin operation (use 'allow')" },
	{ HEAD "admin a_t : \"map\"\n", "t.pol:6: expected an operation, found \"map\"" },
	{ HEAD "label \"c\" =\n", "t.pol:6: label \"c\" carries no type" },
	{ HEAD "label \"c\" a_t\n", "t.pol:6: expected '=' and the label's types, found 'a_t'" },
	{ HEAD "label c = a_t\n", "t.pol:6: expected the label's name in quotes, found 'c'" },
	{ HEAD "label \"\" = a_t\n", "t.pol:6: empty label name" },
	{ HEAD "label \"c d\" = a_t\n", "t.pol:6: label names hold no spaces" },
	{ HEAD "label \"c\" = a_t a_t\n", "t.pol:6: type 'a_t' given twice in label \"c\"" },
	{ HEAD "label \"c\"d\"\" = a_t\n", "t.pol:6: expected '=' and the label's types, found 'd'" },
	{ HEAD "label \"c = a_t\n", "t.pol:6: unterminated string" },
	{ HEAD "label \"c\\\"\" = a_t\n", "t.pol:6: backslash in a string (strings have no escapes)" },
	{ HEAD "policy \"x\"\npolicy \"y\"\n", "t.pol:7: policy name given twice (first at line 6)" },
	{ HEAD "policy \"\"\n", "t.pol:6: empty policy name" },
	{ HEAD "policy x\n", "t.pol:6: expected the policy's name in quotes, found 'x'" },
	{ HEAD "mode lax\n", "t.pol:6: expected enforcing or permissive, found 'lax'" },
	{ HEAD "mode enforcing\nmode enforcing\n", "t.pol:7: mode given twice (first at line 6)" },
	{ HEAD "mode enforcing now\n", "t.pol:6: expected end of line, found 'now'" },
	{ HEAD "default domX \"a\"\n", "t.pol:6: expected dom0 or domU, found 'domX'" },
	{ HEAD "conflict a_t\n", "t.pol:6: a conflict set needs two or more types" },
	{ HEAD "conflict a_t b_t a_t\n", "t.pol:6: type 'a_t' given twice in a conflict set" },
	{ HEAD "conflict a_t *\n", "t.pol:6: expected a type name, found '*'" },
	{ HEAD "type\n", "t.pol:6: expected a type name, found end of line" },
	{ HEAD "type 9x\n", "t.pol:6: unexpected character '9'" },
	{ HEAD "type c-d\n", "t.pol:6: unexpected character '-'" },
	{ HEAD "Type c\n", "t.pol:6: unknown statement 'Type'" },
	{ HEAD "= a\n", "t.pol:6: expected a statement, found '='" },
	{ HEAD "type c\x01\n", "t.pol:6: control character 0x01 at column 7" },
	{ HEAD "type c\x7f\n", "t.pol:6: control character 0x7f at column 7" },
	{ HEAD "type c\r\r\n", "t.pol:6: control character 0x0d at column 7" },
	{ HEAD "type c # \xc3\n", "t.pol:6: invalid UTF-8 at column 10" },
	{ HEAD "type c # \xe0\x80\x80\n", "t.pol:6: invalid UTF-8 at column 10" }, /* overlong */
	{ HEAD "type c # \xed\xa0\x80\n", "t.pol:6: invalid UTF-8 at column 10" }, /* surrogate */
	{ HEAD "type c\xc3\xa9\n", "t.pol:6: non-ASCII byte outside a comment" },
	{ HEAD "label \"\xc3\xa9\" = a_t\n", "t.pol:6: non-ASCII byte in a string" },
	{ HEAD "policy \"a\tb\"\n", "t.pol:6: tab in a string" },
};

static void test_bad_texts(void)
{
	struct compiled c = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(bad_texts); i++) {
		int r = compile(&c, bad_texts[i].text);
		if (!bad_texts[i].err[0]) {
			CHECKF(r == 0, "case %zu: %s", i, c.err);
			continue;
		}
		CHECKF(r == -1 && !strcmp(c.err, bad_texts[i].err), "case %zu: got \"%s\", want \"%s\"",
		       i, c.err, bad_texts[i].err);
	}
	free(c.blob);
}

/* CR LF line ends, tabs, comments everywhere, UTF-8 in comments. */
static void test_layout_freedom(void)
{
	struct compiled c = { 0 };

	CHECK_EQ(compile(&c, "# caf\xc3\xa9 \xf0\x9f\x94\x92\r\n\ttype\ta_t   b_t # x\r\n"
			     "label \"a\"=a_t\r\nlabel \"b\" =b_t\ndefault dom0 \"a\"#c\n"
			     "default domU \"b\"\nallow a_t->b_t:grant"), 0);
	CHECK(allows(&c, "a", "b", POL_GRANT));
	/* A NUL in the middle of a line is refused, wherever it is. */
	static const char nul_text[] = HEAD "type c\0d\n";
	CHECK_EQ(compile_n(&c, nul_text, sizeof(nul_text) - 1), -1);
	CHECK_STR(c.err, "t.pol:6: control character 0x00 at column 7");
	static const char nul_comment[] = HEAD "# c\0d\n";
	CHECK_EQ(compile_n(&c, nul_comment, sizeof(nul_comment) - 1), -1);
	CHECK_STR(c.err, "t.pol:6: control character 0x00 at column 4");
	free(c.blob);
}

/* ------------------------------------------------------------ limits, hostile texts */

/* A growing text buffer. */
struct text {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Compiling t must fail with want; t is emptied for the next text. */
static void check_refused(struct compiled *c, struct text *t, const char *want)
{
	CHECK_EQ(compile(c, t->s), -1);
	CHECK_STR(c->err, want);
	t->len = 0;
}

static void test_name_limits(void)
{
	struct compiled c = { 0 };
	struct text t = { 0 };
	char name[130];

	memset(name, 'n', sizeof(name));
	add(&t, HEAD "type %.127s\nlabel \"%.127s\" = a_t\n", name, name);
	CHECK_EQ(compile(&c, t.s), 0); /* 127 bytes: the limit */
	CHECK_EQ(policy_find_label(&c.p, name, 127) >= 0, 1);
	t.len = 0;
	add(&t, HEAD "type %.128s\n", name);
	check_refused(&c, &t, "t.pol:6: type name too long (128 bytes, limit 127)");
	add(&t, HEAD "label \"%.128s\" = a_t\n", name);
	check_refused(&c, &t, "t.pol:6: label name too long (128 bytes, limit 127)");
	add(&t, HEAD "type c0 c1 c2 c3 c4 c5 c6 c7 c8\nlabel \"c\" = c0 c1 c2 c3 c4 c5 c6 c7 c8\n");
	check_refused(&c, &t, "t.pol:7: label \"c\" carries too many types (limit 8)");
	free(t.s);
	free(c.blob);
}

static void test_count_limits(void)
{
	struct compiled c = { 0 };
	struct text t = { 0 };

	add(&t, HEAD);
	for (int i = 0; i < 100000; i++)
		add(&t, "type t%d\n", i);
	check_refused(&c, &t, "t.pol:260: too many types (limit 256)"); /* a_t, b_t, 254 more */
	add(&t, HEAD);
	for (int i = 0; i < 1100; i++)
		add(&t, "label \"l%d\" = a_t\n", i);
	check_refused(&c, &t, "t.pol:1028: too many labels (limit 1024)");
	add(&t, HEAD);
	for (int i = 0; i < 70; i++)
		add(&t, "conflict a_t b_t\n");
	check_refused(&c, &t, "t.pol:70: too many conflict sets (limit 64)");
	free(t.s);
	free(c.blob);
}

/* The largest policy the limits allow still fits the binary's 1 MiB. */
static void test_largest_policy(void)
{
	struct compiled c = { 0 };
	struct text t = { 0 };
	char pad[120];

	memset(pad, 'x', sizeof(pad));
	for (int i = 0; i < ARX_POLICY_MAX_TYPES; i++)
		add(&t, "type t%03d%.120s\n", i, pad);
	for (int i = 0; i < ARX_POLICY_MAX_LABELS; i++)
		add(&t, "label \"l%04d%.120s\" = t%03d%.120s t%03d%.120s\n", i, pad, i % 256, pad,
		    (i + 1) % 256, pad);
	for (int i = 0; i < ARX_POLICY_MAX_CONFLICTS; i++)
		add(&t, "conflict t%03d%.120s t%03d%.120s\n", i, pad, i + 1, pad);
	add(&t, "allow * -> * : all\nadmin * : all\ndefault dom0 \"l0000%.120s\"\n"
		"default domU \"l1023%.120s\"\n", pad, pad);
	CHECK_EQ(compile(&c, t.s), 0);
	CHECK_EQ(c.p.ntypes, ARX_POLICY_MAX_TYPES);
	CHECK_EQ(c.p.nlabels, ARX_POLICY_MAX_LABELS);
	CHECK(c.size <= ARX_POLICY_MAX_SIZE);
	CHECK(policy_allows(&c.p, 1023, 0, POL_MEMORY));
	free(t.s);
	free(c.blob);
}

static void test_huge_line(void)
{
	struct compiled c = { 0 };
	size_t n = 5u << 20;
	char *s = malloc(n + 1);

	memset(s, 'a', n);
	memcpy(s, "type ", 5);
	s[n] = '\0';
	CHECK_EQ(compile_n(&c, s, n), -1);
	CHECK_STR(c.err, "t.pol:1: line too long (5242880 bytes, limit 4096)");
	/* A whole file of one string that never ends, or of quotes. */
	memset(s, '"', n);
	CHECK_EQ(compile_n(&c, s, n), -1);
	CHECK_STR(c.err, "t.pol:1: line too long (5242880 bytes, limit 4096)");
	for (size_t i = 0; i < n; i += 64)
		s[i] = '\n';
	CHECK_EQ(compile_n(&c, s, n), -1);
	CHECK_STR(c.err, "t.pol:2: expected a statement, found \"\"");
	free(s);
	free(c.blob);
}

/* The whole file, NUL-terminated; NULL (and a failed check) if it cannot be read. */
static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t cap = 0;

	CHECKF(f != NULL, "cannot open %s (run from the repository root)", path);
	if (!f)
		return NULL;
	*len = 0;
	for (;;) {
		s = realloc(s, cap += 65536);
		size_t n = fread(s + *len, 1, cap - *len - 1, f);
		*len += n;
		if (n == 0)
			break;
	}
	s[*len] = '\0';
	fclose(f);
	return s;
}

/* Every prefix of a valid text compiles or fails cleanly, at a line it has. */
static void test_every_prefix(void)
{
	struct compiled c = { 0 };
	size_t len, lines = 1, ok = 0;
	char *text = read_text("configs/meter.policy", &len);

	for (size_t n = 0; text && n <= len; n++) {
		if (n && text[n - 1] == '\n')
			lines++;
		char *copy = malloc(n ? n : 1); /* exact size: ASan sees any read past it */
		memcpy(copy, text, n);
		if (compile_n(&c, copy, n) == 0) {
			ok++;
		} else {
			unsigned long line = strtoul(c.err + 6, NULL, 10);
			CHECKF(line >= 1 && line <= lines, "prefix %zu: %s", n, c.err);
		}
		free(copy);
	}
	CHECK(ok > 0 && ok < len);
	free(text);
	free(c.blob);
}

/* Single bytes of a valid text replaced by troublesome ones: compiled or refused, never worse. */
static void test_byte_edits(void)
{
	static const char edits[] = { '\0', '\n', '\t', '"', '#', '*', ' ', 'x', ':', '\xff', '\x80' };
	struct compiled c = { 0 };
	size_t len, refused = 0;
	char *text = read_text("configs/meter.policy", &len);

	for (size_t at = 0; text && at < len; at++) {
		for (size_t e = 0; e < sizeof(edits); e++) {
			char *copy = malloc(len);
			memcpy(copy, text, len);
			copy[at] = edits[e];
			refused += compile_n(&c, copy, len) != 0;
			free(copy);
		}
	}
	CHECK(refused > 0);
	free(text);
	free(c.blob);
}

/* ------------------------------------------------------------ configs, bench, dump */

static int compile_file(struct compiled *c, const char *path)
{
	size_t len;
	char *text = read_text(path, &len);
	int r = text ? compile_n(c, text, len) : -1;

	CHECKF(r == 0, "%s: %s", path, c->err);
	free(text);
	return r;
}

/* Today's behaviour: dom0 controls all, anyone shares and signals with anyone. */
static void test_default_config(void)
{
	struct compiled c = { 0 };

	if (compile_file(&c, "configs/default.policy"))
		return;
	CHECK(c.p.enforcing);
	CHECK_EQ(c.p.dom0_label, label(&c, "dom0"));
	CHECK_EQ(c.p.domu_label, label(&c, "domU"));
	for (int op = 0; op < POL_NR_OPS; op++) {
		bool sharing = op <= POL_SIGNAL;
		CHECK(allows(&c, "dom0", "domU", op));
		CHECK(allows(&c, "system_u:system_r:dom0_t", "system_u:system_r:domU_t", op));
		CHECK_EQ(allows(&c, "domU", "dom0", op), sharing);
		CHECK_EQ(allows(&c, "domU", "domU", op), sharing);
	}
	CHECK(policy_admin_allows(&c.p, label(&c, "dom0"), POL_LOADPOLICY));
	CHECK(!policy_admin_allows(&c.p, label(&c, "domU"), POL_SETENFORCE));
	CHECK(!policy_conflict(&c.p, label(&c, "domU"), label(&c, "domU")));
	free(c.blob);
}

static void test_meter_config(void)
{
	struct compiled c = { 0 };

	if (compile_file(&c, "configs/meter.policy"))
		return;
	CHECK(allows(&c, "app", "telemetry", POL_MAP));
	CHECK(allows(&c, "app", "telemetry", POL_SIGNAL));
	CHECK(allows(&c, "telemetry", "app", POL_GRANT));
	CHECK(!allows(&c, "app", "billing", POL_MAP));
	CHECK(!allows(&c, "app", "billing", POL_SIGNAL));
	CHECK(!allows(&c, "billing", "app", POL_GRANT));
	CHECK(allows(&c, "manager", "app", POL_DESTROY));
	CHECK(allows(&c, "manager", "app", POL_CREATE));
	CHECK(!allows(&c, "manager", "app", POL_MEMORY));
	CHECK(!allows(&c, "manager", "billing", POL_DESTROY));
	CHECK(!allows(&c, "app", "manager", POL_DESTROY));
	CHECK(allows(&c, "dom0", "billing", POL_DESTROY));
	CHECK(allows(&c, "billing", "dom0", POL_GRANT)); /* to its back-ends */
	CHECK(policy_conflict(&c.p, label(&c, "vendor_a"), label(&c, "vendor_b")));
	CHECK(!policy_conflict(&c.p, label(&c, "vendor_a"), label(&c, "vendor_a")));
	CHECK(!policy_conflict(&c.p, label(&c, "vendor_a"), label(&c, "app")));
	CHECK(policy_admin_allows(&c.p, label(&c, "dom0"), POL_SETENFORCE));
	CHECK(!policy_admin_allows(&c.p, label(&c, "manager"), POL_SETENFORCE));
	free(c.blob);
}

/* dump's text compiles back to the very same bytes. */
static void check_dump_round_trip(struct compiled *c, const char *what)
{
	struct compiled again = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK_EQ(policy_dump(f, &c->p), 0);
	fclose(f);
	CHECKF(compile_n(&again, text, len) == 0, "%s: dump does not compile: %s", what, again.err);
	CHECKF(again.size == c->size && !memcmp(again.blob, c->blob, c->size),
	       "%s: dump compiles to other bytes", what);
	free(text);
	free(again.blob);
}

static void test_dump_round_trip(void)
{
	struct compiled c = { 0 };

	if (!compile_file(&c, "configs/meter.policy"))
		check_dump_round_trip(&c, "meter");
	if (!compile_file(&c, "configs/default.policy"))
		check_dump_round_trip(&c, "default");
	if (!compile(&c, HEAD "allow a_t -> b_t : grant map copy signal create\n"
			      "allow b_t -> a_t : sharing pause\nadmin b_t : loadpolicy\n"
			      "policy \"with spaces\"\nmode permissive\n"))
		check_dump_round_trip(&c, "mixed");
	free(c.blob);
}

static void test_gen_bench(void)
{
	struct compiled c = { 0 }, again = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK_EQ(policy_gen_bench(f, 64, 1000), 0);
	fclose(f);
	CHECK_EQ(compile_n(&c, text, len), 0);
	CHECK_EQ(c.p.ntypes, 64);
	CHECK_EQ(c.p.nlabels, 66);
	CHECK(c.p.nconflicts == 1 && c.p.enforcing);
	/* The same text compiles to the same bytes: output depends on nothing else. */
	CHECK_EQ(compile_n(&again, text, len), 0);
	CHECK(c.blob && again.blob && c.size == again.size && !memcmp(c.blob, again.blob, c.size));
	check_dump_round_trip(&c, "bench");
	f = fopen("/dev/null", "w");
	CHECK_EQ(policy_gen_bench(f, 0, 10), -1);
	CHECK_EQ(policy_gen_bench(f, 257, 10), -1);
	CHECK_EQ(policy_gen_bench(f, 1, 0), 0);
	fclose(f);
	free(text);
	free(c.blob);
	free(again.blob);
}

int main(void)
{
	test_rules();
	test_any_type();
	test_groups_and_conflicts();
	test_bad_texts();
	test_layout_freedom();
	test_name_limits();
	test_count_limits();
	test_largest_policy();
	test_huge_line();
	test_every_prefix();
	test_byte_edits();
	test_default_config();
	test_meter_config();
	test_dump_round_trip();
	test_gen_bench();
	return check_summary();
}
