/*
 * The mandatory access control policy: a validated binary policy
 * (include/public/arx_policy.h, compiled from text by tools/arxpolicy) and
 * the decisions taken from it. Pure code (hv/lib/policy.c): no locks, no
 * allocation, no knowledge of domains; the hooks that apply it to domains sit
 * in hv/xen/xsm_hooks.c.
 *
 * Domains carry a label (an index into the policy's label table); a label
 * carries one or more types; rules between types decide.
 */
#ifndef ARX_POLICY_H
#define ARX_POLICY_H

#include "types.h"

/* What one domain (the subject) does to another (the object). */
enum policy_op {
	/* sharing */
	POL_GRANT,   /* subject's grants used by the object (checked when mapped/copied) */
	POL_MAP,     /* subject maps a grant of the object */
	POL_COPY,    /* subject copies to/from a grant of the object */
	/* signalling */
	POL_SIGNAL,  /* subject binds an event channel to the object */
	/* control */
	POL_CREATE,  /* subject creates (and builds) the object */
	POL_DESTROY,
	POL_PAUSE,   /* pause and unpause */
	POL_CONSOLE, /* read the object's console */
	POL_MEMORY,  /* map the object's memory (foreign mapping) */
	POL_LIST,    /* see the object in domain lists and its info */
	POL_NR_OPS
};

/* What a subject may do to the policy itself. */
enum policy_admin {
	POL_SETENFORCE,
	POL_LOADPOLICY,
	POL_NR_ADMIN
};

struct policy_label {
	const char *name; /* not NUL-terminated: name_len bytes */
	uint32_t name_len;
	uint32_t ntypes;
	const uint16_t *types; /* ntypes type indexes, each < policy.ntypes */
};

/*
 * A policy in memory: pointers into the validated blob (which the caller
 * keeps alive and unchanged while the policy is in use) or into the built-in
 * safe default.
 */
struct policy {
	const uint8_t *blob;
	size_t size;
	uint32_t ntypes;
	uint32_t nlabels;
	const uint8_t *name; /* the policy's name, name_len bytes */
	uint32_t name_len;
	bool enforcing;      /* the mode at load: enforcing or permissive */
	uint32_t dom0_label; /* label of domain 0 */
	uint32_t domu_label; /* label of a domain created without one */
	/* Private to hv/lib/policy*.c: the blob's sections, for the decisions. */
	const uint8_t *strings;
	const uint8_t *types;          /* ntypes names */
	const uint8_t *labels;         /* label table */
	const uint8_t *label_types;    /* the labels' type indexes */
	const uint8_t *allow;          /* ntypes x ntypes op masks */
	const uint8_t *admin;          /* per-type admin masks */
	const uint8_t *conflicts;      /* conflict sets */
	const uint8_t *conflict_types; /* their type indexes */
	uint32_t nconflicts;
};

/*
 * Checks blob field by field (magic, version, sizes, every count, offset and
 * index in range, names unique) and fills *p. Returns 0, or -1 with *why set
 * to a message naming the problem; *p is then untouched. The blob must be
 * 4-byte aligned (it is read in place with word loads).
 */
int policy_load(struct policy *p, const void *blob, size_t size, const char **why);
/*
 * The same, with the problem written into buf[0..len) with its numbers, e.g.
 * "policy: label 3: type index out of range (70, limit 40)".
 */
int policy_load_explain(struct policy *p, const void *blob, size_t size, char *buf, size_t len);

/* The built-in fallback: only domain 0 controls, nobody shares or signals. */
void policy_safe_default(struct policy *p);

bool policy_allows(const struct policy *p, uint32_t subject, uint32_t object, enum policy_op op);
bool policy_admin_allows(const struct policy *p, uint32_t subject, enum policy_admin op);
/*
 * Whether domains with labels a and b must never run at the same time: some
 * conflict set holds a type of a and a different type of b. A label out of
 * range conflicts with everything (refusing to start fails closed).
 */
bool policy_conflict(const struct policy *p, uint32_t a, uint32_t b);

/* The label named name[0..len), or -1. */
int32_t policy_find_label(const struct policy *p, const char *name, size_t len);
bool policy_label(const struct policy *p, uint32_t label, struct policy_label *out);

const char *policy_op_name(enum policy_op op);
const char *policy_admin_name(enum policy_admin op);

/*
 * The order of names in the binary policy (byte-wise, a prefix before the
 * longer name): <0, 0 or >0. The compiler sorts with it, the loader checks
 * it, policy_find_label searches by it.
 */
int policy_name_order(const void *a, size_t alen, const void *b, size_t blen);

/*
 * The rest of the policy, for tools (arxpolicy dump) and tests: type names,
 * the op mask (bit i = enum policy_op i) from one type to another, a type's
 * admin mask, and conflict set i's types. Out of range: false, or 0.
 */
bool policy_type(const struct policy *p, uint32_t type, const char **name, uint32_t *len);
uint16_t policy_type_ops(const struct policy *p, uint32_t subject, uint32_t object);
uint16_t policy_type_admin(const struct policy *p, uint32_t type);
bool policy_conflict_set(const struct policy *p, uint32_t set, const uint16_t **types, uint32_t *n);

#endif
