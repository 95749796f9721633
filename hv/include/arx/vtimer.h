/* The guests' virtual timer (hv/arch/arm64/vtimer.c). */
#ifndef ARX_VTIMER_H
#define ARX_VTIMER_H

struct vcpu;

void vtimer_global_init(void);
/* When the live virtual timer (of v, being saved) will fire; 0 if it will not. */
uint64_t vtimer_deadline(const struct vcpu *v);
/* v's saved timer reached its deadline: mask it as the hardware path would. */
void vtimer_soft_fire(struct vcpu *v);
/* Per physical CPU that runs vCPUs. */
void vtimer_cpu_init(void);

#endif
