/*
 * Sleeping in WFI on the virtual timer, so that a hypervisor may run
 * something else on the physical CPU meanwhile.
 */
#include <testos/board.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/sleep.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

static uint64_t sleep_deadline;

/*
 * Interrupts are on while sleeping: one an earlier case left pending is
 * taken once (re-arming the timer) rather than waking every WFI at once.
 */
static void wake_tick(unsigned int intid)
{
	(void)intid;
	if (deadline_passed(sleep_deadline))
		vtimer_stop();
	else
		vtimer_arm_at(sleep_deadline);
}

void wfi_sleep_us(uint64_t us)
{
	unsigned int intid = board.vtimer_intid;

	irq_set_handler(intid, wake_tick);
	gic_enable(intid);
	sleep_deadline = deadline_in_us(us);
	vtimer_arm_at(sleep_deadline);
	irq_unmask();
	while (!deadline_passed(sleep_deadline))
		wfi();
	irq_mask();
	vtimer_stop();
	irq_set_handler(intid, NULL);
}
