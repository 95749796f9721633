/*
 * Lays a parsed policy out in the binary format (include/public/arx_policy.h):
 * names sorted (the hypervisor finds labels by binary search and checks
 * uniqueness by order), type indexes renumbered to match, sections in the
 * canonical layout. Written byte by byte in little-endian order, so the
 * output is the same whatever machine compiles it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_model.h"

struct key {
	const struct pc_name *name;
	uint32_t index; /* in declaration order */
};

static int key_cmp(const void *a, const void *b)
{
	const struct pc_name *x = ((const struct key *)a)->name, *y = ((const struct key *)b)->name;

	return policy_name_order(x->s, x->len, y->s, y->len);
}

/* The binary's order of names: order[new] = old, rank[old] = new. */
struct order {
	uint32_t order[ARX_POLICY_MAX_LABELS];
	uint32_t rank[ARX_POLICY_MAX_LABELS];
};

static void sort_names(const struct pc_name *first, size_t stride, uint32_t n, struct order *o)
{
	struct key keys[ARX_POLICY_MAX_LABELS];

	for (uint32_t i = 0; i < n; i++)
		keys[i] = (struct key){ (const void *)((const char *)first + i * stride), i };
	qsort(keys, n, sizeof(keys[0]), key_cmp);
	for (uint32_t i = 0; i < n; i++) {
		o->order[i] = keys[i].index;
		o->rank[keys[i].index] = i;
	}
}

struct emit {
	const struct pc_model *m;
	struct order types, labels;
	uint32_t off[ARX_POLSEC_NR], count[ARX_POLSEC_NR];
	uint64_t size;
	uint8_t *b;
	uint32_t strings_used;
};

