/*
 * The built-in safe default policy, in the binary format itself, so it goes
 * through the same decision code as a loaded one (and test_policy checks
 * these bytes with the loader). Types dom0_t and domU_t, labels "dom0" and
 * "domU": dom0_t may do every control and admin operation to every type;
 * nobody shares or signals; no conflicts. It is what arx runs when no policy
 * was given or the given one was refused, so it must never need checking at
 * run time.
 */
#include "policy_blob.h"

#define CONTROL_OPS ((1u << POL_CREATE) | (1u << POL_DESTROY) | (1u << POL_PAUSE) | \
		     (1u << POL_CONSOLE) | (1u << POL_MEMORY) | (1u << POL_LIST))
#define ALL_ADMIN ((1u << POL_SETENFORCE) | (1u << POL_LOADPOLICY))

/* The string table: "safe-default" (0, 12), then the label and type names. */
#define STRINGS "safe-defaultdom0domUdom0_tdomU_t"

struct safe_blob {
	struct arx_policy_header h;
	char strings[sizeof(STRINGS) - 1];
	struct arx_policy_type types[2];
	struct arx_policy_label labels[2];
	uint16_t label_types[2];
	uint16_t allow[2 * 2];
	uint16_t admin[2];
};

/* Every section follows the last with no padding: the sizes are multiples of 4. */
_Static_assert(sizeof(STRINGS) - 1 == 32, "string table keeps the sections aligned");

#define SEC(field, n) { offsetof(struct safe_blob, field), n }
#define END { offsetof(struct safe_blob, admin) + sizeof(uint16_t) * 2, 0 }

static const struct safe_blob safe __attribute__((aligned(4))) = {
	.h = {
		.magic = ARX_POLICY_MAGIC,
		.version = ARX_POLICY_VERSION,
		.size = sizeof(struct safe_blob),
		.flags = ARX_POLICY_ENFORCING,
		.dom0_label = 0,
		.domu_label = 1,
		.name_off = 0,
		.name_len = 12,
		.sec = {
			[ARX_POLSEC_STRINGS] = SEC(strings, sizeof(STRINGS) - 1),
			[ARX_POLSEC_TYPES] = SEC(types, 2),
			[ARX_POLSEC_LABELS] = SEC(labels, 2),
			[ARX_POLSEC_LABEL_TYPES] = SEC(label_types, 2),
			[ARX_POLSEC_ALLOW] = SEC(allow, 4),
			[ARX_POLSEC_ADMIN] = SEC(admin, 2),
			[ARX_POLSEC_CONFLICTS] = END,       /* none */
			[ARX_POLSEC_CONFLICT_TYPES] = END,
		},
	},
	.strings = STRINGS,
	.types = { { 20, 6 }, { 26, 6 } },          /* dom0_t, domU_t */
	.labels = { { 12, 4, 0, 1 }, { 16, 4, 1, 1 } }, /* "dom0", "domU" */
	.label_types = { 0, 1 },
	/* Rows are subjects: dom0_t controls both types; domU_t nothing. */
	.allow = { CONTROL_OPS, CONTROL_OPS, 0, 0 },
	.admin = { ALL_ADMIN, 0 },
};

void policy_safe_default(struct policy *p)
{
	policy_fill(p, (const uint8_t *)&safe);
}
