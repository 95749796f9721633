/*
 * The device tree a domain boots with. It describes the guest physical map
 * of guest_layout.h, which mirrors QEMU's virt board, with the node names
 * and properties QEMU uses there, so a kernel that boots on virt finds the
 * same devices here. Only the domain's description goes in: nothing is
 * copied from the host's tree, so no host address or device leaks.
 */
#include <arx/fdt_write.h>
#include <arx/fmt.h>
#include <arx/guest_dtb.h>
#include <arx/guest_layout.h>
#include <arx/string.h>

#define PHANDLE_GIC 1u
#define PHANDLE_CLK 2u

/* Interrupt specifier fields (the GIC binding's three cells). */
#define IRQ_TYPE_SPI 0u
#define IRQ_TYPE_PPI 1u
#define IRQ_LEVEL_HIGH 4u

#define UART_CLOCK_HZ 24000000u
#define UART_PATH "/pl011@9000000"

/* Strings lists spelled out with their NULs; sizeof keeps the last one. */
static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
static const char uart_compat[] = "arm,pl011\0arm,primecell";
static const char uart_clock_names[] = "uartclk\0apb_pclk";
/* Linux prints what follows "xen,xen-" as the Xen version it found. */
static const char xen_compat[] = "xen,xen-4.17-arx\0xen,xen";

/* A (base, size) pair in the root's two-cell address and size format. */
static void put_range(uint32_t *cells, uint64_t base, uint64_t size)
{
	cells[0] = (uint32_t)(base >> 32);
	cells[1] = (uint32_t)base;
	cells[2] = (uint32_t)(size >> 32);
	cells[3] = (uint32_t)size;
}

static void add_root_props(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	char model[64];

	fmt_snprintf(model, sizeof(model), "arx domain %s", d->name);
	fdt_w_prop_u32(w, "#address-cells", 2);
	fdt_w_prop_u32(w, "#size-cells", 2);
	fdt_w_prop_string(w, "compatible", "linux,dummy-virt");
	fdt_w_prop_string(w, "model", model);
	fdt_w_prop_u32(w, "interrupt-parent", PHANDLE_GIC);
}

/* What Linux seeds KASLR and its random number generator with, as QEMU provides them. */
static void add_seeds(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	uint32_t cells[8];
	bool any = false;

	if (d->kaslr_seed)
		fdt_w_prop_u64(w, "kaslr-seed", d->kaslr_seed);
	for (unsigned int i = 0; i < 4; i++) {
		cells[2 * i] = (uint32_t)(d->rng_seed[i] >> 32);
		cells[2 * i + 1] = (uint32_t)d->rng_seed[i];
		any |= d->rng_seed[i] != 0;
	}
	if (any)
		fdt_w_prop_cells(w, "rng-seed", cells, 8);
}

static void add_chosen(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	fdt_w_begin_node(w, "chosen");
	if (d->cmdline && d->cmdline[0])
		fdt_w_prop_string(w, "bootargs", d->cmdline);
	fdt_w_prop_string(w, "stdout-path", UART_PATH);
	add_seeds(w, d);
	if (d->initrd_start || d->initrd_end) {
		/* Two cells each, as Linux accepts and QEMU writes them. */
		fdt_w_prop_u64(w, "linux,initrd-start", d->initrd_start);
		fdt_w_prop_u64(w, "linux,initrd-end", d->initrd_end);
	}
	fdt_w_end_node(w);
}

static void add_memory(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	char name[32];
	uint32_t reg[4];

	fmt_snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)d->ram_base);
	put_range(reg, d->ram_base, d->ram_size);
	fdt_w_begin_node(w, name);
	fdt_w_prop_string(w, "device_type", "memory");
	fdt_w_prop_cells(w, "reg", reg, 4);
	fdt_w_end_node(w);
}

