/*
 * Secondary CPUs: started with PSCI CPU_ON at secondary_entry (start.S)
 * with their testos CPU number as context ID, each on its own stack.
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/cpu.h>
#include <testos/gic.h>
#include <testos/psci.h>
#include <testos/smp.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

/* How long a CPU may take to come up or go down before a case calls it stuck. */
#define SMP_TIMEOUT_US 1000000

struct cpu cpus[TESTOS_MAX_CPUS];
uint8_t cpu_stacks[TESTOS_MAX_CPUS][TESTOS_STACK_SIZE] __attribute__((aligned(16)));

int32_t smp_cpu_on_raw(uint64_t mpidr, unsigned int cpu)
{
	return psci_cpu_on(mpidr, (uint64_t)(uintptr_t)secondary_entry, cpu);
}

int32_t smp_start(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct cpu *c;
	int32_t ret;

	if (cpu == 0 || cpu >= board.nr_cpus)
		return PSCI_INVALID_PARAMETERS;
	c = &cpus[cpu];
	c->entry = fn;
	c->arg = arg;
	c->online = 0;
	c->done = 0;
	c->crashed = 0;
	dsb(sy);	/* the CPU reads these as soon as it runs */
	ret = smp_cpu_on_raw(board.mpidr[cpu], cpu);
	if (ret == PSCI_SUCCESS)
		c->started = 1;
	return ret;
}

bool smp_wait_online(unsigned int cpu, uint64_t us)
{
	return WAIT_UNTIL(load_acquire(&cpus[cpu].online) || load_acquire(&cpus[cpu].crashed),
			  us) && !load_acquire(&cpus[cpu].crashed);
}

bool smp_wait_off(unsigned int cpu, uint64_t us)
{
	bool off = WAIT_UNTIL(psci_affinity_info(board.mpidr[cpu]) == PSCI_AFF_OFF, us);

	if (off)
		cpus[cpu].started = 0;
	return off;
}

const char *smp_settle(unsigned int *bad_cpu)
{
	const char *why = NULL;

	for (unsigned int cpu = 1; cpu < board.nr_cpus; cpu++) {
		if (!why && load_acquire(&cpus[cpu].crashed)) {
			why = "took an unexpected exception (reported above)";
			*bad_cpu = cpu;
		}
		cpus[cpu].crashed = 0;
		if (cpus[cpu].started && !smp_wait_off(cpu, SMP_TIMEOUT_US) && !why) {
			why = "did not power off";
			*bad_cpu = cpu;
		}
	}
	return why;
}

void secondary_main(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	const char *err = gic_cpu_init();

	daif_default();
	if (err) {
		printf("# cpu%u: %s\n", cpu, err);
		store_release(&c->crashed, 1);
	} else {
		store_release(&c->online, 1);
		c->entry(c->arg);
		irq_mask();
		store_release(&c->done, 1);
	}
	psci_cpu_off();
	printf("# cpu%u: PSCI CPU_OFF returned\n", cpu);
	cpu_halt();
}
