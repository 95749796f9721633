/*
 * The boot sequence. Runs on the boot CPU with the MMU off until mmu_init,
 * so everything before it touches only arx's image and the device tree.
 */
#include <arch/cpu.h>
#include <arx/console.h>
#include <arx/cpu.h>
#include <arx/domain_build.h>
#include <arx/frame_owner.h>
#include <arx/entropy.h>
#include <arx/guest_trap.h>
#include <arx/heap.h>
#include <arx/irq.h>
#include <arx/mmu.h>
#include <arx/page_alloc.h>
#include <arx/panic.h>
#include <arx/pl011.h>
#include <arx/platform.h>
#include <arx/psci.h>
#include <arx/selftest.h>
#include <arx/string.h>
#include <arx/timer.h>
#include <arx/watchdog.h>

/* The arm64 boot protocol caps the device tree at 2 MiB. */
#define DTB_MAX_SIZE (2 * MiB)
#define TICKS_EXPECTED 3
#define CHECK_TIMEOUT_US 2000000

extern char __image_start[], __image_end[];

static struct platform plat;

/* Machine time since reset: the counter starts at 0 when QEMU starts. */
static uint64_t uptime_us(void)
{
	return timer_now() * 1000000 / timer_freq();
}

static void print_banner(paddr_t dtb)
{
	printk("\narx %s: type-1 hypervisor, running at EL2\n", ARX_VERSION);
	printk("arx: loaded at 0x%lx-0x%lx, device tree at 0x%lx\n", (paddr_t)__image_start,
	       (paddr_t)__image_end, dtb);
}

static void setup_memory(void)
{
	for (unsigned int i = 0; i < plat.nr_ram; i++) {
		printk("arx: RAM 0x%lx-0x%lx (%lu MiB)\n", plat.ram[i].base,
		       plat.ram[i].base + plat.ram[i].size, plat.ram[i].size / MiB);
		palloc_add_range(plat.ram[i].base, plat.ram[i].size);
	}
	palloc_reserve((paddr_t)__image_start, (paddr_t)__image_end - (paddr_t)__image_start);
	palloc_reserve((paddr_t)plat.dtb, plat.dtb_size);
	if (plat.initrd_end) {
		printk("arx: initrd 0x%lx-0x%lx\n", plat.initrd_start, plat.initrd_end);
		palloc_reserve(plat.initrd_start, plat.initrd_end - plat.initrd_start);
	}
	if (palloc_init())
		fatal_config("no room in RAM for the page allocator's bitmap");
	if (frame_owner_init())
		fatal_config("no room in RAM for the page owner table");
	struct palloc_stats st;
	palloc_get_stats(&st);
	printk("arx: pages: %lu free, %lu reserved, %lu total (4 KiB each)\n", st.free_pages,
	       st.reserved_pages, st.total_pages);
}

static void print_gic(void)
{
	const struct gic_desc *g = &plat.gic;
	if (g->version == 2)
		printk("arx: GICv2: distributor 0x%lx, CPU interface 0x%lx, GICH 0x%lx, GICV 0x%lx\n",
		       g->dist.base, g->cpu.base, g->hyp.base, g->vcpu.base);
	else
		printk("arx: GICv3: distributor 0x%lx, redistributors 0x%lx (+0x%lx)\n", g->dist.base,
		       g->redist[0].base, g->redist[0].size);
	printk("arx: GIC maintenance interrupt %u, EL2 timer interrupt %u\n", g->maint_irq,
	       plat.timer_hyp_irq);
}

static void setup_interrupts(void)
{
	const char *err = irq_init(&plat);
	if (err)
		fatal_config("%s", err);
	print_gic();
	timer_init(&plat);
	if (timer_freq() == 0)
		fatal_config("timer frequency unknown (CNTFRQ_EL0 is 0 and the DTB gives none)");
	printk("arx: timer %lu Hz, tick every %u ms\n", timer_freq(), 1000 / TICK_HZ);
	timer_init_cpu();
	guest_support_init(&plat);
	local_irq_enable();
}

