/*
 * Per-CPU data and secondary CPU bring-up through PSCI CPU_ON. Each CPU
 * gets a dense arx number; the boot CPU is always 0.
 */
#include <arch/cpu.h>
#include <arx/console.h>
#include <arx/cpu.h>
#include <arx/guest_trap.h>
#include <arx/irq.h>
#include <arx/mmu.h>
#include <arx/panic.h>
#include <arx/percpu.h>
#include <arx/psci.h>
#include <arx/timer.h>

#define CPU_ON_TIMEOUT_US 2000000

struct pcpu pcpus[NR_CPUS];
uint8_t pcpu_stacks[NR_CPUS][STACK_REGION] __attribute__((aligned(4096)));
static uint8_t emergency_stacks[NR_CPUS][EMERGENCY_STACK_SIZE] __attribute__((aligned(16)));
unsigned int nr_cpus_online;


void pcpu_setup(unsigned int idx, uint64_t mpidr)
{
	struct pcpu *c = &pcpus[idx];
	c->id = idx;
	c->mpidr = mpidr;
	c->stack_low = (uint64_t)pcpu_stacks[idx] + PAGE_SIZE; /* above the guard page */
	c->emergency_sp = (uint64_t)emergency_stacks[idx] + EMERGENCY_STACK_SIZE;
}

/*
 * Boot-time IPI check: the boot CPU pings each secondary in turn and the
 * secondary answers. One ping at a time, because SGIs from several senders
 * to one target may merge into a single pending interrupt on GICv3.
 */
static void on_ping_ipi(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	struct pcpu *c = this_cpu();
	c->ipis_received++;
	if (c->id != 0)
		irq_send_sgi(0, SGI_PING);
}

/* A kick only needs to interrupt: the exit path re-examines the vCPU. */
static void on_kick_ipi(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	this_cpu()->kicks_received++;
}

static void on_stop_ipi(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	cpu_stop();
}

void smp_wait_for_others(void)
{
	unsigned int me = this_cpu()->id;
	for (unsigned int i = 0; i < nr_cpus_online; i++) {
		if (i == me || !pcpus[i].online)
			continue;
		uint64_t seen = pcpus[i].kicks_received;
		irq_send_sgi(i, SGI_KICK);
		while (pcpus[i].kicks_received == seen)
			cpu_relax();
	}
}

/* Runs on each secondary CPU, MMU on, with its own stack. */
NORETURN void secondary_main(unsigned int idx);
void secondary_main(unsigned int idx)
{
	struct pcpu *c = &pcpus[idx];
	pcpu_set_this(c);
	arch_cpu_init();
	irq_init_cpu();
	timer_init_cpu();
	guest_support_cpu_init();
	printk("arx: cpu%u up (MPIDR 0x%lx)\n", idx, c->mpidr);
	c->online = true;
	local_irq_disable();
	pcpu_run();
}

static bool wait_online(const struct pcpu *c)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(CPU_ON_TIMEOUT_US);
	while (!c->online)
		if (timer_now() > deadline)
			return false;
	return true;
}

static bool start_cpu(unsigned int idx, uint64_t mpidr)
{
	pcpu_setup(idx, mpidr);
	int64_t r = psci_cpu_on(mpidr, arch_secondary_entry(), idx);
	if (r != PSCI_SUCCESS) {
		printk("arx: cpu MPIDR 0x%lx refused to start: PSCI error %ld\n", mpidr, r);
		return false;
	}
	if (!wait_online(&pcpus[idx])) {
		printk("arx: cpu MPIDR 0x%lx did not come up within %u ms\n", mpidr,
		       CPU_ON_TIMEOUT_US / 1000);
		return false;
	}
	return true;
}

unsigned int smp_boot(const struct platform *p)
{
	unsigned int next = 1;
	irq_register(SGI_PING, on_ping_ipi, NULL);
	irq_register(SGI_STOP, on_stop_ipi, NULL);
	irq_register(SGI_KICK, on_kick_ipi, NULL);
	pcpus[0].online = true;
	console_enable_lock();
	for (unsigned int i = 0; i < p->nr_cpus && next < NR_CPUS; i++) {
		if (p->cpu_mpidr[i] == pcpus[0].mpidr)
			continue;
		if (start_cpu(next, p->cpu_mpidr[i]))
			next++;
	}
	nr_cpus_online = next;
	return next;
}
