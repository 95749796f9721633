/*
 * Host tests for hv/lib/policy*.c: the safe default's decisions; blobs built
 * here byte by byte (not by tools/arxpolicy, so a misreading of the format
 * shared by compiler and validator would show); every truncation and every
 * single-byte corruption of a valid blob, each loaded from a buffer of
 * exactly its size so AddressSanitizer catches any read beyond it, and each
 * one that still loads asked every decision; counts and offsets near
 * UINT32_MAX; the decisions themselves.
 */
#include <stdint.h>
#include <stdlib.h>

#include <arx/policy.h>
#include <public/arx_policy.h>

#include "check.h"

#define CONTROL ((1u << POL_CREATE) | (1u << POL_DESTROY) | (1u << POL_PAUSE) | \
		 (1u << POL_CONSOLE) | (1u << POL_MEMORY) | (1u << POL_LIST))
#define OP(o) (1u << (o))

/* ------------------------------------------------------------ a blob, by hand */

#define T_MAX 8

struct t_label {
	const char *name;
	uint32_t n;
	uint16_t t[T_MAX];
};

struct t_policy {
	const char *name;
	uint32_t flags, dom0, domu;
	uint32_t ntypes, nlabels, nsets;
	const char *types[T_MAX];
	struct t_label labels[T_MAX];
	struct t_label sets[4]; /* name unused */
	uint16_t allow[T_MAX][T_MAX];
	uint16_t admin[T_MAX];
};

/* Appends to a growing blob, little-endian whatever the host. */
struct writer {
	uint8_t b[8192];
	uint32_t n;
};

static uint32_t w_bytes(struct writer *w, const void *p, uint32_t n)
{
	uint32_t at = w->n;

	memcpy(w->b + w->n, p, n);
	w->n += n;
	return at;
}

static void w_le(struct writer *w, uint32_t v, uint32_t bytes)
{
	for (uint32_t i = 0; i < bytes; i++)
		w->b[w->n++] = (uint8_t)(v >> (8 * i));
}

static void w_set32(struct writer *w, uint32_t at, uint32_t v)
{
	uint32_t n = w->n;

	w->n = at;
	w_le(w, v, 4);
	w->n = n;
}

/* Starts section s here, aligned, with count entries: records it in the header. */
static void w_section(struct writer *w, int s, uint32_t count)
{
	while (w->n & 3)
		w->b[w->n++] = 0;
	w_set32(w, offsetof(struct arx_policy_header, sec[s].off), w->n);
	w_set32(w, offsetof(struct arx_policy_header, sec[s].count), count);
}

static void w_members(struct writer *w, int s, const struct t_label *l, uint32_t n)
{
	uint32_t total = 0;

	for (uint32_t i = 0; i < n; i++)
		total += l[i].n;
	w_section(w, s, total);
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < l[i].n; j++)
			w_le(w, l[i].t[j], 2);
}

/* Name table entries (offset, length [, first, count]) of names written at str[]. */
static void w_names(struct writer *w, const uint32_t *str, const char *const *names, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		w_le(w, str[i], 4);
		w_le(w, (uint32_t)strlen(names[i]), 4);
	}
}

static void w_strings(struct writer *w, const struct t_policy *t, uint32_t *type_at,
		      uint32_t *label_at)
{
	uint32_t start = w->n, name_at = w_bytes(w, t->name, (uint32_t)strlen(t->name));

	w_set32(w, offsetof(struct arx_policy_header, name_off), name_at - start);
	w_set32(w, offsetof(struct arx_policy_header, name_len), (uint32_t)strlen(t->name));
	for (uint32_t i = 0; i < t->ntypes; i++)
		type_at[i] = w_bytes(w, t->types[i], (uint32_t)strlen(t->types[i])) - start;
	for (uint32_t i = 0; i < t->nlabels; i++)
		label_at[i] = w_bytes(w, t->labels[i].name, (uint32_t)strlen(t->labels[i].name)) - start;
	w_set32(w, offsetof(struct arx_policy_header, sec[ARX_POLSEC_STRINGS].count), w->n - start);
}

