/*
 * arxpolicy dump: a loaded (so validated) binary policy printed back in the
 * text language, one statement per line, so that it compiles to the same
 * blob. It reads the policy only through arx/policy.h, as the hypervisor
 * would.
 */
#include "policy_compile.h"
#include "policy_model.h"

/* Enough type names on one 'type' line to stay readable. */
#define TYPES_PER_LINE 8

static void put_type(FILE *f, const struct policy *p, uint32_t t)
{
	const char *name;
	uint32_t len;

	if (policy_type(p, t, &name, &len))
		fprintf(f, " %.*s", (int)len, name);
}

static void put_ops(FILE *f, uint16_t mask, bool admin)
{
	for (int g = PC_NR_GROUPS - 1; g >= 0 && !admin; g--) {
		if ((mask & pc_op_groups[g].mask) == pc_op_groups[g].mask) {
			fprintf(f, " %s", pc_op_groups[g].name);
			mask &= (uint16_t)~pc_op_groups[g].mask;
		}
	}
	for (unsigned int i = 0; i < 16; i++)
		if (mask & (1u << i))
			fprintf(f, " %s", admin ? policy_admin_name(i) : policy_op_name(i));
	fputc('\n', f);
}

static void dump_labels(FILE *f, const struct policy *p)
{
	struct policy_label l;

	for (uint32_t i = 0; policy_label(p, i, &l); i++) {
		fprintf(f, "label \"%.*s\" =", (int)l.name_len, l.name);
		for (uint32_t t = 0; t < l.ntypes; t++)
			put_type(f, p, l.types[t]);
		fputc('\n', f);
	}
	policy_label(p, p->dom0_label, &l);
	fprintf(f, "default dom0 \"%.*s\"\n", (int)l.name_len, l.name);
	policy_label(p, p->domu_label, &l);
	fprintf(f, "default domU \"%.*s\"\n", (int)l.name_len, l.name);
}

static void dump_rules(FILE *f, const struct policy *p)
{
	const uint16_t *set;
	uint32_t n;

	for (uint32_t s = 0; s < p->ntypes; s++) {
		for (uint32_t o = 0; o < p->ntypes; o++) {
			if (!policy_type_ops(p, s, o))
				continue;
			fputs("allow", f);
			put_type(f, p, s);
			fputs(" ->", f);
			put_type(f, p, o);
			fputs(" :", f);
			put_ops(f, policy_type_ops(p, s, o), false);
		}
	}
	for (uint32_t t = 0; t < p->ntypes; t++) {
		if (!policy_type_admin(p, t))
			continue;
		fputs("admin", f);
		put_type(f, p, t);
		fputs(" :", f);
		put_ops(f, policy_type_admin(p, t), true);
	}
	for (uint32_t i = 0; policy_conflict_set(p, i, &set, &n); i++) {
		fputs("conflict", f);
		for (uint32_t t = 0; t < n; t++)
			put_type(f, p, set[t]);
		fputc('\n', f);
	}
}

int policy_dump(FILE *f, const struct policy *p)
{
	fprintf(f, "# arx policy: %zu bytes, %u types, %u labels, %u conflict sets\n", p->size,
		p->ntypes, p->nlabels, p->nconflicts);
	if (p->name_len)
		fprintf(f, "policy \"%.*s\"\n", (int)p->name_len, (const char *)p->name);
	fprintf(f, "mode %s\n", p->enforcing ? "enforcing" : "permissive");
	for (uint32_t t = 0; t < p->ntypes; t++) {
		if (t % TYPES_PER_LINE == 0)
			fputs(t ? "\ntype" : "type", f);
		put_type(f, p, t);
	}
	fputc('\n', f);
	dump_labels(f, p);
	dump_rules(f, p);
	return ferror(f) ? -1 : 0;
}
