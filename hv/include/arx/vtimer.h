/*
 * The guests' EL1 timers (hv/arch/arm64/vtimer.c): the virtual timer on
 * the hardware while its vCPU is loaded, the physical one emulated; both
 * drive level-triggered PPIs that follow the timer's state.
 */
#ifndef ARX_VTIMER_H
#define ARX_VTIMER_H

#include <arx/types.h>

struct vcpu;

#define VTIMER_VIRT_INTID 27
#define VTIMER_PHYS_INTID 30

void vtimer_global_init(void);
/* Per physical CPU that runs vCPUs. */
void vtimer_cpu_init(void);
void vtimer_reset(struct vcpu *v);
/* v (loaded on this CPU): sets both timer lines from the timers' state now. */
void vtimer_sync(struct vcpu *v);
/* v is taken off this CPU (after its registers are saved): its next timer deadline, or 0. */
uint64_t vtimer_save(struct vcpu *v);
/* v was loaded on this CPU (NULL: none is). */
void vtimer_load(struct vcpu *v);
/* v is not loaded and its deadline passed: raises what fired; the next deadline, or 0. */
uint64_t vtimer_expire(struct vcpu *v, uint64_t now);
/* The deadline of loaded v's emulated physical timer, or 0. */
uint64_t vtimer_phys_deadline(const struct vcpu *v);
/* A trapped access to CNTP_TVAL (reg 0), CNTP_CTL (1) or CNTP_CVAL (2). */
void vtimer_phys_access(struct vcpu *v, unsigned int reg, bool read, uint64_t *val);

#endif
