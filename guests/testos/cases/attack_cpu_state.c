/*
 * An attack through state that lives in the physical CPU rather than in
 * memory: breakpoint and watchpoint values, PMU selection and event types,
 * context and thread ID registers (lib/cpu_state.c). When the hypervisor
 * runs another domain on the same physical CPU, each must be switched with
 * the vCPU: testos must neither find another domain's values there (the
 * canary's, which carry its signature) nor lose its own while it sleeps
 * long enough for the canary to run a check. Only meaningful where the two
 * share a CPU; elsewhere it passes trivially.
 */
#include <testos/board.h>
#include <testos/cpu_state.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

#define SLEEP_US 700000		/* longer than the canary's check period (500 ms) */

static uint32_t woken;

static void wake(unsigned int intid)
{
	(void)intid;
	vtimer_stop();
	store_release(&woken, 1);
}

/* WFI on the virtual timer: the physical CPU is free for others meanwhile. */
static void sleep_us(uint64_t us)
{
	store_release(&woken, 0);
	irq_set_handler(board.vtimer_intid, wake);
	gic_enable(board.vtimer_intid);
	vtimer_arm_at(deadline_in_us(us));
	irq_unmask();
	while (!load_acquire(&woken))
		wfi();
	irq_mask();
}

void case_attack_cpu_state(void)
{
	const char *why;
	char buf[128];

	why = cpu_state_find(CPU_STATE_SIG_CANARY, "attack_cpu_state", buf, sizeof(buf));
	case_check(!why, "before writing anything: %s", why);
	cpu_state_write(CPU_STATE_SIG_ATTACKER);
	sleep_us(SLEEP_US);
	why = cpu_state_check(CPU_STATE_SIG_ATTACKER, "attack_cpu_state", buf, sizeof(buf));
	case_check(!why, "after %u ms asleep: %s", SLEEP_US / 1000, why);
}
