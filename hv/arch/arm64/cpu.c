/* Per-CPU EL2 set-up. */
#include <arch/sysreg.h>
#include <arx/cpu.h>
#include <arx/percpu.h>

void secondary_entry(void);

void arch_cpu_init(void)
{
	/*
	 * Physical IRQs, FIQs and SErrors go to EL2 (needed for arx to take
	 * interrupts at all, and later to keep them from guests); EL1 is AArch64.
	 */
	write_sysreg(hcr_el2, HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO);
	write_sysreg(cntvoff_el2, 0);
	/* FP/SIMD is not trapped: each vCPU owns it and it is saved on a switch. */
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	/*
	 * Debug and PMU registers trap (TDA, TDOSA, TDRA, TPM, TPMCR) until a
	 * vCPU owns them: each vCPU's load sets its own (vcpu.c, vdebug.c,
	 * vpmu.c). HPMN: all counters belong to EL1/EL0.
	 */
	write_sysreg(mdcr_el2, MDCR_TDA | MDCR_TDOSA | MDCR_TDRA | MDCR_TPM | MDCR_TPMCR |
				       pmu_nr_counters());
	isb();
}

uint64_t arch_this_mpidr(void)
{
	return mpidr_affinity(read_sysreg(mpidr_el1));
}

paddr_t arch_secondary_entry(void)
{
	return (paddr_t)secondary_entry;
}

void pcpu_set_this(struct pcpu *c)
{
	write_sysreg(tpidr_el2, c);
}

void arch_clean_inval_dcache(paddr_t pa, uint64_t size)
{
	uint64_t line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine */
	for (uint64_t a = pa & ~(line - 1); a < pa + size; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}
