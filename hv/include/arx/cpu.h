/* Bringing CPUs up: the boot CPU's set-up and the secondaries (core/smp.c). */
#ifndef ARX_CPU_H
#define ARX_CPU_H

#include "platform.h"

/* Fills in pcpus[idx] (stacks, ids) and makes it this CPU's per-CPU data. */
void pcpu_setup(unsigned int idx, uint64_t mpidr);
/* Arch per-CPU set-up: EL2 control registers (hv/arch/arm64/cpu.c). */
void arch_cpu_init(void);
uint64_t arch_this_mpidr(void);
struct pcpu;
/* Points this CPU's per-CPU register at c (arch). */
void pcpu_set_this(struct pcpu *c);
/*
 * Cleans and invalidates [pa, pa + size) to the point of coherency, so a
 * guest that starts with its caches off reads what the domain builder wrote
 * through cacheable mappings (arch).
 */
void arch_clean_inval_dcache(paddr_t pa, uint64_t size);
/* The physical entry point secondary CPUs start at. */
paddr_t arch_secondary_entry(void);

/* Starts every other CPU in the platform description; returns how many came up. */
unsigned int smp_boot(const struct platform *p);
/*
 * Returns once every other online CPU has taken an interrupt (a kick):
 * none is then still inside work it began before the call, as arx works
 * with interrupts masked. The caller must hold no lock another CPU may wait for.
 */
void smp_wait_for_others(void);

#endif
