/*
 * The crash watchdog. A guest that stops taking interrupts (a kernel panic
 * loops with them masked, a hung vCPU) leaves its virtual timer interrupt
 * pending. When that lasts WATCHDOG_SECONDS of the vCPU's own run time, the
 * domain is treated as crashed and its on_crash policy applies. Run time,
 * not wall time, so a vCPU that simply did not get the CPU is never blamed.
 */
#include <arx/domain.h>
#include <arx/percpu.h>
#include <arx/timer.h>
#include <arx/watchdog.h>

#define VTIMER_INTID 27

static bool timer_irq_waiting(struct vcpu *v)
{
	const struct virq *q = &v->vgic.private[VTIMER_INTID];
	return q->pending || q->lr >= 0;
}

void watchdog_check(struct pcpu *c)
{
	struct vcpu *v = c->vcpu;
	if (!c->running || !v || v->dom->state != DOMAIN_RUNNING)
		return;
	if (!timer_irq_waiting(v)) {
		v->timer_pending_since = 0;
		return;
	}
	if (!v->timer_pending_since) {
		v->timer_pending_since = v->runtime | 1; /* 0 means "not waiting" */
		return;
	}
	if (v->runtime - v->timer_pending_since > WATCHDOG_SECONDS * timer_freq())
		domain_crash(v->dom, "a vCPU has not taken its timer interrupt for "
				     "5 s of its run time (hung with interrupts masked?)");
}
