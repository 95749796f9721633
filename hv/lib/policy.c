/*
 * Decisions from a validated policy (see arx/policy.h), and the built-in
 * safe default. Everything here trusts what hv/lib/policy_check.c checked:
 * label entries' type ranges lie in the pool, type indexes are below ntypes.
 * It checks only what callers pass (label numbers, ops), so a decision is a
 * handful of loads: no string work, no allocation.
 */
#include <arx/string.h>

#include "policy_blob.h"

#define LABEL_SIZE sizeof(struct arx_policy_label)
#define CONFLICT_SIZE sizeof(struct arx_policy_conflict)

/* The type indexes label l carries, and how many. */
static const pol16_t *label_types(const struct policy *p, uint32_t l, uint32_t *n)
{
	const uint8_t *e = pol_entry(p->labels, l, LABEL_SIZE);
	*n = pol_rd32(e + offsetof(struct arx_policy_label, ntypes));
	return (const pol16_t *)p->label_types + pol_rd32(e + offsetof(struct arx_policy_label, first));
}

bool policy_allows(const struct policy *p, uint32_t subject, uint32_t object, enum policy_op op)
{
	uint32_t ns, no;

	if (subject >= p->nlabels || object >= p->nlabels || (unsigned int)op >= POL_NR_OPS)
		return false;
	const pol16_t *st = label_types(p, subject, &ns);
	const pol16_t *ot = label_types(p, object, &no);
	const pol16_t *allow = (const pol16_t *)p->allow;
	uint16_t bit = (uint16_t)(1u << op);
	/* Labels carry one type almost always: one row, one entry. */
	for (uint32_t i = 0; i < ns; i++) {
		const pol16_t *row = allow + (size_t)st[i] * p->ntypes;
		for (uint32_t j = 0; j < no; j++)
			if (row[ot[j]] & bit)
				return true;
	}
	return false;
}

bool policy_admin_allows(const struct policy *p, uint32_t subject, enum policy_admin op)
{
	uint32_t n;

	if (subject >= p->nlabels || (unsigned int)op >= POL_NR_ADMIN)
		return false;
	const pol16_t *t = label_types(p, subject, &n);
	for (uint32_t i = 0; i < n; i++)
		if (((const pol16_t *)p->admin)[t[i]] & (1u << op))
			return true;
	return false;
}

/* Which of a label's types a conflict set holds: how many, and one of them. */
struct set_hits {
	uint32_t n;
	uint16_t one;
};

/* Both lists are strictly increasing (checked at load): one merge pass. */
static struct set_hits hits(const pol16_t *set, uint32_t nset, const pol16_t *t, uint32_t nt)
{
	struct set_hits h = { 0, 0 };
	uint32_t i = 0, j = 0;

	while (i < nset && j < nt) {
		if (set[i] < t[j]) {
			i++;
		} else if (set[i] > t[j]) {
			j++;
		} else {
			h.n++;
			h.one = set[i];
			i++;
			j++;
		}
	}
	return h;
}

/*
 * A set separates a and b when it holds a type of each and they differ:
 * two domains of one and the same type never conflict with each other.
 */
static bool set_separates(const struct policy *p, uint32_t s, uint32_t a, uint32_t b)
{
	const uint8_t *e = pol_entry(p->conflicts, s, CONFLICT_SIZE);
	uint32_t nset = pol_rd32(e + offsetof(struct arx_policy_conflict, ntypes));
	const pol16_t *set = (const pol16_t *)p->conflict_types +
			     pol_rd32(e + offsetof(struct arx_policy_conflict, first));
	uint32_t na, nb;
	const pol16_t *ta = label_types(p, a, &na), *tb = label_types(p, b, &nb);
	struct set_hits ha = hits(set, nset, ta, na), hb = hits(set, nset, tb, nb);

	if (!ha.n || !hb.n)
		return false;
	return ha.n > 1 || hb.n > 1 || ha.one != hb.one;
}

/* An unknown label conflicts with everything: refusing to start fails closed. */
bool policy_conflict(const struct policy *p, uint32_t a, uint32_t b)
{
	if (a >= p->nlabels || b >= p->nlabels)
		return true;
	for (uint32_t s = 0; s < p->nconflicts; s++)
		if (set_separates(p, s, a, b))
			return true;
	return false;
}

int policy_name_order(const void *a, size_t alen, const void *b, size_t blen)
{
	int r = memcmp(a, b, MIN(alen, blen));

	return r ? r : (alen > blen) - (alen < blen);
}

int32_t policy_find_label(const struct policy *p, const char *name, size_t len)
{
	uint32_t lo = 0, hi = p->nlabels;

	if (!name || len > ARX_POLICY_MAX_NAME)
		return -1;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const uint8_t *e = pol_entry(p->labels, mid, LABEL_SIZE);
		const uint8_t *n = p->strings + pol_rd32(e);
		int r = policy_name_order(n, pol_rd32(e + 4), name, len);
		if (!r)
			return (int32_t)mid;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

bool policy_label(const struct policy *p, uint32_t label, struct policy_label *out)
{
	if (label >= p->nlabels)
		return false;
	const uint8_t *e = pol_entry(p->labels, label, LABEL_SIZE);
	out->name = (const char *)p->strings + pol_rd32(e);
	out->name_len = pol_rd32(e + 4);
	out->types = (const uint16_t *)label_types(p, label, &out->ntypes);
	return true;
}

bool policy_type(const struct policy *p, uint32_t type, const char **name, uint32_t *len)
{
	if (type >= p->ntypes)
		return false;
	const uint8_t *e = pol_entry(p->types, type, sizeof(struct arx_policy_type));
	*name = (const char *)p->strings + pol_rd32(e);
	*len = pol_rd32(e + 4);
	return true;
}

uint16_t policy_type_ops(const struct policy *p, uint32_t subject, uint32_t object)
{
	if (subject >= p->ntypes || object >= p->ntypes)
		return 0;
	return ((const pol16_t *)p->allow)[(size_t)subject * p->ntypes + object];
}

uint16_t policy_type_admin(const struct policy *p, uint32_t type)
{
	return type < p->ntypes ? ((const pol16_t *)p->admin)[type] : 0;
}

bool policy_conflict_set(const struct policy *p, uint32_t set, const uint16_t **types, uint32_t *n)
{
	if (set >= p->nconflicts)
		return false;
	const uint8_t *e = pol_entry(p->conflicts, set, CONFLICT_SIZE);
	*n = pol_rd32(e + offsetof(struct arx_policy_conflict, ntypes));
	*types = (const uint16_t *)p->conflict_types + pol_rd32(e);
	return true;
}

static const char *const op_names[POL_NR_OPS] = {
	[POL_GRANT] = "grant",     [POL_MAP] = "map",         [POL_COPY] = "copy",
	[POL_SIGNAL] = "signal",   [POL_CREATE] = "create",   [POL_DESTROY] = "destroy",
	[POL_PAUSE] = "pause",     [POL_CONSOLE] = "console", [POL_MEMORY] = "memory",
	[POL_LIST] = "list",
};

static const char *const admin_names[POL_NR_ADMIN] = {
	[POL_SETENFORCE] = "setenforce",
	[POL_LOADPOLICY] = "loadpolicy",
};

const char *policy_op_name(enum policy_op op)
{
	return (unsigned int)op < POL_NR_OPS ? op_names[op] : "?";
}

const char *policy_admin_name(enum policy_admin op)
{
	return (unsigned int)op < POL_NR_ADMIN ? admin_names[op] : "?";
}
