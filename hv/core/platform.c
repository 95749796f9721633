/*
 * Reads the host device tree into struct platform. The DTB comes from the
 * boot loader, not from a guest, but is still treated as untrusted input:
 * every lookup goes through the bounds-checked FDT reader and every value
 * is range-checked before arx relies on it.
 */
#include <arx/cmdline.h>
#include <arx/fdt.h>
#include <arx/fmt.h>
#include <arx/platform.h>
#include <arx/string.h>

static char err_buf[160];

static const char *fail(const char *fmt, const char *arg)
{
	fmt_snprintf(err_buf, sizeof(err_buf), fmt, arg);
	return err_buf;
}

static void read_memory(struct platform *p, const struct fdt *f)
{
	for (int n = fdt_find_device_type(f, -1, "memory"); n >= 0;
	     n = fdt_find_device_type(f, n, "memory")) {
		if (!fdt_node_enabled(f, n))
			continue;
		uint64_t base, size;
		for (int i = 0; fdt_reg(f, n, i, &base, &size) == 0; i++) {
			if (size == 0 || base + size < base || p->nr_ram == PLATFORM_MAX_RAM)
				continue;
			p->ram[p->nr_ram++] = (struct mem_range){ base, size };
		}
	}
}

static void read_cpus(struct platform *p, const struct fdt *f)
{
	for (int n = fdt_find_device_type(f, -1, "cpu"); n >= 0;
	     n = fdt_find_device_type(f, n, "cpu")) {
		uint64_t mpidr, unused;
		if (!fdt_node_enabled(f, n) || fdt_reg(f, n, 0, &mpidr, &unused) != 0)
			continue;
		if (p->nr_cpus == NR_CPUS) {
			p->cpus_ignored++;
			continue;
		}
		p->cpu_mpidr[p->nr_cpus++] = mpidr;
	}
}

static void read_psci(struct platform *p, const struct fdt *f)
{
	int n = fdt_find_compatible(f, -1, "arm,psci-1.0");
	if (n < 0)
		n = fdt_find_compatible(f, -1, "arm,psci-0.2");
	if (n < 0)
		n = fdt_find_compatible(f, -1, "arm,psci");
	p->psci = PSCI_NONE;
	if (n < 0)
		return;
	if (fdt_prop_is(f, n, "method", "smc"))
		p->psci = PSCI_SMC;
	else if (fdt_prop_is(f, n, "method", "hvc"))
		p->psci = PSCI_HVC;
}

static int read_range(const struct fdt *f, int node, int idx, struct mem_range *r)
{
	return fdt_reg(f, node, idx, &r->base, &r->size);
}

/* The first PPI in "interrupts" (3 cells: type, number, flags) as an INTID. */
static unsigned int ppi_at(const struct fdt *f, int node, int idx)
{
	uint32_t type, num;
	if (fdt_prop_cell(f, node, "interrupts", idx * 3, &type) != 0 ||
	    fdt_prop_cell(f, node, "interrupts", idx * 3 + 1, &num) != 0)
		return 0;
	if (type != 1 || num >= 16)
		return 0;
	return num + 16;
}

static const char *read_gicv2(struct gic_desc *g, const struct fdt *f, int n)
{
	g->version = 2;
	if (read_range(f, n, 0, &g->dist) || read_range(f, n, 1, &g->cpu))
		return "GICv2 node has no distributor or CPU interface in its reg";
	if (read_range(f, n, 2, &g->hyp) || read_range(f, n, 3, &g->vcpu))
		return "GICv2 without virtualization extensions (no GICH/GICV in its reg)";
	return NULL;
}

static const char *read_gicv3(struct gic_desc *g, const struct fdt *f, int n)
{
	uint32_t nr_redist = 1;
	g->version = 3;
	if (read_range(f, n, 0, &g->dist))
		return "GICv3 node has no distributor in its reg";
	fdt_prop_u32(f, n, "#redistributor-regions", &nr_redist);
	if (nr_redist == 0 || nr_redist > PLATFORM_MAX_GICR)
		return "GICv3 node has an unsupported number of redistributor regions";
	for (uint32_t i = 0; i < nr_redist; i++)
		if (read_range(f, n, 1 + (int)i, &g->redist[i]))
			return "GICv3 node lacks a redistributor region in its reg";
	g->nr_redist = nr_redist;
	return NULL;
}

static const char *read_gic(struct platform *p, const struct fdt *f)
{
	static const char *const v2[] = { "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic" };
	const char *err = NULL;
	int n = fdt_find_compatible(f, -1, "arm,gic-v3");
	if (n >= 0)
		err = read_gicv3(&p->gic, f, n);
	for (unsigned int i = 0; n < 0 && i < ARRAY_SIZE(v2); i++) {
		n = fdt_find_compatible(f, -1, v2[i]);
		if (n >= 0)
			err = read_gicv2(&p->gic, f, n);
	}
	if (n < 0)
		return NULL;
	if (!err) {
		p->gic.maint_irq = ppi_at(f, n, 0);
		if (p->gic.maint_irq == 0)
			return "the GIC node has no maintenance interrupt (a PPI)";
	}
	return err;
}

