/*
 * The feature ID registers guests see (arch/id_regs.h). A guest must be
 * told only of features whose state arx switches between vCPUs or that
 * have no state at all; anything else (SVE, SME, MTE, pointer
 * authentication keys, AMU, SPE, trace, RAS, MPAM, EL2...) reads as not
 * implemented. So the filter is a list of fields to keep, each capped at
 * the highest value arx knows to be safe; every field not listed reads as
 * zero, "not implemented" for every field where a zero does not mean
 * more (those are kept, or set in `fixed`). A register without a rule
 * reads as zero. Field positions and values: ARM ARM (DDI 0487),
 * "AArch64 Identification registers".
 *
 * AArch32 is not offered (EL0 and EL1 say AArch64 only: arx does not switch
 * the AArch32-only registers such as DACR32_EL2 or FPEXC32_EL2), so the
 * AArch32 ID registers of CRm 1..3 read as zero, as does every reserved
 * encoding.
 *
 * Pure code: no system register access, so the host unit tests
 * (tests/unit/test_id_regs.c) drive it with any host values.
 */
#include <arch/id_regs.h>

/*
 * Unsigned fields: a higher value means more. Signed fields (FP, AdvSIMD,
 * TGran4, TGran64, DoubleLock): 0xf (-1) means not implemented, so the cap
 * works on the value read as signed and "absent" stays absent.
 */
struct id_field {
	uint8_t shift;
	bool is_signed;
	int8_t max;
};

struct id_rule {
	unsigned int index;
	const struct id_field *keep;
	unsigned int nr_keep;
	uint64_t fixed; /* fields with a value of their own, whatever the host says */
};

#define UNSIGNED(shift, max) { shift, false, max }
#define SIGNED(shift, max) { shift, true, max }
#define AS_HOST 0xf /* the host's value, whatever it is */

static const struct id_field pfr0[] = {
	UNSIGNED(0, 1), /* EL0: AArch64 only */
	UNSIGNED(4, 1), /* EL1: AArch64 only (EL2, EL3: not implemented) */
	SIGNED(16, 1), /* FP, with half precision: FPCR/FPSR are switched with the registers */
	SIGNED(20, 1), /* AdvSIMD, likewise */
	UNSIGNED(48, 1), /* DIT: a PSTATE bit, saved in SPSR */
	UNSIGNED(56, 1), /* CSV2 (CSV2_2 would bring SCXTNUM_ELx, not switched) */
	UNSIGNED(60, 1), /* CSV3 */
};

static const struct id_field pfr1[] = {
	UNSIGNED(0, 1), /* BT: PSTATE.BTYPE and SCTLR_EL1 bits, both switched */
	UNSIGNED(4, 2), /* SSBS: PSTATE.SSBS and its MSR */
};

/* Debug and PMU as the host has them: their registers are arx's business (sysreg_trap.c). */
static const struct id_field dfr0[] = {
	UNSIGNED(0, AS_HOST), /* DebugVer */
	UNSIGNED(8, AS_HOST), /* PMUVer (0xf: an IMPLEMENTATION DEFINED PMU, none architected) */
	UNSIGNED(12, AS_HOST), /* BRPs */
	UNSIGNED(20, AS_HOST), /* WRPs */
	UNSIGNED(28, AS_HOST), /* CTX_CMPs */
	SIGNED(36, 0), /* DoubleLock */
};

/* Instructions without state of their own. */
static const struct id_field isar0[] = {
	UNSIGNED(4, 2), /* AES, with PMULL */
	UNSIGNED(8, 1), /* SHA1 */
	UNSIGNED(12, 2), /* SHA2, with SHA512 */
	UNSIGNED(16, 1), /* CRC32 */
	UNSIGNED(20, 3), /* Atomic */
	UNSIGNED(28, 1), /* RDM (TME, 24: transactions have state) */
	UNSIGNED(32, 1), /* SHA3 */
	UNSIGNED(36, 1), /* SM3 */
	UNSIGNED(40, 1), /* SM4 */
	UNSIGNED(44, 1), /* DP */
	UNSIGNED(48, 1), /* FHM */
	UNSIGNED(52, 2), /* TS */
	UNSIGNED(56, 2), /* TLB: outer shareable and range TLBIs, still within the VMID */
	UNSIGNED(60, 1), /* RNDR */
};

/* Not pointer authentication (APA, API, GPA, GPI): its keys are not switched. */
static const struct id_field isar1[] = {
	UNSIGNED(0, 2), /* DPB */
	UNSIGNED(12, 1), /* JSCVT */
	UNSIGNED(16, 1), /* FCMA */
	UNSIGNED(20, 3), /* LRCPC */
	UNSIGNED(32, 1), /* FRINTTS */
	UNSIGNED(36, 1), /* SB */
	UNSIGNED(40, 1), /* SPECRES */
	UNSIGNED(44, 1), /* BF16 */
	UNSIGNED(48, 1), /* DGH */
	UNSIGNED(52, 1), /* I8MM */
};

