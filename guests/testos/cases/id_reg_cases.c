/*
 * The feature ID registers (op0 = 3, op1 = 0, CRn = 0, CRm = 1..7) as the
 * guest sees them: the same on every CPU, without the features a
 * hypervisor cannot give a guest safely unless it switches their state
 * (SVE, SME, MTE, AMU, SPE, trace, RAS, MPAM, pointer authentication, EL2),
 * with those it needs (FP, AdvSIMD, AArch64 at EL1, the GIC system registers
 * exactly when the GIC is a v3), the reserved encodings reading as zero and
 * a write refused. Natively QEMU's cortex-a57 lacks all those features, so
 * the same checks hold there too. Field positions: ARM ARM (DDI 0487),
 * "AArch64 Identification registers".
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/exception.h>
#include <testos/probe.h>
#include <testos/psci.h>
#include <testos/smp.h>
#include <testos/timer.h>
#include "cases.h"

#define CPU_TIMEOUT_US 1000000

/* The whole space by CRm (1..7) and op2, read with constant encodings. */
struct id_space {
	uint64_t reg[7][8];
	uint32_t done;
};

#define ID(crm, op2) read_sysreg(s3_0_c0_c##crm##_##op2)
#define ID_ROW(row, crm)                                                            \
	do {                                                                        \
		(row)[0] = ID(crm, 0); (row)[1] = ID(crm, 1); (row)[2] = ID(crm, 2); \
		(row)[3] = ID(crm, 3); (row)[4] = ID(crm, 4); (row)[5] = ID(crm, 5); \
		(row)[6] = ID(crm, 6); (row)[7] = ID(crm, 7);                        \
	} while (0)

static void read_id_space(void *arg)
{
	struct id_space *s = arg;

	ID_ROW(s->reg[0], 1);
	ID_ROW(s->reg[1], 2);
	ID_ROW(s->reg[2], 3);
	ID_ROW(s->reg[3], 4);
	ID_ROW(s->reg[4], 5);
	ID_ROW(s->reg[5], 6);
	ID_ROW(s->reg[6], 7);
	store_release(&s->done, 1);
}

static struct id_space seen[TESTOS_MAX_CPUS];

static unsigned int field(const struct id_space *s, unsigned int crm, unsigned int op2,
			  unsigned int shift)
{
	return (unsigned int)(s->reg[crm - 1][op2] >> shift) & 0xf;
}

/* Runs read_id_space on `cpu` and waits for it to power off again. */
static bool read_on(unsigned int cpu)
{
	int32_t ret = smp_start(cpu, read_id_space, &seen[cpu]);

	if (!case_check(ret == PSCI_SUCCESS, "CPU_ON(cpu%u) returned %d", cpu, ret))
		return false;
	if (!case_check(WAIT_UNTIL(load_acquire(&seen[cpu].done), CPU_TIMEOUT_US),
			"cpu%u did not read its ID registers within 1 s", cpu))
		return false;
	return case_check(smp_wait_off(cpu, CPU_TIMEOUT_US), "cpu%u did not power off", cpu);
}

static void check_same_as_boot_cpu(unsigned int cpu)
{
	for (unsigned int crm = 1; crm <= 7; crm++) {
		for (unsigned int op2 = 0; op2 < 8; op2++) {
			uint64_t here = seen[cpu].reg[crm - 1][op2], boot = seen[0].reg[crm - 1][op2];

			if (!case_check(here == boot, "S3_0_C0_C%u_%u reads %#lx on cpu%u, %#lx on cpu0",
					crm, op2, here, cpu, boot))
				return;
		}
	}
}

static const struct {
	const char *name;
	uint8_t crm, op2, shift;
} absent[] = {
	{ "ID_AA64PFR0.EL2", 4, 0, 8 },		{ "ID_AA64PFR0.EL3", 4, 0, 12 },
	{ "ID_AA64PFR0.RAS", 4, 0, 28 },	{ "ID_AA64PFR0.SVE", 4, 0, 32 },
	{ "ID_AA64PFR0.SEL2", 4, 0, 36 },	{ "ID_AA64PFR0.MPAM", 4, 0, 40 },
	{ "ID_AA64PFR0.AMU", 4, 0, 44 },	{ "ID_AA64PFR0.RME", 4, 0, 52 },
	{ "ID_AA64PFR1.MTE", 4, 1, 8 },		{ "ID_AA64PFR1.RAS_frac", 4, 1, 12 },
	{ "ID_AA64PFR1.SME", 4, 1, 24 },	{ "ID_AA64PFR1.NMI", 4, 1, 36 },
	{ "ID_AA64PFR1.GCS", 4, 1, 44 },	{ "ID_AA64DFR0.TraceVer", 5, 0, 4 },
	{ "ID_AA64DFR0.PMSVer (SPE)", 5, 0, 32 }, { "ID_AA64DFR0.TraceFilt", 5, 0, 40 },
	{ "ID_AA64DFR0.TraceBuffer", 5, 0, 44 }, { "ID_AA64DFR0.BRBE", 5, 0, 52 },
	{ "ID_AA64ISAR0.TME", 6, 0, 24 },	{ "ID_AA64ISAR1.APA", 6, 1, 4 },
	{ "ID_AA64ISAR1.API", 6, 1, 8 },	{ "ID_AA64ISAR1.GPA", 6, 1, 24 },
	{ "ID_AA64ISAR1.GPI", 6, 1, 28 },	{ "ID_AA64ISAR2.APA3", 6, 2, 12 },
	{ "ID_AA64MMFR1.VH", 7, 1, 8 },		{ "ID_AA64MMFR1.LO", 7, 1, 16 },
	{ "ID_AA64MMFR2.NV", 7, 2, 24 },
};

