/* System register access, barriers and the bit fields arx uses. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <arx/types.h>

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")
#define wfe() __asm__ volatile("wfe" : : : "memory")
#define sev() __asm__ volatile("sev" : : : "memory")

static inline void local_irq_enable(void) { __asm__ volatile("msr daifclr, #2" : : : "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("msr daifset, #2" : : : "memory"); }

/* HCR_EL2 */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_FB BIT(9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_RW BIT(31)

#define CPTR_EL2_RES1 0x33ffUL

/* MDCR_EL2 traps */
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)

/* SCTLR_EL2 (non-VHE) */
#define SCTLR_RES1 0x30c50830UL
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

/* ID_AA64MMFR0_EL1.PARange -> physical address bits */
static inline unsigned int pa_range_bits(void)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	uint64_t r = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	return r < ARRAY_SIZE(bits) ? bits[r] : 48;
}

/* PMCR_EL0.N: the event counters the PMU implements (MDCR_EL2.HPMN's reset value). */
static inline unsigned int pmu_nr_counters(void)
{
	return (read_sysreg(pmcr_el0) >> 11) & 0x1f;
}

static inline uint64_t mpidr_affinity(uint64_t mpidr)
{
	return mpidr & 0xff00ffffffUL;
}

#endif