static void w_tables(struct writer *w, const struct t_policy *t, const uint32_t *type_at,
		     const uint32_t *label_at)
{
	uint32_t first = 0;

	w_section(w, ARX_POLSEC_TYPES, t->ntypes);
	w_names(w, type_at, t->types, t->ntypes);
	w_section(w, ARX_POLSEC_LABELS, t->nlabels);
	for (uint32_t i = 0; i < t->nlabels; i++) {
		w_le(w, label_at[i], 4);
		w_le(w, (uint32_t)strlen(t->labels[i].name), 4);
		w_le(w, first, 4);
		w_le(w, t->labels[i].n, 4);
		first += t->labels[i].n;
	}
	w_members(w, ARX_POLSEC_LABEL_TYPES, t->labels, t->nlabels);
	w_section(w, ARX_POLSEC_ALLOW, t->ntypes * t->ntypes);
	for (uint32_t s = 0; s < t->ntypes; s++)
		for (uint32_t o = 0; o < t->ntypes; o++)
			w_le(w, t->allow[s][o], 2);
	w_section(w, ARX_POLSEC_ADMIN, t->ntypes);
	for (uint32_t s = 0; s < t->ntypes; s++)
		w_le(w, t->admin[s], 2);
	w_section(w, ARX_POLSEC_CONFLICTS, t->nsets);
	for (uint32_t i = 0, at = 0; i < t->nsets; at += t->sets[i++].n) {
		w_le(w, at, 4);
		w_le(w, t->sets[i].n, 4);
	}
	w_members(w, ARX_POLSEC_CONFLICT_TYPES, t->sets, t->nsets);
}

struct blob {
	uint8_t *data;
	uint32_t size;
};

/* The blob, in a malloc'd buffer of exactly its size. */
static struct blob build(const struct t_policy *t)
{
	static struct writer w;
	uint32_t type_at[T_MAX], label_at[T_MAX];

	memset(&w, 0, sizeof(w));
	w_bytes(&w, ARX_POLICY_MAGIC, ARX_POLICY_MAGIC_LEN);
	w_le(&w, ARX_POLICY_VERSION, 4);
	w.n = sizeof(struct arx_policy_header);
	w_set32(&w, offsetof(struct arx_policy_header, flags), t->flags);
	w_set32(&w, offsetof(struct arx_policy_header, dom0_label), t->dom0);
	w_set32(&w, offsetof(struct arx_policy_header, domu_label), t->domu);
	w_section(&w, ARX_POLSEC_STRINGS, 0);
	w_strings(&w, t, type_at, label_at);
	w_tables(&w, t, type_at, label_at);
	while (w.n & 3)
		w.b[w.n++] = 0;
	w_set32(&w, offsetof(struct arx_policy_header, size), w.n);
	struct blob b = { malloc(w.n), w.n };
	memcpy(b.data, w.b, w.n);
	return b;
}

/*
 * Types a_t b_t c_t d_t. Labels: "a" (a_t), "ab" (a_t b_t), "b", "c", "d",
 * "system_u:x" (c_t d_t). a_t may grant and map to b_t, b_t signal c_t,
 * c_t copy with c_t, d_t control everyone; d_t may setenforce. Conflict sets
 * {a_t c_t} and {b_t c_t d_t}.
 */
enum { L_A, L_AB, L_B, L_C, L_D, L_X, NLABELS };

static struct t_policy sample(void)
{
	struct t_policy t = {
		.name = "sample", .flags = ARX_POLICY_ENFORCING, .dom0 = L_D, .domu = L_A,
		.ntypes = 4, .nlabels = NLABELS, .nsets = 2,
		.types = { "a_t", "b_t", "c_t", "d_t" },
		.labels = { { "a", 1, { 0 } }, { "ab", 2, { 0, 1 } }, { "b", 1, { 1 } },
			    { "c", 1, { 2 } }, { "d", 1, { 3 } }, { "system_u:x", 2, { 2, 3 } } },
		.sets = { { NULL, 2, { 0, 2 } }, { NULL, 3, { 1, 2, 3 } } },
		.admin = { [3] = OP(POL_SETENFORCE) },
	};
	t.allow[0][1] = OP(POL_GRANT) | OP(POL_MAP);
	t.allow[1][2] = OP(POL_SIGNAL);
	t.allow[2][2] = OP(POL_COPY);
	for (int o = 0; o < 4; o++)
		t.allow[3][o] = CONTROL;
	return t;
}

