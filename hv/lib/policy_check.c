/*
 * policy_load: checks a binary policy (include/public/arx_policy.h) field by
 * field before any decision trusts it. The blob is hostile: it comes from a
 * boot package or from dom0's loadpolicy. Every count is bounded before it
 * is multiplied, every offset and length is summed in 64 bits before it is
 * compared with the blob's size, and every index is compared with what it
 * indexes; the layout is canonical, so every byte outside the string table
 * is checked. The first problem found is reported.
 */
#include <arx/string.h>

#include "policy_blob.h"

#define NONE UINT64_MAX
#define HDR(field) pol_rd32(c->b + offsetof(struct arx_policy_header, field))
#define OPS_MASK ((1u << POL_NR_OPS) - 1)
#define ADMIN_MASK ((1u << POL_NR_ADMIN) - 1)

struct check {
	const uint8_t *b;
	uint64_t size;
	const uint8_t *sec[ARX_POLSEC_NR];
	uint32_t count[ARX_POLSEC_NR];
	/* The problem: why has '#' where item (or item_name) goes. */
	const char *why;
	const char *item_name;
	uint32_t item;
	uint64_t value, bound;
	const char *bound_word;
};

static int fail(struct check *c, const char *why, uint32_t item, uint64_t value, uint64_t limit)
{
	c->why = why;
	c->item = item;
	c->value = value;
	c->bound = limit;
	c->bound_word = "limit";
	return -1;
}

/* A field that must hold one exact value. */
static int fail_want(struct check *c, const char *why, uint32_t item, uint64_t got, uint64_t want)
{
	fail(c, why, item, got, want);
	c->bound_word = "expected";
	return -1;
}

static const char *const sec_names[ARX_POLSEC_NR] = {
	"strings", "types", "labels", "label types", "allow", "admin", "conflicts", "conflict types",
};

static const uint32_t entry_sizes[ARX_POLSEC_NR] = ARX_POLICY_ENTRY_SIZES;

static bool all_zero(const uint8_t *at, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (at[i])
			return false;
	return true;
}

static int check_header(struct check *c)
{
	const size_t hsize = sizeof(struct arx_policy_header);
	const uint32_t nres = ARRAY_SIZE(((struct arx_policy_header *)0)->reserved);

	if (c->size < hsize)
		return fail(c, "policy: header: blob shorter than the header", 0, c->size, hsize);
	if ((uintptr_t)c->b & 3)
		return fail(c, "policy: header: blob not 4-byte aligned in memory", 0, NONE, NONE);
	if (memcmp(c->b, ARX_POLICY_MAGIC, ARX_POLICY_MAGIC_LEN))
		return fail(c, "policy: header: bad magic (not a compiled arx policy)", 0, NONE, NONE);
	if (HDR(version) != ARX_POLICY_VERSION)
		return fail_want(c, "policy: header: unknown format version", 0, HDR(version),
				 ARX_POLICY_VERSION);
	if (HDR(size) > c->size)
		return fail_want(c, "policy: header: blob truncated: shorter than its size field", 0,
				 c->size, HDR(size));
	if (HDR(size) < c->size)
		return fail_want(c, "policy: header: blob longer than its size field", 0, c->size,
				 HDR(size));
	if (c->size > ARX_POLICY_MAX_SIZE)
		return fail(c, "policy: header: blob too large", 0, c->size, ARX_POLICY_MAX_SIZE);
	if (HDR(flags) & ~ARX_POLICY_FLAGS_KNOWN)
		return fail(c, "policy: header: unknown flag bits", 0, HDR(flags), NONE);
	if (HDR(reserved0))
		return fail(c, "policy: header: reserved field # not zero", 0, HDR(reserved0), NONE);
	for (uint32_t i = 0; i < nres; i++)
		if (HDR(reserved[i]))
			return fail(c, "policy: header: reserved field # not zero", i + 1,
				    HDR(reserved[i]), NONE);
	return 0;
}

/* The most entries section i may have (for allow and admin: exactly). */
static uint64_t section_limit(const struct check *c, unsigned int i)
{
	uint64_t ntypes = c->count[ARX_POLSEC_TYPES];

	switch (i) {
	case ARX_POLSEC_STRINGS: return ARX_POLICY_MAX_SIZE;
	case ARX_POLSEC_TYPES: return ARX_POLICY_MAX_TYPES;
	case ARX_POLSEC_LABELS: return ARX_POLICY_MAX_LABELS;
	case ARX_POLSEC_LABEL_TYPES: return ARX_POLICY_MAX_LABELS * ARX_POLICY_MAX_LABEL_TYPES;
	case ARX_POLSEC_ALLOW: return ntypes * ntypes;
	case ARX_POLSEC_ADMIN: return ntypes;
	case ARX_POLSEC_CONFLICTS: return ARX_POLICY_MAX_CONFLICTS;
	default: return ARX_POLICY_MAX_CONFLICTS * ARX_POLICY_MAX_SET_TYPES;
	}
}

