/* Handling guest exits: arch trap decoding meets generic vCPU policy. */
#ifndef ARX_GUEST_TRAP_H
#define ARX_GUEST_TRAP_H

#include "platform.h"
#include "vcpu.h"

/* Boot CPU, once: stage-2, vGIC and virtual timer set-up for running guests. */
void guest_support_init(const struct platform *p);
/* Every CPU (the boot CPU through guest_support_init). */
void guest_support_cpu_init(void);

/* Arch: an exception from a guest (lower EL) on this CPU. */
void guest_trap(struct trap_frame *f, unsigned int vector);
/* Arch: a trapped system register access; false if arx does not provide it. */
bool sysreg_trap(struct vcpu *v, struct trap_frame *f);
/* Arch: saves prev (if any) out of the hardware and loads next; f becomes next's registers. */
void vcpu_switch(struct vcpu *prev, struct vcpu *next, struct trap_frame *f);
/* Arch: saves v out of the hardware (from frame f) and loads nothing: it may run elsewhere. */
void vcpu_park(struct vcpu *v, const struct trap_frame *f);
/* Arch: forgets the loaded vCPU of a dying domain (nothing is saved). */
void vcpu_unload(struct vcpu *v);
/* Arch: restarts the live vCPU at pc with x0 = arg (PSCI CPU_ON), in frame f. */
void vcpu_restart(struct vcpu *v, struct trap_frame *f, uint64_t pc, uint64_t arg);

/* Generic: the guest executed WFI: it gives its CPU up until an interrupt is pending. */
void vcpu_wait_for_interrupt(struct vcpu *v);
/* Generic: last step before returning to a guest: the scheduler picks which (f is rewritten). */
void vcpu_before_return(struct vcpu *v, struct trap_frame *f);
/* Generic: runs whatever vCPUs this CPU is given, sleeping until then. */
NORETURN void pcpu_run(void);

#endif
