/*
 * The crash watchdog. A guest that stops taking interrupts (a kernel panic
 * loops with them masked, a hung vCPU) no longer acknowledges its virtual
 * timer's interrupts, though the timer keeps firing (or stays fired). When
 * that lasts long enough of the vCPU's own run time (20 s by default, like
 * Linux's soft-lockup detector; arx.watchdog=SECONDS on arx's command line
 * changes it), the domain is treated as crashed and its on_crash policy
 * applies. Fired, not pending: a guest that polls with interrupts masked
 * may move its timer ahead before each deadline, which withdraws the
 * interrupt each time. Run time, not wall time, so a vCPU that simply did
 * not get the CPU is never blamed. Not shorter by default: under emulation a
 * guest legitimately spins with interrupts masked for seconds (stop_machine
 * while booting many vCPUs on a loaded host).
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/platform.h>
#include <arx/percpu.h>
#include <arx/timer.h>
#include <arx/vtimer.h>
#include <arx/watchdog.h>

static uint64_t limit_seconds = WATCHDOG_SECONDS;

void watchdog_init(const struct platform *p)
{
	char buf[12];
	const char *val = platform_option(p, "arx.watchdog", buf, sizeof(buf));
	uint64_t n = 0;
	for (; val && *val >= '0' && *val <= '9' && n < 100000; val++)
		n = n * 10 + (uint64_t)(*val - '0');
	if (val && *val == '\0' && n > 0) {
		limit_seconds = n;
		printk("arx: crash watchdog after %lu s with the timer interrupt pending\n", n);
	}
}

/*
 * Fired since the guest last acknowledged it. An interrupt the guest has not
 * enabled (a CPU still booting) is never offered, so it does not count.
 */
static bool timer_irq_waiting(struct vcpu *v)
{
	const struct virq *q = &v->vgic.private[VTIMER_VIRT_INTID];
	if (v->vgic.timer_taken != v->watchdog_taken) {
		v->watchdog_taken = v->vgic.timer_taken;
		v->watchdog_raised = v->vgic.timer_raised;
		return false;
	}
	return q->enabled && (q->line || v->vgic.timer_raised != v->watchdog_raised);
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
	if (v->runtime - v->timer_pending_since > limit_seconds * timer_freq())
		domain_crash(v->dom, "a vCPU has left its timer interrupt pending for too long "
				     "(hung with interrupts masked?)");
}