static bool wait_until(volatile uint64_t *counter, uint64_t target, uint64_t deadline)
{
	while (*counter < target)
		if (timer_now() > deadline)
			return false;
	return true;
}

/* Pings each secondary and waits for every CPU to tick; reports both. */
static void check_cpus(void)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(CHECK_TIMEOUT_US);
	for (unsigned int i = 1; i < nr_cpus_online; i++) {
		uint64_t answers = pcpus[0].ipis_received;
		irq_send_sgi(i, SGI_PING);
		wait_until(&pcpus[0].ipis_received, answers + 1, deadline);
	}
	for (unsigned int i = 0; i < nr_cpus_online; i++) {
		struct pcpu *c = &pcpus[i];
		wait_until(&c->timer_ticks, TICKS_EXPECTED, deadline);
		printk("arx: cpu%u: %lu timer ticks, %lu IPIs received\n", i, c->timer_ticks,
		       c->ipis_received);
	}
}

/* arx.mac=enforcing|permissive overrides the boot policy's mode; -1: not given. */
static int mac_mode_option(void)
{
	char buf[16];
	const char *val = platform_option(&plat, "arx.mac", buf, sizeof(buf));
	if (!val)
		return -1;
	if (strcmp(val, "enforcing") && strcmp(val, "permissive")) {
		printk("arx: arx.mac=%s: not enforcing or permissive; ignored\n", val);
		return -1;
	}
	return strcmp(val, "enforcing") == 0;
}

static NORETURN void start_domains(void)
{
	struct boot_package pkg = { (const void *)plat.initrd_start,
				    plat.initrd_end - plat.initrd_start };
	unsigned int started = 0;
	bootpkg_load_policy(plat.initrd_end ? &pkg : NULL, mac_mode_option());
	if (plat.initrd_end)
		started = bootpkg_start_domains(&pkg);
	if (started == 0) {
		printk("arx: no domains to run; powering off\n");
		psci_system_off();
	}
	console_start_input(plat.uart_irq);
	for (unsigned int i = 1; i < nr_cpus_online; i++)
		irq_send_sgi(i, SGI_KICK);
	local_irq_disable();
	pcpu_run();
}

NORETURN void boot_main(paddr_t dtb, paddr_t load_base);
void boot_main(paddr_t dtb, paddr_t load_base)
{
	arx_load_base = load_base;
	pcpu_setup(0, arch_this_mpidr());
	pcpu_set_this(&pcpus[0]);
	arch_cpu_init();
	const char *err = platform_parse(&plat, (const void *)dtb, DTB_MAX_SIZE);
	console_init(plat.uart.size ? plat.uart.base : EARLY_UART_BASE, &pl011_ops);
	print_banner(dtb);
	if (err)
		fatal_config("%s", err);
	mmu_init(&plat);
	entropy_init(plat.rng_seed, plat.rng_seed_len);
	setup_memory();
	setup_interrupts();
	unsigned int up = smp_boot(&plat);
	printk("arx: %u of %u CPUs up after %lu us\n", up, plat.nr_cpus, uptime_us());
	check_cpus();
	selftest_run(&plat);
	watchdog_init(&plat);
	printk("arx: ready after %lu us\n", uptime_us());
	start_domains();
}

/* Entered at EL1 or EL3: arx cannot work there, so say so and stop. */
NORETURN void boot_wrong_el(unsigned int el, paddr_t dtb);
void boot_wrong_el(unsigned int el, paddr_t dtb)
{
	platform_parse(&plat, (const void *)dtb, DTB_MAX_SIZE);
	console_init(plat.uart.size ? plat.uart.base : EARLY_UART_BASE, &pl011_ops);
	printk("\narx: entered at EL%u, but arx must be started at EL2 "
	       "(on QEMU: -M virt,virtualization=on)\narx: stopping\n", el);
	if (el == 1 && plat.psci == PSCI_HVC)
		psci_system_off_hvc();
	for (;;)
		cpu_wait_for_interrupt();
}
