/*
 * Reads the device tree into `struct board`. Each part is one small
 * function; the console comes first so that any later problem can be said.
 */
#include <arx/fdt.h>
#include <arx/string.h>
#include <testos/board.h>
#include <testos/sysreg.h>

/* The boot protocol caps the device tree at 2 MiB. */
#define DTB_MAX_SIZE (2 * MiB)

/*
 * The virtual timer is the third of the four interrupts of the timer
 * binding, each three cells (type, number, flags) for the GIC.
 */
#define TIMER_PHYS_INDEX 1 /* the non-secure physical timer, after the secure one */
#define TIMER_VIRT_INDEX 2
#define TIMER_PHYS_DEFAULT_INTID 30
#define TIMER_VIRT_DEFAULT_INTID 27
#define DT_IRQ_TYPE_PPI 1
#define PPI_BASE 16

struct board board;

/* The node /chosen/stdout-path names: a path or an alias, options after ':' cut. */
static int stdout_node(const struct fdt *f)
{
	char path[128];
	int len, chosen = fdt_path(f, "/chosen");
	const char *v = chosen >= 0 ? fdt_prop(f, chosen, "stdout-path", &len) : NULL;
	size_t n = 0;

	if (!v || len <= 0)
		return FDT_ERR_NOTFOUND;
	while (n < (size_t)len && n + 1 < sizeof(path) && v[n] && v[n] != ':') {
		path[n] = v[n];
		n++;
	}
	path[n] = '\0';
	if (path[0] != '/') {
		int aliases = fdt_path(f, "/aliases");
		const char *target = aliases >= 0 ? fdt_prop(f, aliases, path, &len) : NULL;

		if (!target || len <= 0 || target[len - 1] != '\0')
			return FDT_ERR_NOTFOUND;
		return fdt_path(f, target);
	}
	return fdt_path(f, path);
}

/* A PL011, or the SBSA generic UART (its subset: DR and FR, all testos uses). */
static bool is_uart(const struct fdt *f, int n)
{
	return fdt_is_compatible(f, n, "arm,pl011") || fdt_is_compatible(f, n, "arm,sbsa-uart");
}

static void find_uart(const struct fdt *f)
{
	static const char *const kinds[] = { "arm,pl011", "arm,sbsa-uart" };
	uint64_t *size = &board.uart_size;
	int n = stdout_node(f);

	if (n >= 0 && is_uart(f, n) && fdt_node_enabled(f, n) &&
	    fdt_reg(f, n, 0, &board.uart, size) == 0)
		return;
	board.uart = 0;
	for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (n = fdt_find_compatible(f, -1, kinds[k]); n >= 0;
		     n = fdt_find_compatible(f, n, kinds[k])) {
			if (fdt_node_enabled(f, n) && fdt_reg(f, n, 0, &board.uart, size) == 0)
				return;
		}
	}
	board.uart = 0;
	*size = 0;
}

static const char *find_memory(const struct fdt *f)
{
	uint64_t base, size;

	board.ram_base = UINT64_MAX;
	board.ram_end = 0;
	for (int n = fdt_find_device_type(f, -1, "memory"); n >= 0;
	     n = fdt_find_device_type(f, n, "memory")) {
		if (!fdt_node_enabled(f, n))
			continue;
		for (int i = 0; fdt_reg(f, n, i, &base, &size) == 0; i++) {
			if (!size || base + size < base)
				continue;
			board.ram_base = MIN(board.ram_base, base);
			board.ram_end = MAX(board.ram_end, base + size);
		}
	}
	return board.ram_end ? NULL : "no memory node in the device tree";
}

static const char *find_gicv3(const struct fdt *f, int n)
{
	uint32_t regions = 1;

	board.gic = GIC_V3;
	fdt_prop_u32(f, n, "#redistributor-regions", &regions);
	if (fdt_reg(f, n, 0, &board.gicd, &board.gicd_size) != 0)
		return "GICv3 node without a distributor in reg";
	board.nr_redist = 0;
	for (uint32_t i = 0; i < regions && i < BOARD_MAX_REDIST_REGIONS; i++) {
		if (fdt_reg(f, n, (int)i + 1, &board.gicr_base[i], &board.gicr_size[i]) != 0)
			break;
		board.nr_redist++;
	}
	return board.nr_redist ? NULL : "GICv3 node without redistributors in reg";
}

