/*
 * Host test for the ID register filter (hv/arch/arm64/id_regs.c), fed with
 * host values QEMU's cortex-a57 never has: every field at its highest
 * value, every field at 1, signed fields at "absent", future values. What
 * the guest must see is written here field by field from the ARM ARM
 * (DDI 0487, AArch64 Identification registers), not taken from the filter.
 */
#include <arch/id_regs.h>

#include "check.h"

/* A 4-bit field's value placed at its shift. */
#define F(shift, value) ((uint64_t)(value) << (shift))
#define ALL(nibble) (0x1111111111111111UL * (nibble))

/* Field positions (ID_AA64PFR0_EL1 ...), as the ARM ARM names them. */
enum {
	PFR0_EL0 = 0, PFR0_EL1 = 4, PFR0_EL2 = 8, PFR0_EL3 = 12, PFR0_FP = 16,
	PFR0_ADVSIMD = 20, PFR0_GIC = 24, PFR0_RAS = 28, PFR0_SVE = 32, PFR0_SEL2 = 36,
	PFR0_MPAM = 40, PFR0_AMU = 44, PFR0_DIT = 48, PFR0_RME = 52, PFR0_CSV2 = 56,
	PFR0_CSV3 = 60,
};
enum { PFR1_BT = 0, PFR1_SSBS = 4, PFR1_MTE = 8, PFR1_SME = 24, PFR1_NMI = 36, PFR1_GCS = 44 };
enum {
	DFR0_DEBUGVER = 0, DFR0_TRACEVER = 4, DFR0_PMUVER = 8, DFR0_BRPS = 12, DFR0_WRPS = 20,
	DFR0_CTX_CMPS = 28, DFR0_PMSVER = 32, DFR0_DOUBLELOCK = 36, DFR0_TRACEFILT = 40,
	DFR0_TRACEBUFFER = 44, DFR0_BRBE = 52,
};
enum { ISAR0_TME = 24 };
enum { ISAR1_APA = 4, ISAR1_API = 8, ISAR1_GPA = 24, ISAR1_GPI = 28, ISAR1_LS64 = 60 };
enum { ISAR2_WFXT = 0, ISAR2_GPA3 = 8, ISAR2_APA3 = 12, ISAR2_MOPS = 16 };
enum {
	MMFR0_PARANGE = 0, MMFR0_TGRAN16 = 20, MMFR0_TGRAN64 = 24, MMFR0_TGRAN4 = 28,
	MMFR0_TGRAN16_2 = 32, MMFR0_TGRAN64_2 = 36, MMFR0_TGRAN4_2 = 40, MMFR0_FGT = 56,
	MMFR0_ECV = 60,
};
enum { MMFR1_VMIDBITS = 4, MMFR1_VH = 8, MMFR1_LO = 16, MMFR1_TWED = 32, MMFR1_HCX = 40 };
enum { MMFR2_CCIDX = 20, MMFR2_NV = 24, MMFR2_FWB = 40, MMFR2_EVT = 56 };

static uint64_t host[ID_REGS_NR];

static void set_host(uint64_t value)
{
	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		host[i] = value;
}

static uint64_t guest(unsigned int index, bool gicv3)
{
	return id_reg_guest_value(index / 8 + 1, index % 8, gicv3);
}

static unsigned int field(uint64_t reg, unsigned int shift)
{
	return (reg >> shift) & 0xf;
}

/* TGran*_2 = 1: a guest has no EL2, so no stage 2 of its own. */
static const uint64_t no_stage2 = F(MMFR0_TGRAN16_2, 1) | F(MMFR0_TGRAN64_2, 1) |
				  F(MMFR0_TGRAN4_2, 1);

/*
 * Every field 0xf: each kept field at its cap, signed fields (FP, AdvSIMD,
 * TGran4/64, DoubleLock) and "as the host has it" fields at 0xf, the rest 0.
 */
