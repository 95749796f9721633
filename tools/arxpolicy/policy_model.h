/*
 * Private to tools/arxpolicy: a policy as the parser builds it, in
 * declaration order and by declaration index, before policy_emit.c sorts
 * names and lays out the binary form.
 */
#ifndef ARXPOLICY_MODEL_H
#define ARXPOLICY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arx/policy.h>
#include <public/arx_policy.h>

struct pc_name {
	char s[ARX_POLICY_MAX_NAME + 1]; /* NUL-terminated for messages */
	uint32_t len;
	uint32_t line; /* where it was declared */
};

struct pc_label {
	struct pc_name name;
	uint32_t ntypes;
	uint16_t types[ARX_POLICY_MAX_LABEL_TYPES];
};

struct pc_set {
	uint32_t ntypes;
	uint16_t types[ARX_POLICY_MAX_SET_TYPES];
};

enum { PC_DOM0, PC_DOMU, PC_NR_DEFAULTS };

struct pc_model {
	struct pc_name name;
	bool named, mode_set, enforcing;
	uint32_t ntypes, nlabels, nsets;
	struct pc_name types[ARX_POLICY_MAX_TYPES];
	struct pc_label labels[ARX_POLICY_MAX_LABELS];
	struct pc_set sets[ARX_POLICY_MAX_CONFLICTS];
	uint16_t allow[ARX_POLICY_MAX_TYPES][ARX_POLICY_MAX_TYPES]; /* [subject][object] */
	uint16_t admin[ARX_POLICY_MAX_TYPES];
	struct pc_name defaults[PC_NR_DEFAULTS]; /* label names; line 0: not given */
};

/* The names of groups of operations, "all" last; defined in policy_compile.c. */
struct pc_group {
	const char *name;
	uint16_t mask; /* bit i = enum policy_op i */
};
#define PC_NR_GROUPS 3
extern const struct pc_group pc_op_groups[PC_NR_GROUPS];

/*
 * Lays the model out as a blob (malloc'd). Returns 0, or -1 with a problem
 * (no file:line: the caller adds it) in why[0..len).
 */
int pc_emit(const struct pc_model *m, uint8_t **blob, size_t *size, char *why, size_t len);

#endif
