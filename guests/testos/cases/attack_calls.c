/*
 * Attacks through the calls a guest can make to what runs below it: every
 * Xen hypercall number and more (HVC #0xEA1), SMCCC/PSCI function IDs
 * through HVC #0 and SMC #0, and HVC/SMC with immediates nobody defined.
 * All registers are loaded with pseudo-random values (a fixed seed) before
 * each call, so arguments are arbitrary and anything leaked or clobbered
 * shows. Each call must come back with a defined result, leave the
 * registers it must preserve alone, and leave the guest running. Function
 * IDs that would legitimately stop or suspend the caller are not called
 * (skipped_function; listed in the README).
 */
#include <arx/fmt.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/exception.h>
#include <testos/psci.h>
#include "attack.h"
#include "cases.h"

#define SEED_HYPERCALLS 0xa77ac0de5eed0002UL
#define SEED_SMCCC 0xa77ac0de5eed0003UL
#define SEED_IMM 0xa77ac0de5eed0004UL

#define XEN_ERRNO_MAX 4095
#define UNKNOWN_SUBCOMMAND 0x1000u	/* above every sub-command number Xen defines */
#define SMC64 0x40000000u		/* the SMC64/HVC64 bit of a function ID */
#define RANDOM_IDS 128

static const char *call_name(unsigned int kind)
{
	static const char *const names[NR_CALL_KINDS] = {
		[CALL_XEN] = "HVC #0xea1", [CALL_HVC0] = "HVC #0", [CALL_SMC0] = "SMC #0",
		[CALL_HVC_1] = "HVC #1", [CALL_HVC_EA0] = "HVC #0xea0",
		[CALL_HVC_EA2] = "HVC #0xea2", [CALL_HVC_1EA1] = "HVC #0x1ea1",
		[CALL_HVC_8000] = "HVC #0x8000", [CALL_HVC_FFFF] = "HVC #0xffff",
		[CALL_SMC_1] = "SMC #1", [CALL_SMC_EA1] = "SMC #0xea1",
		[CALL_SMC_FFFF] = "SMC #0xffff",
	};

	return kind < NR_CALL_KINDS ? names[kind] : "?";
}

static struct call_regs random_regs(struct prng *p)
{
	struct call_regs r;

	for (unsigned int i = 0; i < 31; i++)
		r.x[i] = prng_next(p);
	return r;
}

/* Registers `from`..`to` must be what they were before the call. */
static bool preserved(const char *what, const struct call_regs *in,
		      const struct call_regs *out, unsigned int from, unsigned int to)
{
	for (unsigned int i = from; i <= to; i++) {
		if (!case_check(in->x[i] == out->x[i], "%s: x%u changed from %#lx to %#lx", what,
				i, in->x[i], out->x[i]))
			return false;
	}
	return true;
}

/*
 * One call that must return (no exception): true if it did. A call the
 * hardware or hypervisor refuses as UNDEFINED is a failure here unless
 * `may_undef`; then *undefined says so.
 */
static bool call(const char *what, struct call_regs *r, unsigned int kind, bool may_undef,
		 bool *undefined)
{
	struct fault f;

	fault_expect();
	attack_call(r, kind);
	*undefined = fault_taken(&f);
	if (!*undefined)
		return true;
	if (!case_check(ESR_EC(f.esr) == EC_UNKNOWN, "%s: EC %#x (%s) at %#lx", what,
			ESR_EC(f.esr), esr_class_name(ESR_EC(f.esr)), f.elr) ||
	    !case_check(may_undef, "%s: UNDEFINED", what))
		return false;
	return case_check(f.elr == attack_call_insn(kind),
			  "%s: UNDEFINED, but ELR_EL1 %#lx is not the instruction (%#lx)", what,
			  f.elr, attack_call_insn(kind));
}

/*
 * Xen's ABI: result in x0, x1-x4 (the arguments) and x16 (the number) may
 * change, everything else is preserved. The result is an errno (-1..-4095)
 * or a non-negative 32-bit value (a count, a version, an id).
 */