static void test_every_field_maximal(void)
{
	set_host(ALL(0xf));
	id_regs_filter(host);
	CHECK_EQ(guest(ID_AA64PFR0, false), F(PFR0_EL0, 1) | F(PFR0_EL1, 1) | F(PFR0_FP, 0xf) |
		 F(PFR0_ADVSIMD, 0xf) | F(PFR0_DIT, 1) | F(PFR0_CSV2, 1) | F(PFR0_CSV3, 1));
	CHECK_EQ(guest(ID_AA64PFR0, true), guest(ID_AA64PFR0, false) | F(PFR0_GIC, 1));
	CHECK_EQ(guest(ID_AA64PFR1, false), F(PFR1_BT, 1) | F(PFR1_SSBS, 2));
	CHECK_EQ(guest(ID_AA64DFR0, false), F(DFR0_DEBUGVER, 0xf) | F(DFR0_PMUVER, 0xf) |
		 F(DFR0_BRPS, 0xf) | F(DFR0_WRPS, 0xf) | F(DFR0_CTX_CMPS, 0xf) |
		 F(DFR0_DOUBLELOCK, 0xf));
	/* AES 2, SHA1 1, SHA2 2, CRC32 1, Atomic 3, RDM..FHM 1, TS 2, TLB 2, RNDR 1. */
	CHECK_EQ(guest(ID_AA64ISAR0, false), 0x1221111110312120UL);
	/* DPB 2, JSCVT, FCMA 1, LRCPC 3, FRINTTS..I8MM 1; no pointer authentication. */
	CHECK_EQ(guest(ID_AA64ISAR1, false), 0x0011111100311002UL);
	/* RPRES, BC, CLRBHB, CSSC. */
	CHECK_EQ(guest(ID_AA64ISAR2, false), 0x0010000010100010UL);
	/* PARange 48 bits, ASID 16 bits, BigEnd, BigEndEL0, TGran16; TGran4/64 absent; ECV 1. */
	CHECK_EQ(guest(ID_AA64MMFR0, false), 0x10000111ff110125UL);
	/* HAFDBS 2, HPDS 1, PAN 3, SpecSEI 1, AFP 1, ECBHB 1. */
	CHECK_EQ(guest(ID_AA64MMFR1, false), 0x1000100001301002UL);
	/* CnP, UAO, LSM, VARange, CCIDX, ST, AT, TTL, E0PD. */
	CHECK_EQ(guest(ID_AA64MMFR2, false), 0x1001000110110111UL);
}

/* Every field 1: whatever is kept stays 1 (caps never raise), the rest is 0. */
static void test_every_field_one(void)
{
	set_host(ALL(1));
	id_regs_filter(host);
	uint64_t pfr0 = guest(ID_AA64PFR0, false);
	CHECK_EQ(pfr0, F(PFR0_EL0, 1) | F(PFR0_EL1, 1) | F(PFR0_FP, 1) | F(PFR0_ADVSIMD, 1) |
		 F(PFR0_DIT, 1) | F(PFR0_CSV2, 1) | F(PFR0_CSV3, 1));
	CHECK_EQ(guest(ID_AA64PFR1, false), F(PFR1_BT, 1) | F(PFR1_SSBS, 1));
	CHECK_EQ(guest(ID_AA64ISAR0, false), 0x1111111110111110UL);
	CHECK_EQ(guest(ID_AA64ISAR1, false), 0x0011111100111001UL);
	CHECK_EQ(guest(ID_AA64MMFR0, false), 0x1000011100110111UL);
	CHECK_EQ(guest(ID_AA64DFR0, false), 0x0000000010101101UL);
}