/* Not WFxT: arx's WFI/WFE trap would ignore the timeout. Not MOPS, PAC3. */
static const struct id_field isar2[] = {
	UNSIGNED(4, 1), /* RPRES */
	UNSIGNED(20, 1), /* BC */
	UNSIGNED(28, 1), /* CLRBHB */
	UNSIGNED(52, 1), /* CSSC */
};

static const struct id_field mmfr0[] = {
	UNSIGNED(0, 5), /* PARange: stage 2 gives at most 48 bits of IPA */
	UNSIGNED(4, 2), /* ASIDBits */
	UNSIGNED(8, 1), /* BigEnd */
	UNSIGNED(16, 1), /* BigEndEL0 */
	UNSIGNED(20, 1), /* TGran16 (2 would be 52-bit addresses) */
	SIGNED(24, 0), /* TGran64 */
	SIGNED(28, 0), /* TGran4 (1 would be 52-bit addresses) */
	UNSIGNED(60, 1), /* ECV: self-synchronised counter reads (not CNTPOFF, EL2's) */
};

/* TGran16_2, TGran64_2, TGran4_2 = 1: no stage 2 for a guest without EL2. */
#define MMFR0_NO_STAGE2 ((1UL << 32) | (1UL << 36) | (1UL << 40))

static const struct id_field mmfr1[] = {
	UNSIGNED(0, 2), /* HAFDBS: stage 1, TCR_EL1 */
	UNSIGNED(12, 1), /* HPDS */
	UNSIGNED(20, 3), /* PAN */
	UNSIGNED(24, 1), /* SpecSEI: zero would promise more than the hardware does */
	UNSIGNED(44, 1), /* AFP: FPCR bits */
	UNSIGNED(60, 1), /* ECBHB */
};

static const struct id_field mmfr2[] = {
	UNSIGNED(0, 1), /* CnP */
	UNSIGNED(4, 1), /* UAO */
	UNSIGNED(8, 1), /* LSM */
	UNSIGNED(16, 1), /* VARange */
	UNSIGNED(20, 1), /* CCIDX: CCSIDR_EL1 is not trapped, so its format must be the host's */
	UNSIGNED(28, 1), /* ST */
	UNSIGNED(32, 1), /* AT */
	UNSIGNED(48, 1), /* TTL */
	UNSIGNED(60, 1), /* E0PD */
};

#define RULE(idx, fields, fixed_bits) { idx, fields, ARRAY_SIZE(fields), fixed_bits }

static const struct id_rule rules[] = {
	RULE(ID_AA64PFR0, pfr0, 0),
	RULE(ID_AA64PFR1, pfr1, 0),
	RULE(ID_AA64DFR0, dfr0, 0),
	RULE(ID_AA64ISAR0, isar0, 0),
	RULE(ID_AA64ISAR1, isar1, 0),
	RULE(ID_AA64ISAR2, isar2, 0),
	RULE(ID_AA64MMFR0, mmfr0, MMFR0_NO_STAGE2),
	RULE(ID_AA64MMFR1, mmfr1, 0),
	RULE(ID_AA64MMFR2, mmfr2, 0),
};

static uint64_t guest_view[ID_REGS_NR];

static unsigned int capped(const struct id_field *f, uint64_t reg)
{
	int value = (int)((reg >> f->shift) & 0xf);
	if (f->is_signed && value >= 8)
		value -= 16;
	return (unsigned int)MIN(value, f->max) & 0xf;
}

static uint64_t filtered(const struct id_rule *r, uint64_t host)
{
	uint64_t value = r->fixed;
	for (unsigned int i = 0; i < r->nr_keep; i++)
		value |= (uint64_t)capped(&r->keep[i], host) << r->keep[i].shift;
	return value;
}

void id_regs_filter(const uint64_t host[ID_REGS_NR])
{
	for (unsigned int i = 0; i < ARRAY_SIZE(rules); i++)
		guest_view[rules[i].index] = filtered(&rules[i], host[rules[i].index]);
}

uint64_t id_reg_guest_value(unsigned int crm, unsigned int op2, bool gic_sysregs)
{
	if (crm < 1 || crm > 7 || op2 > 7)
		return 0;
	unsigned int index = ID_REG_INDEX(crm, op2);
	if (index == ID_AA64PFR0 && gic_sysregs)
		return guest_view[index] | (1UL << ID_AA64PFR0_GIC_SHIFT);
	return guest_view[index];
}