/* Names an interrupt controller arx does not drive, so the message can say which. */
static const char *unknown_gic(const struct fdt *f)
{
	for (int n = fdt_first_child(f, fdt_root(f)); n >= 0; n = fdt_next_sibling(f, n)) {
		int len;
		const char *compat = fdt_prop(f, n, "compatible", &len);
		if (fdt_prop(f, n, "interrupt-controller", &len) && compat)
			return compat;
	}
	return NULL;
}

static void read_timer(struct platform *p, const struct fdt *f)
{
	int n = fdt_find_compatible(f, -1, "arm,armv8-timer");
	if (n < 0)
		return;
	p->timer_phys_irq = ppi_at(f, n, 1);
	p->timer_virt_irq = ppi_at(f, n, 2);
	p->timer_hyp_irq = ppi_at(f, n, 3);
	fdt_prop_u32(f, n, "clock-frequency", &p->timer_freq);
}

static void read_uart(struct platform *p, const struct fdt *f)
{
	for (int n = fdt_find_compatible(f, -1, "arm,pl011"); n >= 0;
	     n = fdt_find_compatible(f, n, "arm,pl011")) {
		uint32_t type, num;
		if (!fdt_node_enabled(f, n) || read_range(f, n, 0, &p->uart) || !p->uart.size)
			continue;
		if (fdt_prop_cell(f, n, "interrupts", 0, &type) == 0 &&
		    fdt_prop_cell(f, n, "interrupts", 1, &num) == 0 && type == 0 && num < 988)
			p->uart_irq = num + 32;
		return;
	}
	p->uart = (struct mem_range){ 0, 0 };
}

static void read_chosen(struct platform *p, const struct fdt *f)
{
	int n = fdt_path(f, "/chosen");
	int len;
	uint64_t start, end;
	p->bootargs = "";
	if (n < 0)
		return;
	const char *args = fdt_prop(f, n, "bootargs", &len);
	if (args && len > 0 && args[len - 1] == '\0')
		p->bootargs = args;
	const uint8_t *seed = fdt_prop(f, n, "rng-seed", &len);
	if (!seed || len < 16)
		seed = fdt_prop(f, n, "kaslr-seed", &len);
	if (seed && len > 0) {
		p->rng_seed = seed;
		p->rng_seed_len = (uint32_t)len;
	}
	if (fdt_prop_u64(f, n, "linux,initrd-start", &start) == 0 &&
	    fdt_prop_u64(f, n, "linux,initrd-end", &end) == 0 && end > start) {
		p->initrd_start = start;
		p->initrd_end = end;
	}
}

/* Checks in the order that makes the first message the most useful. */
static const char *check(const struct platform *p, const struct fdt *f)
{
	if (p->uart.size == 0)
		return "no PL011 UART (compatible \"arm,pl011\") in the device tree";
	if (p->nr_ram == 0)
		return "no usable memory node (device_type \"memory\") in the device tree";
	if (p->gic.version == 0) {
		const char *other = unknown_gic(f);
		if (other)
			return fail("unsupported interrupt controller \"%s\" (arx drives GICv2 and GICv3)",
				    other);
		return "no interrupt controller (GICv2 or GICv3) in the device tree";
	}
	if (p->nr_cpus == 0)
		return "no CPU nodes (device_type \"cpu\") in the device tree";
	if (p->timer_hyp_irq == 0)
		return "no arm,armv8-timer node with an EL2 timer PPI in the device tree";
	if (p->psci != PSCI_SMC)
		return "no PSCI node with method \"smc\" (arx runs at EL2 and needs SMC for PSCI)";
	return NULL;
}

const char *platform_parse(struct platform *p, const void *dtb, size_t max_size)
{
	struct fdt f;
	memset(p, 0, sizeof(*p));
	int err = fdt_open(&f, dtb, max_size);
	if (err)
		return fail("no valid device tree at the address in x0 (error %s)",
			    err == FDT_ERR_BADMAGIC ? "bad magic" : "corrupt header");
	p->dtb = dtb;
	p->dtb_size = f.total_size;
	read_memory(p, &f);
	read_cpus(p, &f);
	read_psci(p, &f);
	read_uart(p, &f);
	read_timer(p, &f);
	read_chosen(p, &f);
	const char *gic_err = read_gic(p, &f);
	if (gic_err)
		return gic_err;
	return check(p, &f);
}

const char *platform_option(const struct platform *p, const char *name, char *buf, size_t len)
{
	size_t nlen = strlen(name), wlen;
	const char *pos = p->bootargs, *w;
	while ((w = cmdline_next_word(&pos, &wlen))) {
		if (!cmdline_is(w, wlen, name, '='))
			continue;
		size_t vlen = wlen > nlen ? wlen - nlen - 1 : 0;
		if (len == 0 || vlen >= len)
			return NULL;
		memcpy(buf, w + wlen - vlen, vlen);
		buf[vlen] = '\0';
		return buf;
	}
	return NULL;
}
