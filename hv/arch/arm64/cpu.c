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
