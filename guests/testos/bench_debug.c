/*
 * `testos.bench=debug`: what guest debug and PMU state costs under arx.
 *
 *   bench debug_first_access: 1 iterations, ... (the lazy switch: trap, load, retry)
 *   bench debug_access_owned: 10000 iterations, ... (MDSCR_EL1 read, no longer trapped)
 *   bench pmu_read_cycles: 10000 iterations, ... (PMCCNTR_EL0 read, trapped and emulated)
 *   bench switch_plain: 10000 iterations, ... (an SGI ping-pong between two vCPUs on one CPU)
 *   bench switch_debug_pmu: 10000 iterations, ... (the same, both vCPUs owning both)
 *
 * The domain needs two vCPUs on one physical CPU (`vcpus = 2`, `cpus = "0"`):
 * each side sends an SGI and waits in WFI, so every round is two vCPU
 * switches (QEMU never traps WFE, so a yield would not do). Only the second
 * figure's vCPUs have debug and PMU state to save and restore; the
 * difference between the two is that work, twice. Without a second vCPU
 * the switch rows are left out.
 */
#include <testos/bench.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/smp.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

#define NOINLINE __attribute__((noinline))
#define START_US 1000000

#define SGI_PING 5
#define SGI_PONG 6

static volatile bool partner_stop, partner_owns;

static NOINLINE uint64_t op_mdscr_read(void)
{
	return read_sysreg(mdscr_el1);
}

static NOINLINE uint64_t op_pmccntr_read(void)
{
	return read_sysreg(pmccntr_el0);
}

/* Waits in WFI (interrupts on) until this CPU has taken another SGI `sgi`. */
static void wait_for_sgi(unsigned int sgi, uint32_t before)
{
	while (irq_count(this_cpu_id(), sgi) == before && !partner_stop)
		wfi();
}

/* A ping to the other vCPU and its pong back: two switches, as both block in WFI. */
static NOINLINE uint64_t op_ping_pong(void)
{
	uint32_t before = irq_count(0, SGI_PONG);

	gic_send_sgi(1, SGI_PING);
	wait_for_sgi(SGI_PONG, before);
	return 0;
}

/* Touching one register of each makes a vCPU the owner of its debug and PMU state. */
static void own_debug_and_pmu(void)
{
	write_sysreg(mdscr_el1, 0);
	write_sysreg(pmcr_el0, 1); /* PMCR.E: counters on, as a profiler would have them */
	isb();
}

/* The second vCPU: answers each ping with a pong. */
static void partner(void *arg)
{
	bool owned = false;
	uint32_t seen = irq_count(1, SGI_PING); /* before any ping can come */

	(void)arg;
	gic_enable(SGI_PING);
	irq_unmask();
	while (!partner_stop) {
		wait_for_sgi(SGI_PING, seen);
		seen = irq_count(1, SGI_PING);
		if (partner_owns && !owned) {
			own_debug_and_pmu();
			owned = true;
		}
		gic_send_sgi(0, SGI_PONG);
	}
	irq_mask();
}

static void bench_switches(void)
{
	if (board.nr_cpus < 2 || smp_start(1, partner, NULL) != 0 ||
	    !smp_wait_online(1, START_US)) {
		printf("# testos: switch rows skipped: no second vCPU to switch to\n");
		return;
	}
	gic_enable(SGI_PONG);
	irq_unmask();
	bench_one("switch_plain", op_ping_pong);
	partner_owns = true;
	own_debug_and_pmu();
	bench_one("switch_debug_pmu", op_ping_pong);
	partner_stop = true;
	gic_send_sgi(1, SGI_PING);
	irq_mask();
	smp_wait_off(1, START_US);
}

void bench_debug(void)
{
	uint64_t ns, x;

	printf("# testos: benchmark debug: counter at %lu Hz\n", timer_freq());
	ns = bench_time_once(op_mdscr_read, &x);
	bench_print("debug_first_access", 1, ns, x);
	bench_one("debug_access_owned", op_mdscr_read);
	bench_one("pmu_read_cycles", op_pmccntr_read);
	bench_switches();
}