/* ------------------------------------------------------------ loading */

/* Every decision and accessor, over every label and type and a few beyond. */
static void exercise(const struct policy *p)
{
	uint32_t nl = MIN(p->nlabels, 64) + 2, nt = MIN(p->ntypes, 64) + 2;
	struct policy_label l;
	const uint16_t *set;
	const char *name;
	uint32_t n, len;

	for (uint32_t s = 0; s < nl; s++) {
		for (uint32_t o = 0; o < nl; o++) {
			for (int op = 0; op <= POL_NR_OPS; op++)
				(void)policy_allows(p, s, o, (enum policy_op)op);
			(void)policy_conflict(p, s, o);
		}
		for (int op = 0; op <= POL_NR_ADMIN; op++)
			(void)policy_admin_allows(p, s, (enum policy_admin)op);
		if (policy_label(p, s, &l))
			CHECK_EQ(policy_find_label(p, l.name, l.name_len), s);
	}
	for (uint32_t t = 0; t < nt; t++) {
		if (policy_type(p, t, &name, &len))
			CHECK(len > 0 && name[len - 1] != 0x7f);
		(void)policy_type_admin(p, t);
		for (uint32_t o = 0; o < nt; o++)
			(void)policy_type_ops(p, t, o);
	}
	for (uint32_t i = 0; policy_conflict_set(p, i, &set, &n); i++)
		CHECK(n >= 2 && set[n - 1] < p->ntypes);
}

/* Loads a copy in a buffer of exactly n bytes; a policy that loads is exercised. */
static int load_exact(const uint8_t *b, size_t n, const char **why)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct policy p;
	const char *w = NULL;
	int r;

	memcpy(copy, b, n);
	r = policy_load(&p, copy, n, &w);
	if (r == 0)
		exercise(&p);
	else
		CHECKF(w && !strncmp(w, "policy: ", 8), "refused without a message (%s)", w);
	free(copy);
	if (why)
		*why = w;
	return r;
}

static void test_safe_default(void)
{
	struct policy p;
	struct policy_label l;

	policy_safe_default(&p);
	CHECK_EQ(p.ntypes, 2);
	CHECK_EQ(p.nlabels, 2);
	CHECK(p.enforcing);
	CHECK_EQ(policy_find_label(&p, "dom0", 4), p.dom0_label);
	CHECK_EQ(policy_find_label(&p, "domU", 4), p.domu_label);
	CHECK(policy_label(&p, p.dom0_label, &l) && l.ntypes == 1);
	for (int op = 0; op < POL_NR_OPS; op++) {
		bool control = CONTROL & OP(op);
		CHECK_EQ(policy_allows(&p, p.dom0_label, p.domu_label, op), control);
		CHECK_EQ(policy_allows(&p, p.dom0_label, p.dom0_label, op), control);
		CHECK(!policy_allows(&p, p.domu_label, p.dom0_label, op));
		CHECK(!policy_allows(&p, p.domu_label, p.domu_label, op));
	}
	CHECK(policy_admin_allows(&p, p.dom0_label, POL_SETENFORCE));
	CHECK(policy_admin_allows(&p, p.dom0_label, POL_LOADPOLICY));
	CHECK(!policy_admin_allows(&p, p.domu_label, POL_SETENFORCE));
	CHECK(!policy_conflict(&p, p.dom0_label, p.domu_label));
	/* The built-in bytes pass the loader's own checks. */
	CHECK_EQ(load_exact(p.blob, p.size, NULL), 0);
}

