/*
 * The PMU: the cycle counter counts while enabled and only then, an event
 * counter gives a plausible count around a known loop, WFI-blocked time
 * is not the guest's, and an overflow raises the PMU interrupt (PPI 23),
 * which the guest silences by clearing the overflow.
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/sleep.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

#define PMCR_E (1UL << 0)
#define PMCR_P (1UL << 1)
#define PMCR_C (1UL << 2)
#define PMCR_LC (1UL << 6)
#define CYCLE_BIT (1UL << 31)
#define EVENT_INST_RETIRED 0x08
#define EVENT_CPU_CYCLES 0x11
#define PMU_INTID 23
#define LOOP_ROUNDS 100000UL

static unsigned int nr_counters(void)
{
	return (unsigned int)(read_sysreg(pmcr_el0) >> 11) & 0x1f;
}

/* Everything off and clear, as each case leaves it. */
static void pmu_quiet(void)
{
	write_sysreg(pmcr_el0, 0);
	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmintenclr_el1, ~0UL);
	write_sysreg(pmovsclr_el0, ~0UL);
	isb();
}

/* Cycle counter on, counting EL1 and EL0 (PMCCFILTR = 0), from zero. */
static void cycles_on(void)
{
	pmu_quiet();
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmcntenset_el0, CYCLE_BIT);
	write_sysreg(pmcr_el0, PMCR_E | PMCR_C | PMCR_LC);
	isb();
}

static uint64_t cycles(void)
{
	isb();
	return read_sysreg(pmccntr_el0);
}

/* Two instructions a round (SUBS, B.NE): LOOP_ROUNDS * 2 retired. */
static void known_loop(void)
{
	uint64_t n = LOOP_ROUNDS;
	__asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(n) : : "cc");
}

void case_pmu_cycle_counter(void)
{
	uint64_t prev, now, stopped;

	cycles_on();
	prev = cycles();
	for (int i = 0; i < 100; i++) {
		known_loop();
		now = cycles();
		if (!case_check(now > prev, "PMCCNTR went from %lu to %lu around a loop", prev, now))
			goto out;
		prev = now;
	}
	write_sysreg(pmcntenclr_el0, CYCLE_BIT);
	stopped = cycles();
	known_loop();
	case_check(cycles() == stopped, "PMCCNTR counts while disabled: %lu then %lu", stopped,
		   cycles());
	write_sysreg(pmcr_el0, PMCR_E | PMCR_C | PMCR_LC);
	case_check(cycles() < stopped, "PMCR.C did not reset PMCCNTR (%lu)", cycles());
out:
	pmu_quiet();
}

/*
 * Counter 0 counts `event` (set through PMSELR/PMXEVTYPER) around the loop,
 * started and stopped together with the cycle counter (one write each).
 */
static uint64_t count_loop(unsigned int event, uint64_t *cycle_delta)
{
	pmu_quiet();
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmselr_el0, 0);
	isb();
	write_sysreg(pmxevtyper_el0, event);
	write_sysreg(pmevcntr0_el0, 0);
	write_sysreg(pmccntr_el0, 0);
	write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
	isb();
	write_sysreg(pmcntenset_el0, 1UL | CYCLE_BIT);
	isb();
	known_loop();
	isb();
	write_sysreg(pmcntenclr_el0, 1UL | CYCLE_BIT);
	isb();
	*cycle_delta = read_sysreg(pmccntr_el0);
	return read_sysreg(pmevcntr0_el0);
}

void case_pmu_event_counter(void)
{
	bool inst = read_sysreg(pmceid0_el0) & (1UL << EVENT_INST_RETIRED);
	uint64_t expect = 2 * LOOP_ROUNDS, cyc, n;

	if (!case_check(nr_counters() > 0, "PMCR_EL0.N is 0: no event counters"))
		return;
	/* QEMU counts retired instructions only with -icount: then CPU cycles instead. */
	n = count_loop(inst ? EVENT_INST_RETIRED : EVENT_CPU_CYCLES, &cyc);
	printf("# pmu: event %#x counted %lu (cycle counter %lu) around %lu instructions\n",
	       inst ? EVENT_INST_RETIRED : EVENT_CPU_CYCLES, n, cyc, expect);
	if (inst)
		case_check(n >= expect && n <= expect + expect / 10 + 500,
			   "%lu instructions retired around a loop of %lu", n, expect);
	else
		case_check(n >= cyc / 2 && n <= 2 * cyc,
			   "CPU_CYCLES counted %lu where the cycle counter counted %lu", n, cyc);
	write_sysreg(pmselr_el0, 0);
	isb();
	case_check(read_sysreg(pmxevcntr_el0) == n, "PMXEVCNTR and PMEVCNTR0 disagree");
	pmu_quiet();
}