/* Section i, which must start where the layout puts it: after *end, aligned. */
static int check_section(struct check *c, unsigned int i, uint64_t *end)
{
	const uint8_t *d = c->b + offsetof(struct arx_policy_header, sec) + i * 8;
	uint64_t off = pol_rd32(d), count = pol_rd32(d + 4);
	uint64_t want = ALIGN_UP(*end, 4), limit = section_limit(c, i);

	c->item_name = sec_names[i];
	if (count > limit)
		return fail(c, "policy: section #: too many entries", 0, count, limit);
	if ((i == ARX_POLSEC_ALLOW || i == ARX_POLSEC_ADMIN) && count != limit)
		return fail_want(c, "policy: section #: entries do not match the types", 0, count,
				 limit);
	if (off != want)
		return fail_want(c, "policy: section #: offset not where the layout puts it", 0,
				 off, want);
	if (off + count * entry_sizes[i] > c->size)
		return fail(c, "policy: section #: extends past the end of the blob", 0,
			    off + count * entry_sizes[i], c->size);
	if (!all_zero(c->b + *end, off - *end))
		return fail(c, "policy: section #: padding before it not zero", 0, NONE, NONE);
	c->sec[i] = c->b + off;
	c->count[i] = (uint32_t)count;
	*end = off + count * entry_sizes[i];
	return 0;
}

static int check_sections(struct check *c)
{
	uint64_t end = sizeof(struct arx_policy_header);

	for (unsigned int i = 0; i < ARX_POLSEC_NR; i++)
		if (check_section(c, i, &end))
			return -1;
	c->item_name = NULL;
	if (c->size != ALIGN_UP(end, 4))
		return fail_want(c, "policy: blob: bytes after the last section", 0, c->size,
				 ALIGN_UP(end, 4));
	if (!all_zero(c->b + end, c->size - end))
		return fail(c, "policy: blob: padding after the last section not zero", 0, NONE,
			    NONE);
	return 0;
}

/* What a name may hold, and what to say when it does not. */
struct name_rules {
	bool (*byte_ok)(uint8_t ch, uint32_t pos);
	const char *empty, *length, *range, *chars, *order;
};

static bool ident_byte(uint8_t ch, uint32_t pos)
{
	bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
	return alpha || (pos > 0 && ch >= '0' && ch <= '9');
}

/* Printable, and never a quote or backslash, so the text form needs no escapes. */
static bool label_byte(uint8_t ch, uint32_t pos)
{
	(void)pos;
	return ch > ' ' && ch < 0x7f && ch != '"' && ch != '\\';
}

static bool policy_name_byte(uint8_t ch, uint32_t pos)
{
	return ch == ' ' || label_byte(ch, pos);
}

static const struct name_rules type_rules = {
	ident_byte,
	"policy: type #: empty name",
	"policy: type #: name too long",
	"policy: type #: name outside the string table",
	"policy: type #: name is not an identifier",
	"policy: type #: name not after the previous type's (duplicate or unsorted)",
};

static const struct name_rules label_rules = {
	label_byte,
	"policy: label #: empty name",
	"policy: label #: name too long",
	"policy: label #: name outside the string table",
	"policy: label #: name has a space, quote, backslash or unprintable byte",
	"policy: label #: name not after the previous label's (duplicate or unsorted)",
};

static const struct name_rules policy_name_rules = {
	policy_name_byte,
	"policy: header: empty name with an offset",
	"policy: header: name too long",
	"policy: header: name outside the string table",
	"policy: header: name has a quote, backslash or unprintable byte",
	NULL,
};

/* Checks the name at (off, len) of the string table; *name points at it. */
static int check_name(struct check *c, const struct name_rules *r, uint32_t item, uint32_t off,
		      uint32_t len, const uint8_t **name)
{
	uint64_t nstrings = c->count[ARX_POLSEC_STRINGS];

	if (!len)
		return fail(c, r->empty, item, NONE, NONE);
	if (len > ARX_POLICY_MAX_NAME)
		return fail(c, r->length, item, len, ARX_POLICY_MAX_NAME);
	if ((uint64_t)off + len > nstrings)
		return fail(c, r->range, item, (uint64_t)off + len, nstrings);
	*name = c->sec[ARX_POLSEC_STRINGS] + off;
	for (uint32_t i = 0; i < len; i++)
		if (!r->byte_ok((*name)[i], i))
			return fail(c, r->chars, item, i, NONE);
	return 0;
}