static bool hypercall_ok(uint64_t nr, struct call_regs *in)
{
	struct call_regs out = *in;
	char what[64];
	int64_t r;
	bool undef;

	fmt_snprintf(what, sizeof(what), "hypercall %#lx (x0 %#lx)", nr, in->x[0]);
	in->x[16] = out.x[16] = nr;
	if (!call(what, &out, CALL_XEN, false, &undef))
		return false;
	r = (int64_t)out.x[0];
	if (!case_check((r < 0 && r >= -XEN_ERRNO_MAX) || (r >= 0 && r <= 0xffffffffL),
			"%s returned %#lx, neither an errno nor a 32-bit value", what, out.x[0]))
		return false;
	return preserved(what, in, &out, 5, 15) && preserved(what, in, &out, 17, 30);
}

/* A hypercall that names memory outside the domain must fail. */
static bool hypercall_fails(uint64_t nr, struct call_regs *in)
{
	struct call_regs out = *in;
	bool undef;

	out.x[16] = nr;
	if (!call("hypercall", &out, CALL_XEN, false, &undef))
		return false;
	return case_check((int64_t)out.x[0] < 0 && (int64_t)out.x[0] >= -XEN_ERRNO_MAX,
			  "hypercall %lu (cmd %#lx, arguments %#lx %#lx %#lx) given memory "
			  "outside the domain returned %#lx", nr, in->x[0], in->x[1], in->x[2],
			  in->x[3], out.x[0]);
}

/* Addresses that are not the domain's: as arguments, each must be refused. */
static uint64_t foreign_pointer(unsigned int n)
{
	const uint64_t p[] = { board.ram_end, board.ram_base - PAGE_SIZE, board.gicd,
			       board.uart, 0, 1UL << attack_pa_bits(), ~7UL };

	return p[n % ARRAY_SIZE(p)];
}

/*
 * Xen hypercalls whose sub-commands listed here each take a guest pointer
 * (in the argument given): with that pointer outside the domain, every one
 * must fail. Sub-commands that could stop or block the caller are left out.
 */
static const struct {
	uint8_t nr, ptr_arg, count_arg;
	uint8_t cmds[14];
	uint8_t nr_cmds;
} pointer_calls[] = {
	{ 12, 1, 0, { 0, 1, 6, 7, 11, 12, 15, 23 }, 8 },		/* memory_op */
	{ 13, 0, 1, { 0 }, 1 },	/* multicall(list, 1): the list is x0 */
	{ 17, 1, 0, { 1, 2, 3, 4, 5, 6, 8, 9, 10 }, 9 },		/* xen_version */
	{ 18, 2, 1, { 0, 1 }, 2 },				/* console_io(cmd, count, buf) */
	{ 20, 1, 2, { 0, 1, 2, 4, 5, 6, 7, 8, 9, 10 }, 10 },	/* grant_table_op */
	{ 24, 2, 0, { 4, 5, 10, 12, 13 }, 5 },			/* vcpu_op(cmd, vcpu 0, ptr) */
	{ 29, 1, 0, { 4, 6 }, 2 },			/* sched_op: remote_shutdown, watchdog */
	{ 32, 1, 0, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13 }, 13 },	/* event_channel_op */
	{ 33, 1, 0, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 }, 14 },	/* physdev_op */
	{ 34, 1, 0, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 10 },	/* hvm_op */
	{ 35, 0, 0, { 0 }, 1 },					/* sysctl(ptr) */
	{ 36, 0, 0, { 0 }, 1 },					/* domctl(ptr) */
};

static bool pointer_hypercalls(struct prng *p)
{
	unsigned int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(pointer_calls); i++) {
		for (unsigned int c = 0; c < pointer_calls[i].nr_cmds; c++) {
			for (unsigned int k = 0; k < 7; k++, n++) {
				struct call_regs in = random_regs(p);

				if (pointer_calls[i].ptr_arg != 0)
					in.x[0] = pointer_calls[i].cmds[c];
				if (pointer_calls[i].count_arg)
					in.x[pointer_calls[i].count_arg] = 1 + k;
				if (pointer_calls[i].nr == 24)
					in.x[1] = 0;
				in.x[pointer_calls[i].ptr_arg] = foreign_pointer(k);
				if (!hypercall_fails(pointer_calls[i].nr, &in))
					return false;
			}
		}
	}
	printf("# attack_hypercalls: %u calls with pointers outside the domain refused\n", n);
	return true;
}