#define BLOCK_US 20000

/* Cycles counted over about BLOCK_US in WFI; *ticks: how long it was. */
static uint64_t blocked_cycles(uint64_t *ticks)
{
	uint64_t t0 = timer_now(), start = cycles();

	wfi_sleep_us(BLOCK_US);
	start = cycles() - start;
	*ticks = timer_now() - t0;
	return start;
}

/*
 * Time the vCPU spends blocked in WFI is not its own: under arx it counts
 * (almost) nothing, natively no faster than busy time (per counter tick, as
 * the wake may come late). The system test checks the numbers printed here
 * for the stricter property under arx.
 */
void case_pmu_guest_cycles_only(void)
{
	uint64_t start, t0, busy, busy_ticks, blocked, blocked_ticks;

	cycles_on();
	irq_mask();
	t0 = timer_now();
	start = cycles();
	udelay(BLOCK_US);
	busy = cycles() - start;
	busy_ticks = timer_now() - t0;
	blocked = blocked_cycles(&blocked_ticks);
	printf("# pmu: %lu cycles in %lu ticks busy, %lu cycles in %lu ticks WFI-blocked\n",
	       busy, busy_ticks, blocked, blocked_ticks);
	case_check(busy > 0, "no cycles counted over %u us", BLOCK_US);
	/* blocked / blocked_ticks <= 1.25 * busy / busy_ticks, without division */
	case_check(blocked * busy_ticks * 4 <= busy * blocked_ticks * 5,
		   "%lu cycles in %lu ticks WFI-blocked, %lu in %lu busy", blocked, blocked_ticks,
		   busy, busy_ticks);
	pmu_quiet();
}

static volatile uint32_t overflows, overflow_bits;

static void overflow_irq(unsigned int intid)
{
	(void)intid;
	overflow_bits = (uint32_t)read_sysreg(pmovsclr_el0);
	write_sysreg(pmovsclr_el0, overflow_bits); /* drops the level */
	isb();
	overflows++;
}

#define OVERFLOW_AFTER 200000UL

void case_pmu_overflow_irq(void)
{
	overflows = overflow_bits = 0;
	irq_set_handler(PMU_INTID, overflow_irq);
	gic_clear_pending(PMU_INTID);
	gic_enable(PMU_INTID);
	cycles_on();
	write_sysreg(pmccntr_el0, 0UL - OVERFLOW_AFTER);
	write_sysreg(pmintenset_el1, CYCLE_BIT);
	isb();
	irq_unmask();
	WAIT_UNTIL(overflows > 0, 2000000);
	udelay(10000); /* a line that stayed high would come back now */
	irq_mask();
	gic_disable(PMU_INTID);
	pmu_quiet();
	irq_set_handler(PMU_INTID, NULL);
	if (!case_check(overflows == 1, "%u PMU interrupts for one overflow", overflows))
		return;
	case_check(overflow_bits == CYCLE_BIT, "PMOVSCLR read %#x, expected the cycle counter's bit",
		   overflow_bits);
}

/*
 * Two domains on one physical CPU (tests/system/test_isolation.py): the
 * holder starts its cycle counter from a mark far above anything a fresh
 * counter reaches and sleeps; the runner, meanwhile, must find its own
 * counter at zero (not the holder's) and keeps resetting every counter it
 * has. The holder's count must have survived, above its mark.
 */
#define PMU_MARK (1UL << 40)
#define PMU_HOLD_US 1500000
#define PMU_RUN_US 3000000

void case_pmu_isolation_hold(void)
{
	uint64_t after;

	cycles_on();
	write_sysreg(pmccntr_el0, PMU_MARK);
	isb();
	wfi_sleep_us(PMU_HOLD_US); /* the runner has the CPU meanwhile */
	after = cycles();
	pmu_quiet();
	case_check(after > PMU_MARK, "the cycle counter went from %#lx to %#lx while asleep",
		   PMU_MARK, after);
}

void case_pmu_isolation_run(void)
{
	uint64_t first = cycles(), end = deadline_in_us(PMU_RUN_US);
	unsigned int resets = 0;

	while (!deadline_passed(end)) {
		write_sysreg(pmcr_el0, PMCR_E | PMCR_P | PMCR_C);
		write_sysreg(pmccntr_el0, 0);
		resets++;
	}
	pmu_quiet();
	printf("# pmu: %u resets of this domain's counters\n", resets);
	case_check(first < PMU_MARK, "the first read of the cycle counter gave %#lx: not its own",
		   first);
}