static const char *find_gic(const struct fdt *f)
{
	static const char *const v2_compatibles[] = {
		"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic",
	};
	int n = fdt_find_compatible(f, -1, "arm,gic-v3");

	if (n >= 0)
		return find_gicv3(f, n);
	for (size_t i = 0; i < ARRAY_SIZE(v2_compatibles); i++) {
		n = fdt_find_compatible(f, -1, v2_compatibles[i]);
		if (n < 0)
			continue;
		board.gic = GIC_V2;
		if (fdt_reg(f, n, 0, &board.gicd, &board.gicd_size) != 0 ||
		    fdt_reg(f, n, 1, &board.gicc, &board.gicc_size) != 0)
			return "GICv2 node without distributor and CPU interface in reg";
		return NULL;
	}
	return "no GICv2 or GICv3 interrupt controller in the device tree";
}

/* The timer node's index-th interrupt as an INTID, or `fallback`. */
static unsigned int timer_ppi(const struct fdt *f, int n, unsigned int index,
			      unsigned int fallback)
{
	uint32_t type, num;

	if (n >= 0 &&
	    fdt_prop_cell(f, n, "interrupts", index * 3, &type) == 0 &&
	    fdt_prop_cell(f, n, "interrupts", index * 3 + 1, &num) == 0 &&
	    type == DT_IRQ_TYPE_PPI && num < 16)
		return PPI_BASE + num;
	return fallback;
}

static void find_timer(const struct fdt *f)
{
	int n = fdt_find_compatible(f, -1, "arm,armv8-timer");

	if (n < 0)
		n = fdt_find_compatible(f, -1, "arm,armv7-timer");
	board.vtimer_intid = timer_ppi(f, n, TIMER_VIRT_INDEX, TIMER_VIRT_DEFAULT_INTID);
	board.ptimer_intid = timer_ppi(f, n, TIMER_PHYS_INDEX, TIMER_PHYS_DEFAULT_INTID);
}

static void find_psci(const struct fdt *f)
{
	static const char *const compatibles[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	int n = FDT_ERR_NOTFOUND;

	for (size_t i = 0; i < ARRAY_SIZE(compatibles) && n < 0; i++)
		n = fdt_find_compatible(f, -1, compatibles[i]);
	board.psci = PSCI_NONE;
	if (n >= 0 && fdt_prop_is(f, n, "method", "hvc"))
		board.psci = PSCI_HVC;
	else if (n >= 0 && fdt_prop_is(f, n, "method", "smc"))
		board.psci = PSCI_SMC;
}

/* CPU 0 is the one running this; the others follow in device-tree order. */
static const char *find_cpus(const struct fdt *f)
{
	uint64_t self = read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK, mpidr, size;
	bool found_self = false;

	board.mpidr[0] = self;
	board.nr_cpus = 1;
	board.dt_cpus = 0;
	for (int n = fdt_find_device_type(f, -1, "cpu"); n >= 0;
	     n = fdt_find_device_type(f, n, "cpu")) {
		if (!fdt_node_enabled(f, n) || fdt_reg(f, n, 0, &mpidr, &size) != 0)
			continue;
		board.dt_cpus++;
		mpidr &= MPIDR_AFFINITY_MASK;
		if (mpidr == self)
			found_self = true;
		else if (board.nr_cpus < TESTOS_MAX_CPUS)
			board.mpidr[board.nr_cpus++] = mpidr;
	}
	return found_self ? NULL : "the boot CPU's MPIDR is not among the device tree's CPUs";
}

static void find_bootargs(const struct fdt *f)
{
	int len, n = fdt_path(f, "/chosen");
	const char *v = n >= 0 ? fdt_prop(f, n, "bootargs", &len) : NULL;

	board.bootargs = (v && len > 0 && v[len - 1] == '\0') ? v : "";
}

const char *board_init(const void *dtb)
{
	struct fdt *f = &board.fdt;
	uint32_t size = dtb ? fdt_peek_size(dtb) : 0;
	const char *err;

	if (!size || fdt_open(f, dtb, MIN(size, (uint32_t)DTB_MAX_SIZE)) != 0)
		return "no valid device tree at x0";
	board.dtb = (uint64_t)(uintptr_t)dtb;
	board.dtb_size = MIN(size, (uint32_t)DTB_MAX_SIZE);
	find_uart(f);
	board.xen = fdt_find_compatible(f, -1, "xen,xen") >= 0;
	find_timer(f);
	find_psci(f);
	find_bootargs(f);
	if ((err = find_memory(f)) || (err = find_gic(f)) || (err = find_cpus(f)))
		return err;
	if (board.psci == PSCI_NONE)
		return "no PSCI node with method \"hvc\" or \"smc\" in the device tree";
	return NULL;
}
