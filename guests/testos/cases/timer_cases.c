/* The virtual timer: its interrupt rate, and waking WFI with IRQs masked. */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

#define RATE_HZ 100
#define RATE_TICKS 50
#define RATE_TOLERANCE_PCT 10

/* Written by the boot CPU's timer handler, read by the case on the same CPU. */
static struct {
	uint64_t period, cval, last;
	uint32_t ticks, early;
} rate;

/*
 * Re-arms at the next multiple of the period after the previous deadline
 * (not after "now"), so a late interrupt does not shift the whole series.
 */
static void rate_tick(unsigned int intid)
{
	uint64_t now = timer_now();

	(void)intid;
	if (now < rate.cval)
		rate.early++;
	rate.last = now;
	rate.ticks++;
	if (rate.ticks >= RATE_TICKS) {
		vtimer_stop();
		return;
	}
	rate.cval += rate.period;
	vtimer_arm_at(rate.cval);
}

/*
 * One measurement: RATE_TICKS interrupts at RATE_HZ. Returns false when it
 * failed outright; otherwise *elapsed is the time from arming to the last one.
 */
static bool measure_rate(uint64_t *elapsed)
{
	uint64_t start, timeout_us = 4 * 1000000ull * RATE_TICKS / RATE_HZ;

	rate.period = timer_freq() / RATE_HZ;
	rate.ticks = rate.early = 0;
	start = timer_now();
	rate.cval = start + rate.period;
	vtimer_arm_at(rate.cval);
	irq_unmask();
	WAIT_UNTIL(load_acquire(&rate.ticks) >= RATE_TICKS, timeout_us);
	irq_mask();
	vtimer_stop();
	*elapsed = rate.last - start;
	if (!case_check(rate.ticks == RATE_TICKS, "%u of %u interrupts in %lu us", rate.ticks,
			RATE_TICKS, timeout_us))
		return false;
	return case_check(!rate.early, "%u interrupts came before their deadline", rate.early);
}

static bool within_tolerance(uint64_t elapsed)
{
	uint64_t nominal = rate.period * RATE_TICKS;

	return elapsed * 100 <= nominal * (100 + RATE_TOLERANCE_PCT) &&
	       elapsed * 100 >= nominal * (100 - RATE_TOLERANCE_PCT);
}

/*
 * Each deadline follows the previous one, so a late interrupt delays only
 * itself: elapsed time over 50 periods is off only by the last one's lateness.
 * A host too busy to run this vCPU for a while can still make that large,
 * so a measurement off by more than 10% is repeated (a wrong rate is wrong
 * every time; a busy host is not busy every time).
 */
#define RATE_ATTEMPTS 3

void case_timer_rate(void)
{
	uint64_t elapsed = 0, expected_us = 1000000ull * RATE_TICKS / RATE_HZ;

	irq_set_handler(board.vtimer_intid, rate_tick);
	gic_enable(board.vtimer_intid);
	for (int attempt = 1; attempt <= RATE_ATTEMPTS; attempt++) {
		if (!measure_rate(&elapsed))
			return;
		if (within_tolerance(elapsed))
			return;
		printf("# timer_rate: attempt %d: %u interrupts took %lu us\n", attempt,
		       RATE_TICKS, elapsed * 1000000 / timer_freq());
	}
	case_fail("%u interrupts took %lu us, expected %lu us +-%u%% (%d attempts)", RATE_TICKS,
		  elapsed * 1000000 / timer_freq(), expected_us, RATE_TOLERANCE_PCT, RATE_ATTEMPTS);
}

#define WFI_DELAY_US 10000
#define WFI_MAX_WAKES 1000	/* WFI may also return for no reason; allow some */

/*
 * WFI must return when an interrupt is pending at the CPU even while
 * PSTATE.I masks it; the interrupt then stays pending at the GIC.
 */
void case_wfi_wakes(void)
{
	unsigned int intid = board.vtimer_intid, wakes = 0;
	uint32_t taken_before = irq_count(0, intid);
	uint64_t deadline;

	gic_clear_pending(intid);
	gic_enable(intid);
	irq_mask();
	deadline = deadline_in_us(WFI_DELAY_US);
	vtimer_arm_at(deadline);
	do {
		wfi();
		wakes++;
	} while (!deadline_passed(deadline) && wakes < WFI_MAX_WAKES);
	if (!case_check(deadline_passed(deadline), "WFI returned %u times before the timer fired",
			wakes))
		return;
	case_check(vtimer_fired(), "woke at the deadline but CNTV_CTL.ISTATUS is clear");
	case_check(gic_pending(intid), "INTID %u is not pending at the GIC after the wake", intid);
	case_check(irq_count(0, intid) == taken_before, "the masked interrupt was taken anyway");
}

#define WAKE_ROUNDS 20
#define WAKE_DELAY_US 3000

static volatile uint64_t wake_taken_at;

static void wake_tick(unsigned int intid)
{
	(void)intid;
	wake_taken_at = timer_now();
	vtimer_stop();
}

/*
 * Sleeps in WFI until the virtual timer's deadline, WAKE_ROUNDS times, and
 * prints how late the handler ran: the time from the deadline to its first
 * instruction. Under a hypervisor the vCPU is off its CPU while it sleeps,
 * so this is the hypervisor's timer wake-up latency (bench/run shows it;
 * tests/system/test_vcpu_scheduling.py checks it next to busy domains).
 * Fails only if an interrupt never comes or comes early.
 */
void case_timer_wake_latency(void)
{
	uint64_t late[WAKE_ROUNDS], sum = 0;

	irq_set_handler(board.vtimer_intid, wake_tick);
	gic_enable(board.vtimer_intid);
	for (unsigned int i = 0; i < WAKE_ROUNDS; i++) {
		uint64_t deadline = deadline_in_us(WAKE_DELAY_US);

		wake_taken_at = 0;
		vtimer_arm_at(deadline);
		irq_unmask();
		while (!wake_taken_at && !deadline_passed(deadline + timer_us_to_ticks(1000000)))
			wfi();
		irq_mask();
		if (!case_check(wake_taken_at, "round %u: no timer interrupt within 1 s", i) ||
		    !case_check(wake_taken_at >= deadline, "round %u: the interrupt came early", i))
			return;
		late[i] = wake_taken_at - deadline;
		sum += late[i];
	}
	for (unsigned int i = 1; i < WAKE_ROUNDS; i++) /* insertion sort: a handful of values */
		for (unsigned int j = i; j > 0 && late[j - 1] > late[j]; j--) {
			uint64_t t = late[j];
			late[j] = late[j - 1];
			late[j - 1] = t;
		}
	printf("# timer_wake_latency: %u wakes, median %lu us, mean %lu us, max %lu us\n",
	       WAKE_ROUNDS, late[WAKE_ROUNDS / 2] * 1000000 / timer_freq(),
	       sum / WAKE_ROUNDS * 1000000 / timer_freq(),
	       late[WAKE_ROUNDS - 1] * 1000000 / timer_freq());
}

#define BUSY_SECONDS 60

/*
 * Only by name (testos.only=busy_loop): computes for BUSY_SECONDS with
 * interrupts enabled, a CPU-bound guest for scheduling tests.
 */
void case_busy_loop(void)
{
	uint64_t end = deadline_in_us(BUSY_SECONDS * 1000000ull);

	irq_unmask();
	while (!deadline_passed(end))
		cpu_relax();
	irq_mask();
}