/*
 * Encodings the ARM ARM leaves unallocated in the ID space (RAZ), and SVE's
 * and SME's feature registers (ID_AA64ZFR0, ID_AA64SMFR0).
 */
static const uint8_t zero[][2] = {
	{ 4, 4 }, { 4, 5 }, { 3, 3 }, { 3, 7 }, { 4, 3 }, { 4, 6 }, { 5, 3 }, { 5, 6 }, { 5, 7 },
	{ 6, 4 }, { 6, 5 }, { 6, 6 }, { 6, 7 }, { 7, 5 }, { 7, 6 }, { 7, 7 },
};

static void check_features(const struct id_space *s)
{
	unsigned int el1 = field(s, 4, 0, 4), fp = field(s, 4, 0, 16);
	unsigned int simd = field(s, 4, 0, 20), gic = field(s, 4, 0, 24);

	for (size_t i = 0; i < ARRAY_SIZE(absent); i++)
		case_check(field(s, absent[i].crm, absent[i].op2, absent[i].shift) == 0,
			   "%s reads %#x, expected 0 (not implemented)", absent[i].name,
			   field(s, absent[i].crm, absent[i].op2, absent[i].shift));
	case_check(el1 == 1 || el1 == 2, "ID_AA64PFR0.EL1 reads %#x, expected AArch64", el1);
	case_check(fp != 0xf && simd != 0xf, "ID_AA64PFR0 says no FP (%#x) or AdvSIMD (%#x)", fp,
		   simd);
	case_check(gic == (board.gic == GIC_V3), "ID_AA64PFR0.GIC reads %#x with a GICv%u", gic,
		   board.gic);
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		case_check(s->reg[zero[i][0] - 1][zero[i][1]] == 0,
			   "S3_0_C0_C%u_%u reads %#lx, expected 0", zero[i][0], zero[i][1],
			   s->reg[zero[i][0] - 1][zero[i][1]]);
}

/* MSR to ID_AA64PFR0_EL1: UNDEFINED at the MSR, and the register keeps its value. */
static void check_write_refused(void)
{
	uint64_t before = read_sysreg(id_aa64pfr0_el1);
	struct fault f;

	fault_expect();
	probe_write_id_aa64pfr0(~before);
	if (!case_check(fault_taken(&f), "MSR ID_AA64PFR0_EL1 did not fault"))
		return;
	case_check(ESR_EC(f.esr) == EC_UNKNOWN && f.elr == (uint64_t)(uintptr_t)probe_write_id_aa64pfr0,
		   "MSR ID_AA64PFR0_EL1: EC %#x (%s) at testos.elf+%#lx, expected 0 at the MSR",
		   ESR_EC(f.esr), esr_class_name(ESR_EC(f.esr)), f.elr - image_base);
	case_check(read_sysreg(id_aa64pfr0_el1) == before, "ID_AA64PFR0_EL1 changed on a write");
}

void case_id_regs(void)
{
	read_id_space(&seen[0]);
	/* For the record, and for tests/system/test_testos_under_arx.py (AArch64-only EL0/EL1). */
	printf("# id_regs: ID_AA64PFR0_EL1 %#lx, DFR0 %#lx, ISAR0 %#lx, ISAR1 %#lx, MMFR0 %#lx\n",
	       seen[0].reg[3][0], seen[0].reg[4][0], seen[0].reg[5][0], seen[0].reg[5][1],
	       seen[0].reg[6][0]);
	check_features(&seen[0]);
	check_write_refused();
	for (unsigned int cpu = 1; cpu < board.nr_cpus; cpu++) {
		seen[cpu].done = 0;
		if (!read_on(cpu))
			return;
		check_same_as_boot_cpu(cpu);
	}
}
