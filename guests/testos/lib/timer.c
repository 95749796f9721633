/* The EL1 timers and counters (ARM ARM D11, "The Generic Timer"). */
#include <testos/board.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)
#define CNTV_CTL_ISTATUS (1u << 2)

static uint64_t freq;

const char *timer_init(void)
{
	freq = read_sysreg(cntfrq_el0) & 0xffffffff;
	vtimer_stop();
	return freq ? NULL : "CNTFRQ_EL0 is 0: the counter frequency is unknown";
}

uint64_t timer_freq(void)
{
	return freq;
}

/* The ISB keeps the counter read from being done early, out of program order. */
uint64_t timer_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * (freq / 1000) / 1000 + us * (freq % 1000) / 1000000;
}

uint64_t deadline_in_us(uint64_t us)
{
	return timer_now() + timer_us_to_ticks(us);
}

bool deadline_passed(uint64_t deadline)
{
	return timer_now() >= deadline;
}

void udelay(uint64_t us)
{
	uint64_t end = deadline_in_us(us);

	while (!deadline_passed(end))
		cpu_relax();
}

void vtimer_arm_at(uint64_t cval)
{
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void vtimer_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

bool vtimer_fired(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	return (ctl & CNTV_CTL_ENABLE) && (ctl & CNTV_CTL_ISTATUS);
}

/* Every access names its register in the instruction: one switch per register. */
uint64_t el1_timer_ctl(enum el1_timer t)
{
	return t == TIMER_PHYS ? read_sysreg(cntp_ctl_el0) : read_sysreg(cntv_ctl_el0);
}

void el1_timer_set_ctl(enum el1_timer t, uint64_t ctl)
{
	if (t == TIMER_PHYS)
		write_sysreg(cntp_ctl_el0, ctl);
	else
		write_sysreg(cntv_ctl_el0, ctl);
	isb();
}

uint64_t el1_timer_cval(enum el1_timer t)
{
	return t == TIMER_PHYS ? read_sysreg(cntp_cval_el0) : read_sysreg(cntv_cval_el0);
}

void el1_timer_set_cval(enum el1_timer t, uint64_t cval)
{
	if (t == TIMER_PHYS)
		write_sysreg(cntp_cval_el0, cval);
	else
		write_sysreg(cntv_cval_el0, cval);
	isb();
}

int32_t el1_timer_tval(enum el1_timer t)
{
	return (int32_t)(t == TIMER_PHYS ? read_sysreg(cntp_tval_el0) : read_sysreg(cntv_tval_el0));
}

void el1_timer_set_tval(enum el1_timer t, int32_t tval)
{
	uint64_t v = (uint64_t)(int64_t)tval;

	if (t == TIMER_PHYS)
		write_sysreg(cntp_tval_el0, v);
	else
		write_sysreg(cntv_tval_el0, v);
	isb();
}

uint64_t el1_timer_count(enum el1_timer t)
{
	isb();
	return t == TIMER_PHYS ? read_sysreg(cntpct_el0) : read_sysreg(cntvct_el0);
}

unsigned int el1_timer_intid(enum el1_timer t)
{
	return t == TIMER_PHYS ? board.ptimer_intid : board.vtimer_intid;
}
