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

#endif