/* Entries of e bytes starting with (name_off, name_len): names valid, strictly increasing. */
static int check_names(struct check *c, const struct name_rules *r, unsigned int sec)
{
	const uint8_t *prev = NULL, *name = NULL;
	uint32_t prev_len = 0;

	for (uint32_t i = 0; i < c->count[sec]; i++) {
		const uint8_t *e = pol_entry(c->sec[sec], i, entry_sizes[sec]);
		uint32_t len = pol_rd32(e + 4);
		if (check_name(c, r, i, pol_rd32(e), len, &name))
			return -1;
		if (prev && policy_name_order(prev, prev_len, name, len) >= 0)
			return fail(c, r->order, i, NONE, NONE);
		prev = name;
		prev_len = len;
	}
	return 0;
}

static int check_policy_name(struct check *c)
{
	const uint8_t *name;

	if (!HDR(name_len))
		return HDR(name_off) ? fail(c, policy_name_rules.empty, 0, HDR(name_off), NONE) : 0;
	return check_name(c, &policy_name_rules, 0, HDR(name_off), HDR(name_len), &name);
}

/* Labels and conflict sets: ranges of a pool of type indexes, used in order. */
struct member_rules {
	unsigned int sec, pool;
	uint32_t range_at; /* offset of (first, ntypes) in an entry */
	uint32_t min, max;
	const char *count, *first, *index, *order, *left_over;
};

static const struct member_rules label_members = {
	ARX_POLSEC_LABELS, ARX_POLSEC_LABEL_TYPES, offsetof(struct arx_policy_label, first),
	1, ARX_POLICY_MAX_LABEL_TYPES,
	"policy: label #: number of types out of range",
	"policy: label #: types not right after the previous label's",
	"policy: label #: type index out of range",
	"policy: label #: types repeated or unsorted",
	"policy: label types: entries that no label uses",
};

static const struct member_rules conflict_members = {
	ARX_POLSEC_CONFLICTS, ARX_POLSEC_CONFLICT_TYPES, offsetof(struct arx_policy_conflict, first),
	2, ARX_POLICY_MAX_SET_TYPES,
	"policy: conflict set #: number of types out of range",
	"policy: conflict set #: types not right after the previous set's",
	"policy: conflict set #: type index out of range",
	"policy: conflict set #: types repeated or unsorted",
	"policy: conflict types: entries that no set uses",
};

/* One entry's types: pool[first .. first + n), below ntypes, strictly increasing. */
static int check_members_of(struct check *c, const struct member_rules *r, uint32_t item,
			    uint32_t *used)
{
	const uint8_t *e = pol_entry(c->sec[r->sec], item, entry_sizes[r->sec]) + r->range_at;
	uint32_t first = pol_rd32(e), n = pol_rd32(e + 4);
	const pol16_t *t = (const pol16_t *)c->sec[r->pool];

	if (n < r->min || n > r->max)
		return fail(c, r->count, item, n, r->max);
	if (first != *used)
		return fail_want(c, r->first, item, first, *used);
	if ((uint64_t)first + n > c->count[r->pool])
		return fail(c, r->first, item, (uint64_t)first + n, c->count[r->pool]);
	for (uint32_t i = 0; i < n; i++) {
		if (t[first + i] >= c->count[ARX_POLSEC_TYPES])
			return fail(c, r->index, item, t[first + i], c->count[ARX_POLSEC_TYPES]);
		if (i && t[first + i] <= t[first + i - 1])
			return fail(c, r->order, item, NONE, NONE);
	}
	*used = first + n;
	return 0;
}

static int check_members(struct check *c, const struct member_rules *r)
{
	uint32_t used = 0;

	for (uint32_t i = 0; i < c->count[r->sec]; i++)
		if (check_members_of(c, r, i, &used))
			return -1;
	if (used != c->count[r->pool])
		return fail_want(c, r->left_over, 0, c->count[r->pool], used);
	return 0;
}

/* Op and admin masks: no bit beyond the operations arx knows. */
static int check_masks(struct check *c)
{
	const pol16_t *allow = (const pol16_t *)c->sec[ARX_POLSEC_ALLOW];
	const pol16_t *admin = (const pol16_t *)c->sec[ARX_POLSEC_ADMIN];

	for (uint32_t i = 0; i < c->count[ARX_POLSEC_ALLOW]; i++)
		if (allow[i] & ~OPS_MASK)
			return fail(c, "policy: allow: entry # has unknown operation bits", i,
				    allow[i], NONE);
	for (uint32_t i = 0; i < c->count[ARX_POLSEC_ADMIN]; i++)
		if (admin[i] & ~ADMIN_MASK)
			return fail(c, "policy: admin: type # has unknown admin bits", i, admin[i],
				    NONE);
	return 0;
}