static void test_sample_loads(void)
{
	struct t_policy t = sample();
	struct blob b = build(&t);
	struct policy p;
	const char *why = "unset";

	CHECK_EQ(policy_load(&p, b.data, b.size, &why), 0);
	CHECK_STR(why, "unset");
	CHECK_EQ(p.ntypes, 4);
	CHECK_EQ(p.nlabels, NLABELS);
	CHECK_EQ(p.nconflicts, 2);
	CHECK_EQ(p.dom0_label, L_D);
	CHECK_EQ(p.name_len, 6);
	CHECK(!memcmp(p.name, "sample", 6));
	CHECK(p.enforcing);
	t.flags = 0;
	free(b.data);
	b = build(&t);
	CHECK_EQ(policy_load(&p, b.data, b.size, &why), 0);
	CHECK(!p.enforcing);
	free(b.data);
}

/* ------------------------------------------------------------ decisions */

static struct policy sample_policy;
static struct blob sample_blob;

static void load_sample(void)
{
	struct t_policy t = sample();
	const char *why = NULL;

	sample_blob = build(&t);
	CHECK_EQ(policy_load(&sample_policy, sample_blob.data, sample_blob.size, &why), 0);
}

static void test_allows(void)
{
	const struct policy *p = &sample_policy;

	CHECK(policy_allows(p, L_A, L_B, POL_GRANT));
	CHECK(policy_allows(p, L_A, L_B, POL_MAP));
	CHECK(!policy_allows(p, L_A, L_B, POL_COPY));
	CHECK(!policy_allows(p, L_B, L_A, POL_GRANT)); /* rules have a direction */
	CHECK(!policy_allows(p, L_A, L_A, POL_GRANT));
	/* Any type of the subject's label towards any type of the object's. */
	CHECK(policy_allows(p, L_AB, L_C, POL_SIGNAL));
	CHECK(policy_allows(p, L_AB, L_B, POL_MAP));
	CHECK(policy_allows(p, L_AB, L_AB, POL_GRANT));
	CHECK(policy_allows(p, L_B, L_X, POL_SIGNAL));
	CHECK(policy_allows(p, L_X, L_A, POL_CREATE));
	CHECK(!policy_allows(p, L_C, L_A, POL_CREATE));
	CHECK(policy_allows(p, L_C, L_X, POL_COPY));
	CHECK(!policy_allows(p, L_X, L_B, POL_COPY));
	for (int op = 0; op < POL_NR_OPS; op++)
		CHECK_EQ(policy_allows(p, L_D, L_X, op), !!(CONTROL & OP(op)));
}

static void test_out_of_range(void)
{
	const struct policy *p = &sample_policy;

	CHECK(!policy_allows(p, NLABELS, L_B, POL_LIST));
	CHECK(!policy_allows(p, L_D, NLABELS, POL_LIST));
	CHECK(!policy_allows(p, UINT32_MAX, UINT32_MAX, POL_LIST));
	CHECK(!policy_allows(p, L_D, L_A, POL_NR_OPS));
	CHECK(!policy_allows(p, L_D, L_A, (enum policy_op)-1));
	CHECK(!policy_admin_allows(p, NLABELS, POL_SETENFORCE));
	CHECK(!policy_admin_allows(p, L_D, POL_NR_ADMIN));
	/* An unknown label conflicts: refusing to start is the closed failure. */
	CHECK(policy_conflict(p, NLABELS, L_A));
	CHECK(policy_conflict(p, L_A, UINT32_MAX));
	struct policy_label l;
	CHECK(!policy_label(p, NLABELS, &l));
	CHECK_EQ(policy_type_ops(p, 4, 0), 0);
	CHECK_EQ(policy_type_admin(p, 4), 0);
	CHECK_STR(policy_op_name(POL_NR_OPS), "?");
	CHECK_STR(policy_admin_name((enum policy_admin)7), "?");
}

