/*
 * Generic vCPU policy on the way back into a guest: a vCPU that is off
 * waits on its physical CPU (which is its alone), a pending CPU_ON resets
 * it, and a dying domain never gets its CPU back.
 */
#include <arch/cpu.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/percpu.h>
#include <arx/platform.h>
#include <arx/vtimer.h>

/* Sleeps until any interrupt arrives; it is handled before this returns. */
static void sleep_once(void)
{
	local_irq_enable();
	cpu_wait_for_interrupt();
	local_irq_disable();
}

void vcpu_wait_for_interrupt(struct vcpu *v)
{
	if (!vgic_has_pending(v) && v->dom->state == DOMAIN_RUNNING)
		cpu_wait_for_interrupt(); /* masked at EL2: wakes, then the IRQ is taken in the guest's exit path */
}

void pcpu_idle(void)
{
	struct pcpu *c = this_cpu();
	c->vcpu = NULL;
	for (;;)
		sleep_once();
}

void vcpu_before_return(struct vcpu *v, struct trap_frame *f)
{
	for (;;) {
		if (v->dom->state != DOMAIN_RUNNING)
			pcpu_idle();
		if (v->power == VCPU_ON)
			break;
		if (v->power == VCPU_ON_PENDING) {
			vcpu_restart(v, f, v->start_pc, v->start_ctx);
			v->power = VCPU_ON;
			break;
		}
		sleep_once();
	}
	vgic_flush(v);
}

void vcpu_run(struct vcpu *v)
{
	for (;;) {
		if (v->dom->state != DOMAIN_RUNNING)
			pcpu_idle();
		if (v->power == VCPU_ON_PENDING) {
			vcpu_reset(v, v->start_pc, v->start_ctx);
			v->power = VCPU_ON;
		}
		if (v->power == VCPU_ON)
			vcpu_enter_first(v);
		sleep_once();
	}
}

void pcpu_run(void)
{
	struct pcpu *c = this_cpu();
	for (;;) {
		if (c->vcpu)
			vcpu_run(c->vcpu);
		sleep_once();
	}
}

static unsigned int maint_irq;

void guest_support_init(const struct platform *p)
{
	stage2_global_init();
	vgic_global_init(p->gic.version, p->gic.hyp.base, p->gic.vcpu.base);
	vtimer_global_init();
	maint_irq = p->gic.maint_irq;
	guest_support_cpu_init();
}

void guest_support_cpu_init(void)
{
	stage2_cpu_init();
	vtimer_cpu_init();
	vgic_cpu_init(maint_irq);
}