/*
 * Every hypercall number 0..63 and some far beyond, with random arguments
 * and a sub-command no hypercall defines (so nothing is carried out), twice:
 * once with random pointers, once with pointers just outside the domain.
 */
void case_attack_hypercalls(void)
{
	const uint64_t beyond[] = { 64, 65, 127, 128, 0xffff, (1UL << 32) | 17, 1UL << 63, ~0UL };
	struct prng p = { SEED_HYPERCALLS };
	unsigned int n = 0;

	for (uint64_t nr = 0; nr < 64 + ARRAY_SIZE(beyond); nr++) {
		for (unsigned int round = 0; round < 2; round++, n++) {
			struct call_regs in = random_regs(&p);

			in.x[0] |= UNKNOWN_SUBCOMMAND;
			if (round == 1) {
				for (unsigned int a = 1; a <= 4; a++)
					in.x[a] = foreign_pointer(n + a);
			}
			if (!hypercall_ok(nr < 64 ? nr : beyond[nr - 64], &in))
				return;
		}
	}
	printf("# attack_hypercalls: %u calls with random arguments answered\n", n);
	pointer_hypercalls(&p);
}

/*
 * Function IDs not called: each would legitimately stop, suspend or reset
 * the caller (CPU_SUSPEND, CPU_OFF, SYSTEM_OFF, SYSTEM_RESET, CPU_FREEZE,
 * CPU_DEFAULT_SUSPEND, SYSTEM_SUSPEND, SYSTEM_RESET2, SYSTEM_OFF2), in the
 * SMC32 and the SMC64 space alike.
 */
static bool skipped_function(uint32_t fid)
{
	switch (fid & ~SMC64) {
	case 0x84000001: case 0x84000002: case 0x84000008: case 0x84000009:
	case 0x8400000b: case 0x8400000c: case 0x8400000e: case 0x84000012:
	case 0x84000015:
		return true;
	}
	return false;
}

/* Successful results with a meaning of their own; any other success must be 0. */
static bool defined_success(uint32_t fid, int64_t r)
{
	switch (fid) {
	case PSCI_VERSION:
		return r >= 0x10000 && r <= 0x7fffffff;
	case 0x80000000:	/* SMCCC_VERSION */
		return r >= 0x10000 && r <= 0x1ffff;
	case PSCI_FEATURES:
		return r >= 0 && r <= 0x7fffffff;
	case PSCI_AFFINITY_INFO: case 0x84000004:
	case 0x84000006:	/* MIGRATE_INFO_TYPE */
		return r >= 0 && r <= 2;
	}
	return r == 0;
}

/*
 * SMCCC 1.1: the result in x0 (w0 for SMC32 calls, whose upper half of x0
 * may only be zero or the sign), x1-x3 unchanged or zeroed (not leaking
 * anything), x4-x30 preserved. The result is a PSCI error (-1..-9) or a
 * defined success. The conduit may be UNDEFINED where it does not exist
 * (`may_undef`: SMC).
 */
static bool smccc_ok(uint32_t fid, struct call_regs *in, unsigned int kind, bool may_undef)
{
	struct call_regs out = *in;
	bool is64 = fid & SMC64, undef;
	char what[64];
	int64_t r;

	fmt_snprintf(what, sizeof(what), "%s function %#x", call_name(kind), fid);
	if (!call(what, &out, kind, may_undef, &undef))
		return false;
	if (undef)
		return preserved(what, in, &out, 0, 30);
	r = is64 ? (int64_t)out.x[0] : (int64_t)(int32_t)(uint32_t)out.x[0];
	if (!is64 && !case_check(out.x[0] >> 32 == 0 || (uint64_t)(int64_t)r == out.x[0],
				 "%s: x0 %#lx has junk in its upper half", what, out.x[0]))
		return false;
	if (!case_check((r >= -9 && r <= -1) || defined_success(fid, r),
			"%s returned %#lx, neither a PSCI error nor a defined result", what,
			out.x[0]))
		return false;
	for (unsigned int i = 1; i <= 3; i++) {
		if (!case_check(out.x[i] == in->x[i] || out.x[i] == 0,
				"%s: x%u changed from %#lx to %#lx", what, i, in->x[i], out.x[i]))
			return false;
	}
	return preserved(what, in, &out, 4, 30);
}

