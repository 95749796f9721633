/* CPU operations generic code may use, without naming registers. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <arch/sysreg.h>

static inline void cpu_mask_all_exceptions(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
}

static inline void cpu_wait_for_interrupt(void)
{
	wfi();
}

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/*
 * Cleans and invalidates [va, va + size) to the point of coherency, so a
 * guest that starts with its caches off reads what was written through
 * cacheable mappings (the domain builder's copies).
 */
static inline void cpu_clean_inval_dcache(uint64_t va, uint64_t size)
{
	for (uint64_t a = va & ~63UL; a < va + size; a += 64)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

#endif