/* Features arx does not virtualize read as absent whatever the host has. */
static void test_unsupported_absent(void)
{
	static const struct {
		unsigned int index, shift;
		const char *name;
	} absent[] = {
		{ ID_AA64PFR0, PFR0_EL2, "EL2" }, { ID_AA64PFR0, PFR0_EL3, "EL3" },
		{ ID_AA64PFR0, PFR0_RAS, "RAS" }, { ID_AA64PFR0, PFR0_SVE, "SVE" },
		{ ID_AA64PFR0, PFR0_SEL2, "SEL2" }, { ID_AA64PFR0, PFR0_MPAM, "MPAM" },
		{ ID_AA64PFR0, PFR0_AMU, "AMU" }, { ID_AA64PFR0, PFR0_RME, "RME" },
		{ ID_AA64PFR1, PFR1_MTE, "MTE" }, { ID_AA64PFR1, PFR1_SME, "SME" },
		{ ID_AA64PFR1, PFR1_NMI, "NMI" }, { ID_AA64PFR1, PFR1_GCS, "GCS" },
		{ ID_AA64DFR0, DFR0_TRACEVER, "TraceVer" }, { ID_AA64DFR0, DFR0_PMSVER, "SPE" },
		{ ID_AA64DFR0, DFR0_TRACEFILT, "TraceFilt" },
		{ ID_AA64DFR0, DFR0_TRACEBUFFER, "TraceBuffer" }, { ID_AA64DFR0, DFR0_BRBE, "BRBE" },
		{ ID_AA64ISAR0, ISAR0_TME, "TME" }, { ID_AA64ISAR1, ISAR1_APA, "APA" },
		{ ID_AA64ISAR1, ISAR1_API, "API" }, { ID_AA64ISAR1, ISAR1_GPA, "GPA" },
		{ ID_AA64ISAR1, ISAR1_GPI, "GPI" }, { ID_AA64ISAR1, ISAR1_LS64, "LS64" },
		{ ID_AA64ISAR2, ISAR2_WFXT, "WFxT" }, { ID_AA64ISAR2, ISAR2_GPA3, "GPA3" },
		{ ID_AA64ISAR2, ISAR2_APA3, "APA3" }, { ID_AA64ISAR2, ISAR2_MOPS, "MOPS" },
		{ ID_AA64MMFR0, MMFR0_FGT, "FGT" }, { ID_AA64MMFR1, MMFR1_VMIDBITS, "VMIDBits" },
		{ ID_AA64MMFR1, MMFR1_VH, "VH" }, { ID_AA64MMFR1, MMFR1_LO, "LO" },
		{ ID_AA64MMFR1, MMFR1_TWED, "TWED" }, { ID_AA64MMFR1, MMFR1_HCX, "HCX" },
		{ ID_AA64MMFR2, MMFR2_NV, "NV" }, { ID_AA64MMFR2, MMFR2_FWB, "FWB" },
		{ ID_AA64MMFR2, MMFR2_EVT, "EVT" },
	};
	for (unsigned int nibble = 1; nibble <= 0xf; nibble++) {
		set_host(ALL(nibble));
		id_regs_filter(host);
		for (unsigned int i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
			unsigned int got = field(guest(absent[i].index, true), absent[i].shift);
			CHECKF(got == 0, "host fields %#x: %s reads %#x, expected 0", nibble,
			       absent[i].name, got);
		}
	}
}

/* Signed fields: 0xf (absent) stays absent, a future positive value is capped. */
static void test_signed_fields(void)
{
	set_host(0);
	host[ID_AA64PFR0] = F(PFR0_FP, 0xf) | F(PFR0_ADVSIMD, 0xf);
	host[ID_AA64MMFR0] = F(MMFR0_TGRAN4, 0xf) | F(MMFR0_TGRAN64, 0xf);
	id_regs_filter(host);
	CHECK_EQ(field(guest(ID_AA64PFR0, false), PFR0_FP), 0xf);
	CHECK_EQ(field(guest(ID_AA64PFR0, false), PFR0_ADVSIMD), 0xf);
	CHECK_EQ(field(guest(ID_AA64MMFR0, false), MMFR0_TGRAN4), 0xf);
	CHECK_EQ(field(guest(ID_AA64MMFR0, false), MMFR0_TGRAN64), 0xf);

	host[ID_AA64PFR0] = F(PFR0_FP, 7) | F(PFR0_ADVSIMD, 1);
	host[ID_AA64MMFR0] = F(MMFR0_TGRAN4, 1); /* 52-bit addresses with 4 KiB pages */
	id_regs_filter(host);
	CHECK_EQ(field(guest(ID_AA64PFR0, false), PFR0_FP), 1);
	CHECK_EQ(field(guest(ID_AA64PFR0, false), PFR0_ADVSIMD), 1);
	CHECK_EQ(field(guest(ID_AA64MMFR0, false), MMFR0_TGRAN4), 0);

	/* All zero: FP, AdvSIMD and both granules present; no stage 2 all the same. */
	set_host(0);
	id_regs_filter(host);
	CHECK_EQ(guest(ID_AA64PFR0, false), 0);
	CHECK_EQ(guest(ID_AA64MMFR0, false), no_stage2);
}