/* vCPU n's MPIDR has Aff0 = n and every other affinity level 0. */
static void add_cpus(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	char name[16];
	unsigned int i;

	fdt_w_begin_node(w, "cpus");
	fdt_w_prop_u32(w, "#address-cells", 1);
	fdt_w_prop_u32(w, "#size-cells", 0);
	for (i = 0; i < d->nr_vcpus; i++) {
		fmt_snprintf(name, sizeof(name), "cpu@%x", i);
		fdt_w_begin_node(w, name);
		fdt_w_prop_string(w, "device_type", "cpu");
		fdt_w_prop_string(w, "compatible", "arm,armv8");
		fdt_w_prop_u32(w, "reg", i);
		fdt_w_prop_string(w, "enable-method", "psci");
		fdt_w_end_node(w);
	}
	fdt_w_end_node(w);
}

static void add_psci(struct fdt_writer *w)
{
	fdt_w_begin_node(w, "psci");
	fdt_w_prop_strings(w, "compatible", psci_compat, sizeof(psci_compat));
	fdt_w_prop_string(w, "method", "hvc");
	fdt_w_end_node(w);
}

/* GICv2: distributor and CPU interface (backed by the host's GICV). */
static void add_gicv2(struct fdt_writer *w)
{
	uint32_t reg[8];

	put_range(reg, GUEST_GICD_BASE, GUEST_GICD_SIZE);
	put_range(reg + 4, GUEST_GICC_BASE, GUEST_GICC_SIZE);
	fdt_w_prop_string(w, "compatible", "arm,cortex-a15-gic");
	fdt_w_prop_cells(w, "reg", reg, 8);
}

/* GICv3: distributor and one contiguous redistributor region, no ITS. */
static void add_gicv3(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	uint32_t reg[8];

	put_range(reg, GUEST_GICD_BASE, GUEST_GICD_SIZE);
	put_range(reg + 4, GUEST_GICR_BASE, (uint64_t)d->nr_vcpus * GUEST_GICR_STRIDE);
	fdt_w_prop_string(w, "compatible", "arm,gic-v3");
	fdt_w_prop_u32(w, "#redistributor-regions", 1);
	fdt_w_prop_cells(w, "reg", reg, 8);
}

static void add_gic(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	char name[32];

	fmt_snprintf(name, sizeof(name), "intc@%lx", GUEST_GICD_BASE);
	fdt_w_begin_node(w, name);
	if (d->gic_version == 2)
		add_gicv2(w);
	else
		add_gicv3(w, d);
	fdt_w_prop_u32(w, "#interrupt-cells", 3);
	/*
	 * No children and no interrupt-map refers to it, but an interrupt
	 * provider should say how many address cells a map entry would use.
	 */
	fdt_w_prop_u32(w, "#address-cells", 0);
	fdt_w_prop_empty(w, "interrupt-controller");
	fdt_w_prop_u32(w, "phandle", PHANDLE_GIC);
	fdt_w_end_node(w);
}

/*
 * The architected timer's four PPIs in the binding's order: secure
 * physical, non-secure physical, virtual, hypervisor. GICv2 PPIs also name
 * the CPUs they are wired to, in bits 8-15 of the flags cell.
 */
static void add_timer(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	static const uint32_t ppis[4] = { GUEST_TIMER_SEC_PPI, GUEST_TIMER_PHYS_PPI,
					  GUEST_TIMER_VIRT_PPI, GUEST_TIMER_HYP_PPI };
	uint32_t flags = IRQ_LEVEL_HIGH;
	uint32_t irqs[12];
	unsigned int i;

	if (d->gic_version == 2)
		flags |= ((1u << d->nr_vcpus) - 1) << 8;
	for (i = 0; i < 4; i++) {
		irqs[3 * i] = IRQ_TYPE_PPI;
		irqs[3 * i + 1] = ppis[i];
		irqs[3 * i + 2] = flags;
	}
	fdt_w_begin_node(w, "timer");
	fdt_w_prop_string(w, "compatible", "arm,armv8-timer");
	fdt_w_prop_cells(w, "interrupts", irqs, 12);
	fdt_w_prop_empty(w, "always-on");
	if (d->timer_freq)
		fdt_w_prop_u32(w, "clock-frequency", d->timer_freq);
	fdt_w_end_node(w);
}

