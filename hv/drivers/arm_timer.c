/*
 * ARM generic timer, EL2 physical instance. Each CPU reprograms its own
 * compare value one period ahead on every tick; counting from the previous
 * deadline (not from "now") keeps the rate free of handler latency.
 */
#include <arch/sysreg.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/timer.h>

#define CNT_CTL_ENABLE BIT(0)

static uint64_t freq, period;
static unsigned int hyp_irq;
static void (*tick_hook)(void);

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

static void tick(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	uint64_t next = read_sysreg(cnthp_cval_el2) + period;
	uint64_t now = timer_now();
	if (next <= now)
		next = now + period; /* we fell behind (e.g. a debugger stop): skip ticks */
	write_sysreg(cnthp_cval_el2, next);
	this_cpu()->timer_ticks++;
	if (tick_hook)
		tick_hook();
}

void timer_set_tick_hook(void (*hook)(void))
{
	tick_hook = hook;
}

void timer_init(const struct platform *p)
{
	freq = read_sysreg(cntfrq_el0);
	if (freq == 0)
		freq = p->timer_freq;
	period = freq / TICK_HZ;
	hyp_irq = p->timer_hyp_irq;
	irq_register(hyp_irq, tick, NULL);
}

void timer_init_cpu(void)
{
	write_sysreg(cnthp_cval_el2, timer_now() + period);
	write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
	irq_enable(hyp_irq);
}