/* Both conduits, random arguments, random upper halves of x0 (W0 is the ID). */
static bool try_function(struct prng *p, uint32_t fid, unsigned int *n)
{
	static const unsigned int kinds[] = { CALL_HVC0, CALL_SMC0 };

	if (skipped_function(fid))
		return true;
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++, (*n)++) {
		struct call_regs in = random_regs(p);

		in.x[0] = (in.x[0] & ~0xffffffffUL) | fid;
		if (!smccc_ok(fid, &in, kinds[k], kinds[k] == CALL_SMC0))
			return false;
	}
	return true;
}

void case_attack_smccc(void)
{
	static const struct { uint32_t first, count; } ranges[] = {
		{ 0x84000000, 0x20 },	/* PSCI, SMC32 */
		{ 0xc4000000, 0x20 },	/* PSCI, SMC64 */
		{ 0x80000000, 0x10 },	/* Arm architecture calls */
		{ 0x80007fff, 2 },	/* ARCH_WORKAROUND_1 and _2 */
		{ 0x82000000, 0x08 },	/* SiP, SMC32 */
		{ 0xc2000000, 0x10 },	/* SiP, SMC64 */
		{ 0xc200ff00, 0x04 },
		{ 0x8600ff00, 0x04 },	/* vendor hypervisor service queries */
		{ 0xc6000000, 0x04 },
		{ 0xbf00ff00, 0x04 },	/* the ends of the fast-call space */
		{ 0xff00fffc, 0x04 },
	};
	struct prng p = { SEED_SMCCC };
	unsigned int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
		for (uint32_t fid = ranges[i].first; fid - ranges[i].first < ranges[i].count;
		     fid++) {
			if (!try_function(&p, fid, &n))
				return;
		}
	}
	for (unsigned int i = 0; i < RANDOM_IDS; i++) {
		if (!try_function(&p, (uint32_t)prng_next(&p), &n))
			return;
	}
	printf("# attack_smccc: %u calls answered\n", n);
}

/*
 * HVC immediates other than 0 (SMCCC) and 0xEA1 (Xen) mean nothing to the
 * hypervisor: UNDEFINED, reported at the HVC itself, with every register as
 * it was. SMC with a non-zero immediate: UNDEFINED, or an SMCCC answer.
 */
void case_attack_hvc_imm(void)
{
	static const unsigned int hvcs[] = {
		CALL_HVC_1, CALL_HVC_EA0, CALL_HVC_EA2, CALL_HVC_1EA1, CALL_HVC_8000, CALL_HVC_FFFF,
	};
	static const unsigned int smcs[] = { CALL_SMC_1, CALL_SMC_EA1, CALL_SMC_FFFF };
	struct prng p = { SEED_IMM };

	for (size_t i = 0; i < ARRAY_SIZE(hvcs); i++) {
		struct call_regs in = random_regs(&p), out = in;
		const char *what = call_name(hvcs[i]);
		bool undef;

		in.x[0] = out.x[0] = PSCI_VERSION;
		if (!call(what, &out, hvcs[i], true, &undef) ||
		    !case_check(undef, "%s returned %#lx instead of being UNDEFINED", what,
				out.x[0]) ||
		    !preserved(what, &in, &out, 0, 30))
			return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(smcs); i++) {
		struct call_regs in = random_regs(&p);

		in.x[0] = PSCI_VERSION;
		if (!smccc_ok(PSCI_VERSION, &in, smcs[i], true))
			return;
	}
}