static int check_defaults(struct check *c)
{
	uint32_t n = c->count[ARX_POLSEC_LABELS];

	if (HDR(dom0_label) >= n)
		return fail(c, "policy: header: dom0's default label out of range", 0,
			    HDR(dom0_label), n);
	if (HDR(domu_label) >= n)
		return fail(c, "policy: header: domU's default label out of range", 0,
			    HDR(domu_label), n);
	return 0;
}

static int check_all(struct check *c)
{
	if (check_header(c) || check_sections(c) || check_policy_name(c))
		return -1;
	if (check_names(c, &type_rules, ARX_POLSEC_TYPES) ||
	    check_names(c, &label_rules, ARX_POLSEC_LABELS))
		return -1;
	if (check_members(c, &label_members) || check_members(c, &conflict_members))
		return -1;
	return check_masks(c) || check_defaults(c) ? -1 : 0;
}

void policy_fill(struct policy *p, const uint8_t *blob)
{
	const uint8_t *sec = blob + offsetof(struct arx_policy_header, sec);
	const uint8_t *at[ARX_POLSEC_NR];

	for (unsigned int i = 0; i < ARX_POLSEC_NR; i++)
		at[i] = blob + pol_rd32(sec + i * 8);
	*p = (struct policy){
		.blob = blob,
		.size = pol_rd32(blob + offsetof(struct arx_policy_header, size)),
		.ntypes = pol_rd32(sec + ARX_POLSEC_TYPES * 8 + 4),
		.nlabels = pol_rd32(sec + ARX_POLSEC_LABELS * 8 + 4),
		.name = at[ARX_POLSEC_STRINGS] +
			pol_rd32(blob + offsetof(struct arx_policy_header, name_off)),
		.name_len = pol_rd32(blob + offsetof(struct arx_policy_header, name_len)),
		.enforcing = pol_rd32(blob + offsetof(struct arx_policy_header, flags)) &
			     ARX_POLICY_ENFORCING,
		.dom0_label = pol_rd32(blob + offsetof(struct arx_policy_header, dom0_label)),
		.domu_label = pol_rd32(blob + offsetof(struct arx_policy_header, domu_label)),
		.strings = at[ARX_POLSEC_STRINGS],
		.types = at[ARX_POLSEC_TYPES],
		.labels = at[ARX_POLSEC_LABELS],
		.label_types = at[ARX_POLSEC_LABEL_TYPES],
		.allow = at[ARX_POLSEC_ALLOW],
		.admin = at[ARX_POLSEC_ADMIN],
		.conflicts = at[ARX_POLSEC_CONFLICTS],
		.conflict_types = at[ARX_POLSEC_CONFLICT_TYPES],
		.nconflicts = pol_rd32(sec + ARX_POLSEC_CONFLICTS * 8 + 4),
	};
}

static int check_blob(struct check *c, struct policy *p, const void *blob, size_t size)
{
	*c = (struct check){ .b = blob, .size = size };
	if (!blob)
		return fail(c, "policy: no blob", 0, NONE, NONE);
	if (check_all(c))
		return -1;
	policy_fill(p, blob);
	return 0;
}

int policy_load(struct policy *p, const void *blob, size_t size, const char **why)
{
	struct check c;

	if (!check_blob(&c, p, blob, size))
		return 0;
	if (why)
		*why = c.why;
	return -1;
}

/* Writing the problem out, numbers included, without a printf. */
struct out {
	char *buf;
	size_t len, pos;
};

static void put_ch(struct out *o, char ch)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos++] = ch;
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put_ch(o, *s++);
}

static void put_u64(struct out *o, uint64_t v)
{
	char digits[20];
	int n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		put_ch(o, digits[--n]);
}

static void explain(const struct check *c, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	for (const char *s = c->why; *s; s++) {
		if (*s != '#')
			put_ch(&o, *s);
		else if (c->item_name)
			put_str(&o, c->item_name);
		else
			put_u64(&o, c->item);
	}
	if (c->value != NONE) {
		put_str(&o, " (");
		put_u64(&o, c->value);
		if (c->bound != NONE) {
			put_str(&o, ", ");
			put_str(&o, c->bound_word);
			put_ch(&o, ' ');
			put_u64(&o, c->bound);
		}
		put_ch(&o, ')');
	}
	if (len)
		buf[o.pos] = '\0';
}

int policy_load_explain(struct policy *p, const void *blob, size_t size, char *buf, size_t len)
{
	struct check c;

	if (!check_blob(&c, p, blob, size))
		return 0;
	explain(&c, buf, len);
	return -1;
}
