/*
 * ARM generic timer, EL2 physical instance. Each CPU keeps a periodic tick
 * (the scheduler's clock) and at most one earlier event that the scheduler
 * asks for (a guest timer's deadline); the compare value is whichever comes
 * first. The tick counts from the previous tick (not from "now"), which keeps
 * its rate free of handler latency.
 */
#include <arch/sysreg.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/timer.h>

#define CNT_CTL_ENABLE BIT(0)

static uint64_t freq, period;
static unsigned int hyp_irq;
static void (*expiry_hook)(bool tick);

/* Per CPU: the next tick and the requested event (0: none). */
static struct {
	uint64_t next_tick, event;
} cpu_timer[NR_CPUS];

uint64_t timer_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t timer_freq(void)
{
	return freq;
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * freq / 1000000;
}

static void program(unsigned int cpu)
{
	uint64_t when = cpu_timer[cpu].next_tick, event = cpu_timer[cpu].event;
	if (event && event < when)
		when = event;
	write_sysreg(cnthp_cval_el2, when);
	isb();
}

void timer_set_event(uint64_t when)
{
	unsigned int cpu = this_cpu()->id;
	if (cpu_timer[cpu].event == when)
		return;
	cpu_timer[cpu].event = when;
	program(cpu);
}

static void expire(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	struct pcpu *c = this_cpu();
	uint64_t now = timer_now();
	bool tick = now >= cpu_timer[c->id].next_tick;
	if (tick) {
		cpu_timer[c->id].next_tick += period;
		if (cpu_timer[c->id].next_tick <= now)
			cpu_timer[c->id].next_tick = now + period; /* fell behind (a debugger stop) */
		c->timer_ticks++;
	}
	if (cpu_timer[c->id].event <= now)
		cpu_timer[c->id].event = 0; /* done; the hook asks again if it needs to */
	program(c->id);
	if (expiry_hook)
		expiry_hook(tick);
}

void timer_set_expiry_hook(void (*hook)(bool tick))
{
	expiry_hook = hook;
}

void timer_init(const struct platform *p)
{
	freq = read_sysreg(cntfrq_el0);
	if (freq == 0)
		freq = p->timer_freq;
	period = freq / TICK_HZ;
	hyp_irq = p->timer_hyp_irq;
	irq_register(hyp_irq, expire, NULL);
}

void timer_init_cpu(void)
{
	unsigned int cpu = this_cpu()->id;
	cpu_timer[cpu].next_tick = timer_now() + period;
	cpu_timer[cpu].event = 0;
	program(cpu);
	write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
	irq_enable(hyp_irq);
}
