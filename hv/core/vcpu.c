/*
 * Generic vCPU policy: what a WFI means, and the last step before the
 * guest gets its CPU back, which is where the scheduler decides which
 * guest that is.
 */
#include <arch/id_regs.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/percpu.h>
#include <arx/platform.h>
#include <arx/sched.h>
#include <arx/timer.h>
#include <arx/vtimer.h>

void vcpu_wait_for_interrupt(struct vcpu *v)
{
	sched_block(v); /* gives the CPU up unless an interrupt is already pending */
}

void vcpu_before_return(struct vcpu *v, struct trap_frame *f)
{
	(void)v;
	sched_schedule(f);
}

void pcpu_run(void)
{
	sched_start();
}

static unsigned int maint_irq;

void guest_support_init(const struct platform *p)
{
	stage2_global_init();
	id_regs_init();
	vgic_global_init(p->gic.version, p->gic.hyp.base, p->gic.vcpu.base);
	vtimer_global_init();
	vpmu_global_init();
	maint_irq = p->gic.maint_irq;
	timer_set_expiry_hook(sched_timer_expired);
	guest_support_cpu_init();
}

void guest_support_cpu_init(void)
{
	stage2_cpu_init();
	vtimer_cpu_init();
	vpmu_cpu_init();
	vgic_cpu_init(maint_irq);
}