/* The PMU (vpmu.c): without this node Linux's perf has no hardware events. */
static void add_pmu(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	uint32_t irq[3] = { IRQ_TYPE_PPI, GUEST_PMU_PPI, IRQ_LEVEL_HIGH };

	if (d->gic_version == 2)
		irq[2] |= ((1u << d->nr_vcpus) - 1) << 8;
	fdt_w_begin_node(w, "pmu");
	fdt_w_prop_string(w, "compatible", "arm,armv8-pmuv3");
	fdt_w_prop_cells(w, "interrupts", irq, 3);
	fdt_w_end_node(w);
}

/* The fixed 24 MHz clock Linux's amba-pl011 driver asks for by name. */
static void add_uart_clock(struct fdt_writer *w)
{
	fdt_w_begin_node(w, "apb-pclk");
	fdt_w_prop_string(w, "compatible", "fixed-clock");
	fdt_w_prop_u32(w, "#clock-cells", 0);
	fdt_w_prop_u32(w, "clock-frequency", UART_CLOCK_HZ);
	fdt_w_prop_string(w, "clock-output-names", "clk24mhz");
	fdt_w_prop_u32(w, "phandle", PHANDLE_CLK);
	fdt_w_end_node(w);
}

static void add_uart(struct fdt_writer *w)
{
	static const uint32_t irq[3] = { IRQ_TYPE_SPI, GUEST_UART_SPI, IRQ_LEVEL_HIGH };
	static const uint32_t clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };
	uint32_t reg[4];

	put_range(reg, GUEST_UART_BASE, GUEST_UART_SIZE);
	fdt_w_begin_node(w, UART_PATH + 1);
	fdt_w_prop_strings(w, "compatible", uart_compat, sizeof(uart_compat));
	fdt_w_prop_cells(w, "reg", reg, 4);
	fdt_w_prop_cells(w, "interrupts", irq, 3);
	fdt_w_prop_strings(w, "clock-names", uart_clock_names, sizeof(uart_clock_names));
	fdt_w_prop_cells(w, "clocks", clocks, 2);
	fdt_w_end_node(w);
}

/*
 * The node Linux looks for to run as a Xen guest (Xen's
 * docs/misc/arm/device-tree/guest.txt): the grant-table window and the
 * event-channel upcall PPI.
 */
static void add_hypervisor(struct fdt_writer *w, const struct guest_dt_desc *d)
{
	uint32_t reg[4];
	uint32_t irq[3] = { IRQ_TYPE_PPI, GUEST_EVTCHN_INTID - 16, IRQ_LEVEL_HIGH };

	if (d->gic_version == 2)
		irq[2] |= ((1u << d->nr_vcpus) - 1) << 8;
	put_range(reg, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
	fdt_w_begin_node(w, "hypervisor");
	fdt_w_prop_strings(w, "compatible", xen_compat, sizeof(xen_compat));
	fdt_w_prop_cells(w, "reg", reg, 4);
	fdt_w_prop_cells(w, "interrupts", irq, 3);
	fdt_w_end_node(w);
}

/* Rejects what would make a tree Linux cannot use or the GIC cannot express. */
static bool desc_valid(const struct guest_dt_desc *d)
{
	if (!d->name || d->nr_vcpus < 1 || d->nr_vcpus > GUEST_MAX_VCPUS)
		return false;
	if (d->gic_version != 2 && d->gic_version != 3)
		return false;
	if (d->ram_size == 0 || d->ram_base + d->ram_size < d->ram_base)
		return false;
	return d->initrd_start <= d->initrd_end;
}

long guest_dtb_build(const struct guest_dt_desc *d, void *buf, size_t size)
{
	struct fdt_writer w;

	if (!desc_valid(d))
		return -1;
	fdt_w_init(&w, buf, size);
	fdt_w_begin_node(&w, "");
	add_root_props(&w, d);
	add_chosen(&w, d);
	add_memory(&w, d);
	add_cpus(&w, d);
	add_psci(&w);
	add_gic(&w, d);
	add_timer(&w, d);
	add_pmu(&w, d);
	add_uart_clock(&w);
	add_uart(&w);
	if (d->xen)
		add_hypervisor(&w, d);
	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}
