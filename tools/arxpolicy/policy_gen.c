/*
 * arxpolicy gen-bench: a synthetic policy for the load-time benchmark (the
 * issue asks for 64 types and 1,000 rules). Types t0..tN-1, one label per
 * type plus "dom0" and "domU", rules spread over the type pairs with varied
 * operation sets, a conflict set when there are types enough. The output
 * depends only on the arguments, so runs are comparable.
 */
#include "policy_compile.h"

#define TYPES_PER_LINE 16
#define MAX_RULES 10000000ul

/* A fixed xorshift sequence: varied, the same every run. */
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void gen_types(FILE *f, unsigned long ntypes)
{
	for (unsigned long t = 0; t < ntypes; t++) {
		if (t % TYPES_PER_LINE == 0)
			fputs(t ? "\ntype" : "type", f);
		fprintf(f, " t%lu", t);
	}
	fputc('\n', f);
	for (unsigned long t = 0; t < ntypes; t++)
		fprintf(f, "label \"system_u:system_r:t%lu\" = t%lu\n", t, t);
	fprintf(f, "label \"dom0\" = t0\nlabel \"domU\" = t%lu\n", ntypes - 1);
	fputs("default dom0 \"dom0\"\ndefault domU \"domU\"\n", f);
}

static void gen_rules(FILE *f, unsigned long ntypes, unsigned long nrules)
{
	uint32_t seed = 0x2545f491;

	for (unsigned long i = 0; i < nrules; i++) {
		unsigned long s = i % ntypes, o = (i / ntypes + s * 7 + 1) % ntypes;
		uint32_t ops = next_rand(&seed) % ((1u << POL_NR_OPS) - 1) + 1;
		fprintf(f, "allow t%lu -> t%lu :", s, o);
		for (unsigned int op = 0; op < POL_NR_OPS; op++)
			if (ops & (1u << op))
				fprintf(f, " %s", policy_op_name(op));
		fputc('\n', f);
	}
}

int policy_gen_bench(FILE *f, unsigned long ntypes, unsigned long nrules)
{
	if (ntypes < 1 || ntypes > ARX_POLICY_MAX_TYPES || nrules > MAX_RULES)
		return -1;
	fprintf(f, "# synthetic policy: %lu types, %lu rules (arxpolicy gen-bench)\n", ntypes, nrules);
	fprintf(f, "policy \"bench-%lu-%lu\"\nmode enforcing\n", ntypes, nrules);
	gen_types(f, ntypes);
	gen_rules(f, ntypes, nrules);
	fputs("admin t0 : all\n", f);
	if (ntypes >= 4)
		fprintf(f, "conflict t%lu t%lu\n", ntypes - 2, ntypes - 3);
	return ferror(f) ? -1 : 0;
}