static void put16(uint8_t *at, uint32_t v)
{
	at[0] = (uint8_t)v;
	at[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *at, uint32_t v)
{
	put16(at, v & 0xffff);
	put16(at + 2, v >> 16);
}

static void plan(struct emit *e)
{
	static const uint32_t entry_sizes[ARX_POLSEC_NR] = ARX_POLICY_ENTRY_SIZES;
	const struct pc_model *m = e->m;
	uint64_t end = sizeof(struct arx_policy_header);

	e->count[ARX_POLSEC_STRINGS] = m->name.len;
	e->count[ARX_POLSEC_TYPES] = e->count[ARX_POLSEC_ADMIN] = m->ntypes;
	e->count[ARX_POLSEC_ALLOW] = m->ntypes * m->ntypes;
	e->count[ARX_POLSEC_LABELS] = m->nlabels;
	e->count[ARX_POLSEC_CONFLICTS] = m->nsets;
	for (uint32_t i = 0; i < m->ntypes; i++)
		e->count[ARX_POLSEC_STRINGS] += m->types[i].len;
	for (uint32_t i = 0; i < m->nlabels; i++) {
		e->count[ARX_POLSEC_STRINGS] += m->labels[i].name.len;
		e->count[ARX_POLSEC_LABEL_TYPES] += m->labels[i].ntypes;
	}
	for (uint32_t i = 0; i < m->nsets; i++)
		e->count[ARX_POLSEC_CONFLICT_TYPES] += m->sets[i].ntypes;
	for (int i = 0; i < ARX_POLSEC_NR; i++) {
		e->off[i] = (uint32_t)((end + 3) & ~3ull);
		end = e->off[i] + (uint64_t)e->count[i] * entry_sizes[i];
	}
	e->size = (end + 3) & ~3ull;
}

/* Copies a name into the string table; returns its offset. */
static uint32_t put_string(struct emit *e, const struct pc_name *n)
{
	uint32_t at = e->strings_used;

	memcpy(e->b + e->off[ARX_POLSEC_STRINGS] + at, n->s, n->len);
	e->strings_used += n->len;
	return at;
}

static uint32_t default_label(const struct emit *e, int which)
{
	const struct pc_name *d = &e->m->defaults[which];

	for (uint32_t i = 0; i < e->m->nlabels; i++)
		if (!policy_name_order(e->m->labels[i].name.s, e->m->labels[i].name.len, d->s, d->len))
			return e->labels.rank[i];
	return UINT32_MAX; /* the parser resolved it: never reached */
}

static void put_header(struct emit *e)
{
	uint8_t *h = e->b;

	memcpy(h, ARX_POLICY_MAGIC, ARX_POLICY_MAGIC_LEN);
	put32(h + offsetof(struct arx_policy_header, version), ARX_POLICY_VERSION);
	put32(h + offsetof(struct arx_policy_header, size), (uint32_t)e->size);
	put32(h + offsetof(struct arx_policy_header, flags), e->m->enforcing ? ARX_POLICY_ENFORCING : 0);
	put32(h + offsetof(struct arx_policy_header, dom0_label), default_label(e, PC_DOM0));
	put32(h + offsetof(struct arx_policy_header, domu_label), default_label(e, PC_DOMU));
	put32(h + offsetof(struct arx_policy_header, name_off), put_string(e, &e->m->name));
	put32(h + offsetof(struct arx_policy_header, name_len), e->m->name.len);
	for (int i = 0; i < ARX_POLSEC_NR; i++) {
		put32(h + offsetof(struct arx_policy_header, sec[i].off), e->off[i]);
		put32(h + offsetof(struct arx_policy_header, sec[i].count), e->count[i]);
	}
}

static void put_types(struct emit *e)
{
	uint8_t *at = e->b + e->off[ARX_POLSEC_TYPES];

	for (uint32_t i = 0; i < e->m->ntypes; i++, at += sizeof(struct arx_policy_type)) {
		const struct pc_name *n = &e->m->types[e->types.order[i]];
		put32(at, put_string(e, n));
		put32(at + 4, n->len);
	}
}

static int u16_cmp(const void *a, const void *b)
{
	return *(const uint16_t *)a - *(const uint16_t *)b;
}

/* Type indexes, renumbered and sorted, into a pool section; returns how many. */
static uint32_t put_members(struct emit *e, int pool, uint32_t first, const uint16_t *types,
			    uint32_t n)
{
	uint16_t sorted[ARX_POLICY_MAX_SET_TYPES];

	for (uint32_t i = 0; i < n; i++)
		sorted[i] = (uint16_t)e->types.rank[types[i]];
	qsort(sorted, n, sizeof(sorted[0]), u16_cmp);
	for (uint32_t i = 0; i < n; i++)
		put16(e->b + e->off[pool] + (first + i) * 2, sorted[i]);
	return n;
}

static void put_labels(struct emit *e)
{
	uint8_t *at = e->b + e->off[ARX_POLSEC_LABELS];
	uint32_t first = 0;

	for (uint32_t i = 0; i < e->m->nlabels; i++, at += sizeof(struct arx_policy_label)) {
		const struct pc_label *l = &e->m->labels[e->labels.order[i]];
		put32(at, put_string(e, &l->name));
		put32(at + 4, l->name.len);
		put32(at + 8, first);
		put32(at + 12, l->ntypes);
		first += put_members(e, ARX_POLSEC_LABEL_TYPES, first, l->types, l->ntypes);
	}
}

static void put_rules(struct emit *e)
{
	const struct pc_model *m = e->m;
	uint8_t *allow = e->b + e->off[ARX_POLSEC_ALLOW], *admin = e->b + e->off[ARX_POLSEC_ADMIN];
	uint8_t *set = e->b + e->off[ARX_POLSEC_CONFLICTS];
	uint32_t first = 0;

	for (uint32_t s = 0; s < m->ntypes; s++) {
		for (uint32_t o = 0; o < m->ntypes; o++)
			put16(allow + (s * m->ntypes + o) * 2,
			      m->allow[e->types.order[s]][e->types.order[o]]);
		put16(admin + s * 2, m->admin[e->types.order[s]]);
	}
	for (uint32_t i = 0; i < m->nsets; i++, set += sizeof(struct arx_policy_conflict)) {
		put32(set, first);
		put32(set + 4, m->sets[i].ntypes);
		first += put_members(e, ARX_POLSEC_CONFLICT_TYPES, first, m->sets[i].types,
				     m->sets[i].ntypes);
	}
}

int pc_emit(const struct pc_model *m, uint8_t **blob, size_t *size, char *why, size_t len)
{
	struct emit *e = calloc(1, sizeof(*e));

	if (!e)
		return snprintf(why, len, "out of memory"), -1;
	e->m = m;
	plan(e);
	if (e->size > ARX_POLICY_MAX_SIZE) {
		snprintf(why, len, "compiled policy too large (%llu bytes, limit %d)",
			 (unsigned long long)e->size, ARX_POLICY_MAX_SIZE);
		free(e);
		return -1;
	}
	sort_names(m->types, sizeof(m->types[0]), m->ntypes, &e->types);
	sort_names(&m->labels[0].name, sizeof(m->labels[0]), m->nlabels, &e->labels);
	e->b = calloc(1, e->size);
	if (!e->b) {
		free(e);
		return snprintf(why, len, "out of memory"), -1;
	}
	put_header(e);
	put_types(e);
	put_labels(e);
	put_rules(e);
	*blob = e->b;
	*size = e->size;
	free(e);
	return 0;
}
