/*
 * An attack on CPU time: testos spins with interrupts masked for 2 seconds
 * (measured with the virtual counter) while its virtual timer, armed, fires
 * at the start and stays pending. The hypervisor must keep running other
 * domains (it may deschedule this one), and for this guest the case must
 * simply complete: the time passes, the timer interrupt is pending and is
 * taken as soon as interrupts are unmasked. 2 s stays below arx's crash
 * watchdog (5 s of run time with the timer interrupt pending).
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

#define HOG_US 2000000
#define TIMER_AFTER_US 1000
#define TAKE_TIMEOUT_US 100000

static void hog_tick(unsigned int intid)
{
	(void)intid;
	vtimer_stop();
}

void case_attack_hog(void)
{
	unsigned int intid = board.vtimer_intid;
	uint32_t taken = irq_count(0, intid);
	uint64_t start, end, spins = 0;
	bool fired, pending;

	irq_set_handler(intid, hog_tick);
	gic_enable(intid);
	irq_mask();
	start = timer_now();
	end = start + timer_us_to_ticks(HOG_US);
	vtimer_arm_at(start + timer_us_to_ticks(TIMER_AFTER_US));
	while (timer_now() < end)
		spins++;
	fired = vtimer_fired();
	pending = gic_pending(intid);
	irq_unmask();
	WAIT_UNTIL(irq_count(0, intid) != taken, TAKE_TIMEOUT_US);
	irq_mask();
	printf("# attack_hog: %lu ms with interrupts masked, %lu counter reads\n",
	       (timer_now() - start) * 1000 / timer_freq(), spins);
	if (!case_check(fired, "the virtual timer did not fire in %u ms", HOG_US / 1000) ||
	    !case_check(pending, "the timer interrupt was not pending after %u ms masked",
			HOG_US / 1000))
		return;
	case_check(irq_count(0, intid) - taken == 1, "the timer interrupt was taken %u times "
		   "once unmasked, expected once", irq_count(0, intid) - taken);
}