static void test_admin(void)
{
	const struct policy *p = &sample_policy;

	CHECK(policy_admin_allows(p, L_D, POL_SETENFORCE));
	CHECK(!policy_admin_allows(p, L_D, POL_LOADPOLICY));
	CHECK(policy_admin_allows(p, L_X, POL_SETENFORCE)); /* through d_t */
	CHECK(!policy_admin_allows(p, L_C, POL_SETENFORCE));
}

static void test_conflicts(void)
{
	const struct policy *p = &sample_policy;
	static const struct { uint32_t a, b; bool conflict; } cases[] = {
		{ L_A, L_C, true },   /* set {a_t c_t} */
		{ L_C, L_C, false },  /* the same type never conflicts with itself */
		{ L_A, L_A, false },
		{ L_AB, L_A, false }, /* only a_t in common with set 1; a has no b/c/d */
		{ L_AB, L_C, true },
		{ L_B, L_D, true },   /* set {b_t c_t d_t} */
		{ L_X, L_C, true },   /* x's d_t against c's c_t */
		{ L_X, L_X, true },   /* c_t and d_t, both in set 2 */
		{ L_A, L_B, false },  /* in different sets */
		{ L_A, L_D, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECKF(policy_conflict(p, cases[i].a, cases[i].b) == cases[i].conflict,
		       "conflict case %zu", i);
		CHECKF(policy_conflict(p, cases[i].b, cases[i].a) == cases[i].conflict,
		       "conflict case %zu reversed", i);
	}
}

static void test_find_label(void)
{
	const struct policy *p = &sample_policy;
	static const char *const names[NLABELS] = { "a", "ab", "b", "c", "d", "system_u:x" };
	struct policy_label l;

	for (int i = 0; i < NLABELS; i++) {
		CHECK_EQ(policy_find_label(p, names[i], strlen(names[i])), i);
		CHECK(policy_label(p, (uint32_t)i, &l));
		CHECK(l.name_len == strlen(names[i]) && !memcmp(l.name, names[i], l.name_len));
	}
	CHECK_EQ(policy_find_label(p, "", 0), -1);
	CHECK_EQ(policy_find_label(p, "aa", 2), -1);
	CHECK_EQ(policy_find_label(p, "a\0", 2), -1);
	CHECK_EQ(policy_find_label(p, "system_u:", 9), -1);
	CHECK_EQ(policy_find_label(p, "system_u:xy", 11), -1);
	CHECK_EQ(policy_find_label(p, "zzz", 3), -1);
	CHECK_EQ(policy_find_label(p, NULL, 3), -1);
	CHECK(policy_label(p, L_X, &l) && l.ntypes == 2 && l.types[0] == 2 && l.types[1] == 3);
}

/* ------------------------------------------------------------ hostile blobs */

static void test_every_truncation_refused(void)
{
	const struct policy *p = &sample_policy;
	struct policy safe;

	for (uint32_t n = 0; n < sample_blob.size; n++)
		CHECKF(load_exact(sample_blob.data, n, NULL) != 0, "truncated to %u loaded", n);
	policy_safe_default(&safe);
	for (size_t n = 0; n < safe.size; n++)
		CHECKF(load_exact(safe.blob, n, NULL) != 0, "safe default cut to %zu loaded", n);
	CHECK_EQ(load_exact(sample_blob.data, sample_blob.size, NULL), 0);
	(void)p;
}

/* Header bytes whose corruption may still be a valid policy. */
static bool benign_header_byte(uint32_t at)
{
	return at == offsetof(struct arx_policy_header, flags) ||      /* the mode */
	       at == offsetof(struct arx_policy_header, dom0_label) || /* another label */
	       at == offsetof(struct arx_policy_header, domu_label) ||
	       at == offsetof(struct arx_policy_header, name_off) ||   /* another name */
	       at == offsetof(struct arx_policy_header, name_len) ||
	       /* the string table grown into its zero padding: unreferenced bytes */
	       at == offsetof(struct arx_policy_header, sec[ARX_POLSEC_STRINGS].count);
}

/*
 * Every byte, every other value: refused, or loaded and exercised under
 * ASan. In the header only the mode, the default labels, the policy name and
 * the string table's padding may change and still load: never a magic,
 * version, size, other count or offset.
 */
static void test_every_byte_corruption(void)
{
	uint8_t *b = malloc(sample_blob.size);
	unsigned long loaded = 0, refused = 0;

	for (uint32_t at = 0; at < sample_blob.size; at++) {
		for (int v = 0; v < 256; v++) {
			if (v == sample_blob.data[at])
				continue;
			memcpy(b, sample_blob.data, sample_blob.size);
			b[at] = (uint8_t)v;
			if (load_exact(b, sample_blob.size, NULL) != 0) {
				refused++;
				continue;
			}
			loaded++;
			if (at < sizeof(struct arx_policy_header))
				CHECKF(benign_header_byte(at), "header byte %u = %#x loaded", at, v);
		}
	}
	CHECK(loaded > 0 && refused > loaded);
	free(b);
}

static void set32(uint8_t *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[at + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *b, size_t at)
{
	return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | (uint32_t)b[at + 3] << 24;
}

/* Every 32-bit field of the header and the tables set to values near the top. */
static void test_huge_fields_refused(void)
{
	const uint32_t nasty[] = { UINT32_MAX, UINT32_MAX - 1, UINT32_MAX - 3, 0x80000000u,
				   0x7fffffffu, 0x10000u, sample_blob.size, sample_blob.size + 4 };
	const uint8_t *s = sample_blob.data;
	uint32_t types = get32(s, offsetof(struct arx_policy_header, sec[ARX_POLSEC_TYPES].off));
	uint32_t end = get32(s, offsetof(struct arx_policy_header, sec[ARX_POLSEC_LABEL_TYPES].off));
	uint8_t *b = malloc(sample_blob.size);

	/* Header words from the version on, then the type and label tables. */
	for (uint32_t at = 8; at < end; at += 4) {
		if (at == sizeof(struct arx_policy_header))
			at = types;
		for (size_t i = 0; i < ARRAY_SIZE(nasty); i++) {
			memcpy(b, s, sample_blob.size);
			set32(b, at, nasty[i]);
			if (get32(b, at) == get32(s, at))
				continue;
			CHECKF(load_exact(b, sample_blob.size, NULL) != 0,
			       "word at %u = %#x loaded", at, nasty[i]);
		}
	}
	free(b);
}

/* The loader's message, numbers included, for a blob built from t. */
static void check_refused(const struct t_policy *t, const char *want)
{
	struct blob b = build(t);
	struct policy p;
	char msg[160];

	memset(&p, 0xab, sizeof(p));
	CHECK_EQ(policy_load_explain(&p, b.data, b.size, msg, sizeof(msg)), -1);
	CHECK_STR(msg, want);
	CHECK_EQ(((uint8_t *)&p)[0], 0xab); /* untouched */
	CHECK(load_exact(b.data, b.size, NULL) != 0);
	free(b.data);
}

static void test_bad_tables(void)
{
	struct t_policy t = sample();

	t.labels[L_B].name = "ab"; /* duplicate */
	check_refused(&t, "policy: label 2: name not after the previous label's "
			  "(duplicate or unsorted)");
	t = sample();
	t.labels[L_C].name = "a0"; /* unsorted */
	check_refused(&t, "policy: label 3: name not after the previous label's "
			  "(duplicate or unsorted)");
	t = sample();
	t.types[2] = "b_t"; /* duplicate type */
	check_refused(&t, "policy: type 2: name not after the previous type's "
			  "(duplicate or unsorted)");
	t = sample();
	t.labels[L_C].t[0] = 4;
	check_refused(&t, "policy: label 3: type index out of range (4, limit 4)");
	t = sample();
	t.labels[L_X].t[1] = 2; /* c_t twice */
	check_refused(&t, "policy: label 5: types repeated or unsorted");
	t = sample();
	t.labels[L_A].n = 0;
	check_refused(&t, "policy: label 0: number of types out of range (0, limit 8)");
	t = sample();
	t.labels[L_A].n = 9;
	check_refused(&t, "policy: label 0: number of types out of range (9, limit 8)");
	t = sample();
	t.labels[L_D].name = "d e";
	check_refused(&t, "policy: label 4: name has a space, quote, backslash or unprintable "
			  "byte (1)");
	t = sample();
	t.labels[L_A].name = "";
	check_refused(&t, "policy: label 0: empty name");
	t = sample();
	t.types[0] = "0a";
	check_refused(&t, "policy: type 0: name is not an identifier (0)");
}

static void test_bad_rules(void)
{
	struct t_policy t = sample();

	t.sets[1].n = 1;
	check_refused(&t, "policy: conflict set 1: number of types out of range (1, limit 64)");
	t = sample();
	t.sets[0].t[1] = 9;
	check_refused(&t, "policy: conflict set 0: type index out of range (9, limit 4)");
	t = sample();
	t.sets[1].t[2] = 2;
	check_refused(&t, "policy: conflict set 1: types repeated or unsorted");
	t = sample();
	t.allow[2][1] = 1u << POL_NR_OPS;
	check_refused(&t, "policy: allow: entry 9 has unknown operation bits (1024)");
	t = sample();
	t.admin[1] = 4;
	check_refused(&t, "policy: admin: type 1 has unknown admin bits (4)");
	t = sample();
	t.dom0 = NLABELS;
	check_refused(&t, "policy: header: dom0's default label out of range (6, limit 6)");
	t = sample();
	t.domu = UINT32_MAX;
	check_refused(&t, "policy: header: domU's default label out of range (4294967295, "
			  "limit 6)");
	t = sample();
	t.flags = 2;
	check_refused(&t, "policy: header: unknown flag bits (2)");
	t = sample();
	t.name = "a \"quoted\" name";
	check_refused(&t, "policy: header: name has a quote, backslash or unprintable byte (2)");
}

#define NO_EDIT UINT32_MAX

/* The message for the sample blob, extra zero bytes after it, the word at `at` set to v. */
static void check_word_refused(size_t extra, uint32_t at, uint32_t v, const char *want)
{
	uint8_t *b = calloc(1, sample_blob.size + extra);
	struct policy p;
	char msg[160];

	memcpy(b, sample_blob.data, sample_blob.size);
	if (at != NO_EDIT)
		set32(b, at, v);
	CHECK_EQ(policy_load_explain(&p, b, sample_blob.size + extra, msg, sizeof(msg)), -1);
	CHECK_STR(msg, want);
	free(b);
}

static void test_bad_header(void)
{
	uint32_t size = sample_blob.size;
	char want[160];

	check_word_refused(0, 4, 0x0a0d4c50, "policy: header: bad magic (not a compiled arx policy)");
	check_word_refused(0, 8, 2, "policy: header: unknown format version (2, expected 1)");
	snprintf(want, sizeof(want), "policy: header: blob longer than its size field (%u, expected %u)",
		 size + 4, size);
	check_word_refused(4, NO_EDIT, 0, want);
	snprintf(want, sizeof(want), "policy: blob: bytes after the last section (%u, expected %u)",
		 size + 4, size);
	check_word_refused(4, offsetof(struct arx_policy_header, size), size + 4, want);
	check_word_refused(0, offsetof(struct arx_policy_header, reserved0), 7,
			   "policy: header: reserved field 0 not zero (7)");
	check_word_refused(0, offsetof(struct arx_policy_header, reserved[2]), 1,
			   "policy: header: reserved field 3 not zero (1)");
	check_word_refused(ARX_POLICY_MAX_SIZE * 2 - size, offsetof(struct arx_policy_header, size),
			   ARX_POLICY_MAX_SIZE * 2, "policy: header: blob too large (2097152, limit 1048576)");
	check_word_refused(0, offsetof(struct arx_policy_header, name_len), 200,
			   "policy: header: name too long (200, limit 127)");
	check_word_refused(0, offsetof(struct arx_policy_header, name_off), 40,
			   "policy: header: name outside the string table (46, limit 34)");
}

static void test_bad_sections(void)
{
	const uint32_t sec = offsetof(struct arx_policy_header, sec);
	uint32_t labels = get32(sample_blob.data, sec + ARX_POLSEC_LABELS * 8);
	char want[160];

	snprintf(want, sizeof(want), "policy: section labels: offset not where the layout puts it "
		 "(%u, expected %u)", labels + 4, labels);
	check_word_refused(0, sec + ARX_POLSEC_LABELS * 8, labels + 4, want);
	check_word_refused(0, sec + ARX_POLSEC_TYPES * 8 + 4, 300,
			   "policy: section types: too many entries (300, limit 256)");
	check_word_refused(0, sec + ARX_POLSEC_ADMIN * 8 + 4, 3,
			   "policy: section admin: entries do not match the types (3, expected 4)");
	uint32_t conflicts = get32(sample_blob.data, sec + ARX_POLSEC_CONFLICTS * 8);
	snprintf(want, sizeof(want), "policy: section conflicts: extends past the end of the blob "
		 "(%u, limit %u)", conflicts + 64 * 8, sample_blob.size);
	check_word_refused(0, sec + ARX_POLSEC_CONFLICTS * 8 + 4, 64, want);
}

/* Padding between sections and after the last one must be zero. */
static void test_bad_padding(void)
{
	uint32_t types = get32(sample_blob.data, offsetof(struct arx_policy_header,
							   sec[ARX_POLSEC_TYPES].off));
	uint8_t *b = malloc(sample_blob.size);
	struct policy p;
	char msg[160];

	memcpy(b, sample_blob.data, sample_blob.size);
	b[types - 1] = 1; /* the strings end 2 bytes short of the types */
	CHECK_EQ(policy_load_explain(&p, b, sample_blob.size, msg, sizeof(msg)), -1);
	CHECK_STR(msg, "policy: section types: padding before it not zero");
	memcpy(b, sample_blob.data, sample_blob.size);
	b[sample_blob.size - 1] = 1; /* 5 conflict types: 2 bytes of padding at the end */
	CHECK_EQ(policy_load_explain(&p, b, sample_blob.size, msg, sizeof(msg)), -1);
	CHECK_STR(msg, "policy: blob: padding after the last section not zero");
	free(b);
}

static void test_alignment_and_messages(void)
{
	uint8_t *b = malloc(sample_blob.size + 4);
	struct policy p;
	const char *why = NULL;
	char msg[16];

	memcpy(b + 2, sample_blob.data, sample_blob.size);
	CHECK_EQ(policy_load(&p, b + 2, sample_blob.size, &why), -1);
	CHECK_STR(why, "policy: header: blob not 4-byte aligned in memory");
	CHECK_EQ(policy_load(&p, NULL, 0, &why), -1);
	CHECK_STR(why, "policy: no blob");
	CHECK_EQ(policy_load(&p, b, 3, NULL), -1); /* why is optional */
	/* The message is cut to the buffer, always terminated; a 0-byte buffer is left alone. */
	CHECK_EQ(policy_load_explain(&p, b + 2, sample_blob.size, msg, sizeof(msg)), -1);
	CHECK_STR(msg, "policy: header:");
	CHECK_EQ(policy_load_explain(&p, b + 2, sample_blob.size, msg, 1), -1);
	CHECK_STR(msg, "");
	msg[0] = 'x';
	CHECK_EQ(policy_load_explain(&p, b + 2, sample_blob.size, msg, 0), -1);
	CHECK_EQ(msg[0], 'x');
	free(b);
}

int main(void)
{
	test_safe_default();
	test_sample_loads();
	load_sample();
	test_allows();
	test_out_of_range();
	test_admin();
	test_conflicts();
	test_find_label();
	test_every_truncation_refused();
	test_every_byte_corruption();
	test_huge_fields_refused();
	test_bad_tables();
	test_bad_rules();
	test_bad_header();
	test_bad_sections();
	test_bad_padding();
	test_alignment_and_messages();
	free(sample_blob.data);
	return check_summary();
}
