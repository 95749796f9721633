/* The guests' virtual timer (hv/arch/arm64/vtimer.c). */
#ifndef ARX_VTIMER_H
#define ARX_VTIMER_H

void vtimer_global_init(void);
/* Per physical CPU that runs vCPUs. */
void vtimer_cpu_init(void);

#endif