/* Fields where less is less: the host's value when within the cap, never more. */
static void test_unsigned_caps(void)
{
	static const struct {
		unsigned int index, shift, host, guest;
	} cases[] = {
		{ ID_AA64MMFR0, MMFR0_PARANGE, 2, 2 }, /* 40 bits stay 40 */
		{ ID_AA64MMFR0, MMFR0_PARANGE, 6, 5 }, /* 52 bits: stage 2 gives 48 */
		{ ID_AA64PFR0, PFR0_EL0, 2, 1 }, /* AArch32 EL0: not offered */
		{ ID_AA64PFR0, PFR0_EL1, 1, 1 },
		{ ID_AA64PFR0, PFR0_CSV2, 2, 1 },
		{ ID_AA64DFR0, DFR0_PMUVER, 4, 4 }, /* PMU and debug: as the host has them */
		{ ID_AA64DFR0, DFR0_PMUVER, 0xf, 0xf },
		{ ID_AA64DFR0, DFR0_DEBUGVER, 6, 6 },
		{ ID_AA64DFR0, DFR0_DOUBLELOCK, 0, 0 },
		{ ID_AA64MMFR0, MMFR0_TGRAN16, 2, 1 },
		{ ID_AA64MMFR0, MMFR0_ECV, 2, 1 }, /* CNTPOFF is EL2's */
		{ ID_AA64MMFR2, MMFR2_CCIDX, 1, 1 }, /* CCSIDR_EL1 is read untrapped */
	};
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_host(0);
		host[cases[i].index] = F(cases[i].shift, cases[i].host);
		id_regs_filter(host);
		unsigned int got = field(guest(cases[i].index, false), cases[i].shift);
		CHECKF(got == cases[i].guest, "register %u field %u: host %#x gave %#x, expected %#x",
		       cases[i].index, cases[i].shift, cases[i].host, got, cases[i].guest);
	}
}

/* The domain's vGIC decides the GIC field alone; nothing else differs. */
static void test_gic_field_per_domain(void)
{
	set_host(0);
	host[ID_AA64PFR0] = F(PFR0_GIC, 3) | F(PFR0_EL1, 1); /* GICv4.1 system registers */
	id_regs_filter(host);
	CHECK_EQ(field(guest(ID_AA64PFR0, true), PFR0_GIC), 1);
	CHECK_EQ(field(guest(ID_AA64PFR0, false), PFR0_GIC), 0);
	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		if (i != ID_AA64PFR0)
			CHECK_EQ(guest(i, true), guest(i, false));
}

/* Reserved encodings and AArch32's registers read 0; so does anything out of range. */
static void test_others_read_zero(void)
{
	set_host(ALL(0xf));
	id_regs_filter(host);
	static const unsigned int kept[] = {
		ID_AA64PFR0, ID_AA64PFR1, ID_AA64DFR0, ID_AA64ISAR0, ID_AA64ISAR1, ID_AA64ISAR2,
		ID_AA64MMFR0, ID_AA64MMFR1, ID_AA64MMFR2,
	};
	unsigned int nonzero = 0;
	for (unsigned int i = 0; i < ID_REGS_NR; i++) {
		bool is_kept = false;
		for (unsigned int k = 0; k < sizeof(kept) / sizeof(kept[0]); k++)
			is_kept |= kept[k] == i;
		if (is_kept)
			continue;
		CHECKF(guest(i, true) == 0, "CRm %u op2 %u reads %#lx", i / 8 + 1, i % 8,
		       (unsigned long)guest(i, true));
		nonzero += guest(i, true) != 0;
	}
	CHECK_EQ(nonzero, 0);
	CHECK_EQ(id_reg_guest_value(0, 0, true), 0);
	CHECK_EQ(id_reg_guest_value(8, 0, true), 0);
	CHECK_EQ(id_reg_guest_value(15, 7, true), 0);
	CHECK_EQ(id_reg_guest_value(4, 8, true), 0);
	CHECK_EQ(id_reg_guest_value(~0u, ~0u, true), 0);
}

/* Filtering what a guest sees again changes nothing: each field already is within its cap. */
static void test_filter_is_idempotent(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15UL, once[ID_REGS_NR];
	for (unsigned int round = 0; round < 1000; round++) {
		for (unsigned int i = 0; i < ID_REGS_NR; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			host[i] = seed ^ (seed >> 29);
		}
		id_regs_filter(host);
		for (unsigned int i = 0; i < ID_REGS_NR; i++)
			once[i] = guest(i, false);
		id_regs_filter(once);
		unsigned int differ = 0;
		for (unsigned int i = 0; i < ID_REGS_NR; i++)
			differ += guest(i, false) != once[i];
		CHECKF(differ == 0, "round %u: %u registers changed when filtered twice", round,
		       differ);
	}
}

int main(void)
{
	test_every_field_maximal();
	test_every_field_one();
	test_unsupported_absent();
	test_signed_fields();
	test_unsigned_caps();
	test_gic_field_per_domain();
	test_others_read_zero();
	test_filter_is_idempotent();
	return check_summary();
}
