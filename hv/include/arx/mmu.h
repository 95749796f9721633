/* arx's own address space at EL2: VA == PA, with per-section permissions. */
#ifndef ARX_MMU_H
#define ARX_MMU_H

#include "platform.h"

/* Builds the tables from the platform description and turns the MMU on (boot CPU). */
void mmu_init(const struct platform *p);
/* Turns the MMU on with the boot CPU's tables (secondary CPUs, MMU still off). */
void mmu_enable_this_cpu(void);

#endif
