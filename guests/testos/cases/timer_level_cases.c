/*
 * Both EL1 timers (virtual and physical) as the architecture defines them:
 * each drives a level-sensitive PPI that is asserted exactly while the
 * timer is enabled, not masked, and its counter has reached CVAL. So
 * disabling, masking or moving CVAL ahead takes back an interrupt that has
 * not been acknowledged, as every view of the GIC shows, and an expired
 * timer that is enabled again pends again. Natively this is the real GIC
 * and timer; under a hypervisor it is the emulation being checked.
 */
#include <testos/board.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

#define FIRE_WAIT_US 200000
#define FAR_AHEAD_US 10000000

static const char *const timer_name[] = { [TIMER_VIRT] = "virtual", [TIMER_PHYS] = "physical" };

static void fire_now(enum el1_timer t)
{
	el1_timer_set_cval(t, el1_timer_count(t));
	el1_timer_set_ctl(t, TIMER_CTL_ENABLE);
}

static void withdraw_disable(enum el1_timer t)
{
	el1_timer_set_ctl(t, 0);
}

static void withdraw_mask(enum el1_timer t)
{
	el1_timer_set_ctl(t, TIMER_CTL_ENABLE | TIMER_CTL_IMASK);
}

static void withdraw_cval_ahead(enum el1_timer t)
{
	el1_timer_set_cval(t, el1_timer_count(t) + timer_us_to_ticks(FAR_AHEAD_US));
}

static const struct {
	const char *what;
	void (*withdraw)(enum el1_timer t);
} withdrawals[] = {
	{ "disabled", withdraw_disable },
	{ "masked", withdraw_mask },
	{ "CVAL moved ahead", withdraw_cval_ahead },
};

/*
 * The three views of "pending": the distributor's (or redistributor's)
 * pending bit, the highest pending interrupt and an acknowledge (ended
 * again at once if it returns anything). The first register read is the
 * one a stale state would show; GICv2's CPU interface cannot be trapped
 * per vCPU under arx, so there the distributor goes first (see
 * docs/architecture.md).
 */
static bool shows_none(enum el1_timer t, const char *after)
{
	unsigned int intid = el1_timer_intid(t), hppir, acked;
	uint32_t raw;
	bool pend;

	if (board.gic == GIC_V3) {
		hppir = gic_highest_pending();
		acked = gic_ack(&raw);
		pend = gic_pending(intid);
	} else {
		pend = gic_pending(intid);
		hppir = gic_highest_pending();
		acked = gic_ack(&raw);
	}
	if (acked < GIC_SPURIOUS_FIRST)
		gic_eoi(raw);
	return case_check(hppir != intid, "%s timer %s: INTID %u still the highest pending",
			  timer_name[t], after, intid) &&
	       case_check(acked != intid, "%s timer %s: INTID %u still acknowledged", timer_name[t],
			  after, intid) &&
	       case_check(!pend, "%s timer %s: INTID %u still pending in the distributor",
			  timer_name[t], after, intid);
}

static bool fires(enum el1_timer t, const char *when)
{
	unsigned int intid = el1_timer_intid(t);

	fire_now(t);
	return case_check(WAIT_UNTIL(gic_pending(intid), FIRE_WAIT_US),
			  "%s timer %s: INTID %u not pending %u us after its deadline",
			  timer_name[t], when, intid, FIRE_WAIT_US);
}

static void level_case(enum el1_timer t)
{
	unsigned int intid = el1_timer_intid(t);

	irq_mask();
	gic_clear_pending(intid);
	gic_enable(intid);
	for (unsigned int i = 0; i < sizeof(withdrawals) / sizeof(withdrawals[0]); i++) {
		if (!fires(t, "armed"))
			break;
		withdrawals[i].withdraw(t);
		if (!shows_none(t, withdrawals[i].what))
			break;
		if (!fires(t, "enabled again after it expired"))
			break;
		withdraw_disable(t);
	}
	withdraw_disable(t);
	gic_disable(intid);
	gic_clear_pending(intid);
}

void case_timer_level_virt(void)
{
	level_case(TIMER_VIRT);
}

void case_timer_level_phys(void)
{
	level_case(TIMER_PHYS);
}

#define PHYS_DELAY_US 3000

static volatile uint64_t phys_taken_at;

static void phys_tick(unsigned int intid)
{
	(void)intid;
	phys_taken_at = el1_timer_count(TIMER_PHYS);
	el1_timer_set_ctl(TIMER_PHYS, TIMER_CTL_ENABLE | TIMER_CTL_IMASK);
}

/*
 * The physical timer's registers and its interrupt: TVAL counts down to
 * CVAL (and below zero after it), ISTATUS is set at the deadline, and the
 * interrupt is taken then, not before.
 */
void case_timer_phys_irq(void)
{
	unsigned int intid = board.ptimer_intid;
	int32_t delay = (int32_t)timer_us_to_ticks(PHYS_DELAY_US), tval;
	uint64_t cval, ctl;

	irq_set_handler(intid, phys_tick);
	gic_enable(intid);
	phys_taken_at = 0;
	el1_timer_set_tval(TIMER_PHYS, delay);
	cval = el1_timer_cval(TIMER_PHYS);
	tval = el1_timer_tval(TIMER_PHYS);
	el1_timer_set_ctl(TIMER_PHYS, TIMER_CTL_ENABLE);
	ctl = el1_timer_ctl(TIMER_PHYS);
	if (!case_check(tval > 0 && tval <= delay, "TVAL read %d right after writing %d", tval,
			delay) ||
	    !case_check((ctl & 3) == TIMER_CTL_ENABLE && !(ctl & TIMER_CTL_ISTATUS),
			"CNTP_CTL reads %#lx before the deadline", ctl))
		goto out;
	irq_unmask();
	WAIT_UNTIL(phys_taken_at != 0, 4 * PHYS_DELAY_US + FIRE_WAIT_US);
	irq_mask();
	ctl = el1_timer_ctl(TIMER_PHYS);
	tval = el1_timer_tval(TIMER_PHYS);
	if (!case_check(phys_taken_at != 0, "no physical timer interrupt (INTID %u)", intid) ||
	    !case_check(phys_taken_at >= cval, "the interrupt came %lu ticks before CVAL",
			cval - phys_taken_at))
		goto out;
	case_check(ctl == (TIMER_CTL_ENABLE | TIMER_CTL_IMASK | TIMER_CTL_ISTATUS),
		   "CNTP_CTL reads %#lx after the deadline (handler set IMASK)", ctl);
	case_check(tval < 0, "TVAL reads %d after the deadline, not negative", tval);
out:
	withdraw_disable(TIMER_PHYS);
	gic_disable(intid);
	gic_clear_pending(intid);
}
