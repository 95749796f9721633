/*
 * Host tests for hv/core/guest_dtb.c: for GICv2 and GICv3 with 1, 4 and 8
 * vCPUs the tree is built, read back with hv/lib/fdt.c and checked node by
 * node against guest_layout.h, then written out and given to dtc, which
 * must accept it without a warning. The tree must depend on the domain's
 * description alone: built over differently filled buffers it is the same,
 * and nothing in it names host hardware.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/fdt.h>
#include <arx/guest_dtb.h>
#include <arx/guest_layout.h>

#include "check.h"

static const char *data_dir = "build/unit";

static struct guest_dt_desc make_desc(unsigned int gic, unsigned int vcpus)
{
	struct guest_dt_desc d = {
		.name = "dom1",
		.ram_base = GUEST_RAM_BASE,
		.ram_size = 256ull << 20,
		.nr_vcpus = vcpus,
		.gic_version = gic,
		.cmdline = "console=ttyAMA0 earlycon",
		.initrd_start = 0x48000000,
		.initrd_end = 0x48123456,
		.timer_freq = 0,
	};
	return d;
}

static uint32_t cell(const struct fdt *f, int node, const char *prop, int idx)
{
	uint32_t v = 0xdeadbeef;

	CHECKF(fdt_prop_cell(f, node, prop, idx, &v) == 0, "%s[%d] missing", prop, idx);
	return v;
}

static int prop_len(const struct fdt *f, int node, const char *prop)
{
	int len;

	return fdt_prop(f, node, prop, &len) ? len : -1;
}

/* True when the property is exactly this string list (len bytes, NULs included). */
static bool prop_is_list(const struct fdt *f, int node, const char *prop, const char *list,
			 size_t len)
{
	int n;
	const void *v = fdt_prop(f, node, prop, &n);

	return v && (size_t)n == len && memcmp(v, list, len) == 0;
}

static void check_root(const struct fdt *f)
{
	int root = fdt_root(f), gic = fdt_path(f, "/intc@8000000");

	CHECK_EQ(cell(f, root, "#address-cells", 0), 2);
	CHECK_EQ(cell(f, root, "#size-cells", 0), 2);
	CHECK(fdt_prop_is(f, root, "compatible", "linux,dummy-virt"));
	CHECK(fdt_prop_is(f, root, "model", "arx domain dom1"));
	CHECK(gic > 0);
	CHECK_EQ(cell(f, root, "interrupt-parent", 0), cell(f, gic, "phandle", 0));
}

static void check_memory_and_chosen(const struct fdt *f, const struct guest_dt_desc *d)
{
	int mem = fdt_path(f, "/memory@40000000"), chosen = fdt_path(f, "/chosen");
	uint64_t base = 0, size = 0, v = 0;

	CHECK(mem > 0);
	CHECK(fdt_prop_is(f, mem, "device_type", "memory"));
	CHECK(fdt_reg(f, mem, 0, &base, &size) == 0);
	CHECK_EQ(base, d->ram_base);
	CHECK_EQ(size, d->ram_size);
	CHECK(fdt_reg(f, mem, 1, &base, &size) != 0);
	CHECK(chosen > 0);
	CHECK(fdt_prop_is(f, chosen, "stdout-path", "/pl011@9000000"));
	CHECK(fdt_path(f, "/pl011@9000000") > 0);
	if (d->cmdline && d->cmdline[0])
		CHECK(fdt_prop_is(f, chosen, "bootargs", d->cmdline));
	else
		CHECK_EQ(prop_len(f, chosen, "bootargs"), -1);
	if (d->initrd_start || d->initrd_end) {
		CHECK_EQ(prop_len(f, chosen, "linux,initrd-start"), 8);
		CHECK_EQ(prop_len(f, chosen, "linux,initrd-end"), 8);
		CHECK(fdt_prop_u64(f, chosen, "linux,initrd-start", &v) == 0 &&
		      v == d->initrd_start);
		CHECK(fdt_prop_u64(f, chosen, "linux,initrd-end", &v) == 0 && v == d->initrd_end);
	} else {
		CHECK_EQ(prop_len(f, chosen, "linux,initrd-start"), -1);
		CHECK_EQ(prop_len(f, chosen, "linux,initrd-end"), -1);
	}
}

static void check_cpus(const struct fdt *f, const struct guest_dt_desc *d)
{
	int cpus = fdt_path(f, "/cpus"), cpu, psci = fdt_path(f, "/psci");
	unsigned int n = 0;
	char path[32];

	CHECK_EQ(cell(f, cpus, "#address-cells", 0), 1);
	CHECK_EQ(cell(f, cpus, "#size-cells", 0), 0);
	for (cpu = fdt_first_child(f, cpus); cpu >= 0; cpu = fdt_next_sibling(f, cpu)) {
		snprintf(path, sizeof(path), "cpu@%x", n);
		CHECK_STR(fdt_name(f, cpu), path);
		CHECK(fdt_prop_is(f, cpu, "device_type", "cpu"));
		CHECK(fdt_prop_is(f, cpu, "compatible", "arm,armv8"));
		CHECK(fdt_prop_is(f, cpu, "enable-method", "psci"));
		CHECK_EQ(prop_len(f, cpu, "reg"), 4);
		CHECK_EQ(cell(f, cpu, "reg", 0), n); /* MPIDR Aff0 */
		n++;
	}
	CHECK_EQ(n, d->nr_vcpus);
	CHECK(fdt_is_compatible(f, psci, "arm,psci-1.0"));
	CHECK(fdt_is_compatible(f, psci, "arm,psci-0.2"));
	CHECK(prop_is_list(f, psci, "compatible", "arm,psci-1.0\0arm,psci-0.2",
			   sizeof("arm,psci-1.0\0arm,psci-0.2")));
	CHECK(fdt_prop_is(f, psci, "method", "hvc"));
}

static void check_reg(const struct fdt *f, int node, int idx, uint64_t base, uint64_t size)
{
	uint64_t b = 0, s = 0;

	CHECKF(fdt_reg(f, node, idx, &b, &s) == 0 && b == base && s == size,
	       "reg[%d] = (%#llx, %#llx), want (%#llx, %#llx)", idx, (unsigned long long)b,
	       (unsigned long long)s, (unsigned long long)base, (unsigned long long)size);
}

static void check_gic(const struct fdt *f, const struct guest_dt_desc *d)
{
	int gic = fdt_path(f, "/intc@8000000");

	CHECK(gic > 0);
	CHECK_EQ(cell(f, gic, "#interrupt-cells", 0), 3);
	CHECK_EQ(prop_len(f, gic, "interrupt-controller"), 0);
	CHECK_EQ(cell(f, gic, "#address-cells", 0), 0);
	CHECK_EQ(prop_len(f, gic, "reg"), 32);
	check_reg(f, gic, 0, GUEST_GICD_BASE, GUEST_GICD_SIZE);
	if (d->gic_version == 2) {
		CHECK(fdt_prop_is(f, gic, "compatible", "arm,cortex-a15-gic"));
		check_reg(f, gic, 1, GUEST_GICC_BASE, GUEST_GICC_SIZE);
		CHECK_EQ(prop_len(f, gic, "#redistributor-regions"), -1);
	} else {
		CHECK(fdt_prop_is(f, gic, "compatible", "arm,gic-v3"));
		check_reg(f, gic, 1, GUEST_GICR_BASE, d->nr_vcpus * GUEST_GICR_STRIDE);
		CHECK_EQ(cell(f, gic, "#redistributor-regions", 0), 1);
	}
	/* No ITS (nor any other child). */
	CHECK(fdt_first_child(f, gic) < 0);
	CHECK(fdt_find_compatible(f, -1, "arm,gic-v3-its") < 0);
}

static void check_timer(const struct fdt *f, const struct guest_dt_desc *d)
{
	static const uint32_t ppis[4] = { 13, 14, 11, 10 };
	int timer = fdt_path(f, "/timer"), i;
	uint32_t flags = 4;

	if (d->gic_version == 2)
		flags |= ((1u << d->nr_vcpus) - 1) << 8;
	CHECK(fdt_prop_is(f, timer, "compatible", "arm,armv8-timer"));
	CHECK_EQ(prop_len(f, timer, "interrupts"), 48);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(cell(f, timer, "interrupts", 3 * i), 1); /* PPI */
		CHECK_EQ(cell(f, timer, "interrupts", 3 * i + 1), ppis[i]);
		CHECK_EQ(cell(f, timer, "interrupts", 3 * i + 2), flags);
	}
	CHECK_EQ(prop_len(f, timer, "always-on"), 0);
	if (d->timer_freq)
		CHECK_EQ(cell(f, timer, "clock-frequency", 0), d->timer_freq);
	else
		CHECK_EQ(prop_len(f, timer, "clock-frequency"), -1);
}

static void check_pmu(const struct fdt *f, const struct guest_dt_desc *d)
{
	int pmu = fdt_path(f, "/pmu");
	uint32_t flags = 4;

	if (d->gic_version == 2)
		flags |= ((1u << d->nr_vcpus) - 1) << 8;
	CHECK(fdt_prop_is(f, pmu, "compatible", "arm,armv8-pmuv3"));
	CHECK_EQ(prop_len(f, pmu, "interrupts"), 12);
	CHECK_EQ(cell(f, pmu, "interrupts", 0), 1); /* PPI */
	CHECK_EQ(cell(f, pmu, "interrupts", 1), 7); /* INTID 23 */
	CHECK_EQ(cell(f, pmu, "interrupts", 2), flags);
}

static void check_uart(const struct fdt *f)
{
	int uart = fdt_path(f, "/pl011@9000000"), clk = fdt_path(f, "/apb-pclk");
	uint32_t phandle = cell(f, clk, "phandle", 0);

	CHECK(prop_is_list(f, uart, "compatible", "arm,pl011\0arm,primecell",
			   sizeof("arm,pl011\0arm,primecell")));
	check_reg(f, uart, 0, GUEST_UART_BASE, GUEST_UART_SIZE);
	CHECK_EQ(prop_len(f, uart, "interrupts"), 12);
	CHECK_EQ(cell(f, uart, "interrupts", 0), 0); /* SPI */
	CHECK_EQ(cell(f, uart, "interrupts", 1), GUEST_UART_SPI);
	CHECK_EQ(cell(f, uart, "interrupts", 2), 4);
	CHECK(prop_is_list(f, uart, "clock-names", "uartclk\0apb_pclk",
			   sizeof("uartclk\0apb_pclk")));
	CHECK_EQ(prop_len(f, uart, "clocks"), 8);
	CHECK_EQ(cell(f, uart, "clocks", 0), phandle);
	CHECK_EQ(cell(f, uart, "clocks", 1), phandle);
	CHECK(phandle != cell(f, fdt_path(f, "/intc@8000000"), "phandle", 0));
	CHECK(fdt_prop_is(f, clk, "compatible", "fixed-clock"));
	CHECK_EQ(cell(f, clk, "#clock-cells", 0), 0);
	CHECK_EQ(cell(f, clk, "clock-frequency", 0), 24000000);
	CHECK(fdt_prop_is(f, clk, "clock-output-names", "clk24mhz"));
}

/* Writes the tree out and runs dtc on it: it must accept it without a warning. */
static void check_dtc(const uint8_t *blob, long size, const char *name)
{
	char path[512], cmd[1700], msg[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(fwrite(blob, 1, (size_t)size, f), size);
	fclose(f);
	/* Xen's binding names the node exactly "hypervisor", with reg but no unit address. */
	snprintf(cmd, sizeof(cmd), "dtc -W no-unit_address_vs_reg -I dtb -O dts -o %s.dts %s 2>%s.err",
		 path, path, path);
	CHECKF(system(cmd) == 0, "dtc rejects %s", path);
	snprintf(path, sizeof(path), "%s/%s.err", data_dir, name);
	f = fopen(path, "r");
	n = f ? fread(msg, 1, sizeof(msg) - 1, f) : 0;
	msg[n] = '\0';
	if (f)
		fclose(f);
	CHECKF(n == 0, "dtc warns about %s:\n%.900s", name, msg);
}

/* Only these compatible strings may appear: nothing of the host's board. */
static const char *const allowed_compat[] = {
	"linux,dummy-virt", "arm,armv8",	  "arm,psci-1.0", "arm,psci-0.2",
	"arm,cortex-a15-gic", "arm,gic-v3", "arm,armv8-timer", "arm,armv8-pmuv3", "fixed-clock",
	"arm,pl011",	      "arm,primecell",
	"xen,xen-4.17-arx",   "xen,xen", /* arx's own hypervisor node, when xen = 1 */
};

static bool compat_allowed(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(allowed_compat) / sizeof(allowed_compat[0]); i++) {
		if (strcmp(s, allowed_compat[i]) == 0)
			return true;
	}
	return false;
}

static void check_no_host_values(const struct fdt *f, const uint8_t *blob, long size)
{
	/* Things of the host's tree that must not leak (the allow-list covers compatibles). */
	static const char *const banned[] = { "smc",  "cortex-a57", "cortex-a72", "gic-v3-its",
					      "qemu", "virtio",	    "flash" };
	int node, len, i;

	for (node = fdt_root(f); node >= 0; node = fdt_next_node(f, node)) {
		const char *c = fdt_prop(f, node, "compatible", &len);
		int off = 0;

		while (c && off < len) {
			CHECKF(compat_allowed(c + off), "compatible \"%s\" in %s", c + off,
			       fdt_name(f, node));
			off += (int)strlen(c + off) + 1;
		}
	}
	for (i = 0; i < (int)(sizeof(banned) / sizeof(banned[0])); i++)
		CHECKF(memmem(blob, (size_t)size, banned[i], strlen(banned[i])) == NULL,
		       "\"%s\" appears in the guest tree", banned[i]);
}

/*
 * Builds over two differently filled buffers: the same bytes, so no
 * uninitialised memory ends up in the tree.
 */
static long build_twice(const struct guest_dt_desc *d, uint8_t *out, size_t size)
{
	uint8_t *other = malloc(size);
	long a, b;

	memset(out, 0x00, size);
	memset(other, 0xff, size);
	a = guest_dtb_build(d, out, size);
	b = guest_dtb_build(d, other, size);
	CHECK_EQ(a, b);
	CHECK(a > 0 && memcmp(out, other, (size_t)a) == 0);
	free(other);
	return a;
}

/* The Xen hypervisor node, only when asked for; the seeds, only when given. */
static void check_xen_and_seeds(const struct fdt *f, const struct guest_dt_desc *d)
{
	int hyp = fdt_path(f, "/hypervisor"), chosen = fdt_path(f, "/chosen");
	uint64_t base, size, v;
	const uint8_t *seed;
	int len;

	if (!d->xen) {
		CHECK(hyp < 0);
	} else {
		const char *compat = fdt_prop(f, hyp, "compatible", &len);
		CHECK(compat && len == sizeof("xen,xen-4.17-arx\0xen,xen") &&
		      memcmp(compat, "xen,xen-4.17-arx\0xen,xen", (size_t)len) == 0);
		CHECK(fdt_reg(f, hyp, 0, &base, &size) == 0 && base == GUEST_GNTTAB_BASE &&
		      size == GUEST_GNTTAB_SIZE);
		CHECK_EQ(cell(f, hyp, "interrupts", 0), 1); /* a PPI */
		CHECK_EQ(cell(f, hyp, "interrupts", 1), GUEST_EVTCHN_INTID - 16);
	}
	if (!d->kaslr_seed)
		CHECK_EQ(prop_len(f, chosen, "kaslr-seed"), -1);
	else
		CHECK(fdt_prop_u64(f, chosen, "kaslr-seed", &v) == 0 && v == d->kaslr_seed);
	seed = fdt_prop(f, chosen, "rng-seed", &len);
	if (!d->rng_seed[0]) {
		CHECK(seed == NULL);
		return;
	}
	CHECK_EQ(len, 32);
	for (int i = 0; seed && len == 32 && i < 32; i++) /* big-endian cells, as written */
		CHECK_EQ(seed[i], (uint8_t)(d->rng_seed[i / 8] >> (8 * (7 - i % 8))));
}

static void check_tree(const struct guest_dt_desc *d, const char *file)
{
	static uint8_t blob[16384];
	long size = build_twice(d, blob, sizeof(blob));
	struct fdt f;

	CHECKF(size > 0, "%s: build failed", file);
	if (size <= 0)
		return;
	CHECK_EQ(fdt_open(&f, blob, (size_t)size), 0);
	check_root(&f);
	check_memory_and_chosen(&f, d);
	check_cpus(&f, d);
	check_gic(&f, d);
	check_timer(&f, d);
	check_pmu(&f, d);
	check_uart(&f);
	check_xen_and_seeds(&f, d);
	check_no_host_values(&f, blob, size);
	check_dtc(blob, size, file);
	printf("%s: GICv%u, %u vCPUs: %ld bytes\n", file, d->gic_version, d->nr_vcpus, size);
}

static void test_variants(void)
{
	static const unsigned int vcpus[] = { 1, 4, 8 };
	struct guest_dt_desc d;
	char file[64];
	unsigned int gic, i;

	for (gic = 2; gic <= 3; gic++) {
		for (i = 0; i < 3; i++) {
			d = make_desc(gic, vcpus[i]);
			if (i == 1) {
				d.xen = true;
				d.kaslr_seed = 0x0123456789abcdefULL;
				d.rng_seed[0] = 0xfedcba9876543210ULL;
				d.rng_seed[3] = 42;
				d.timer_freq = 62500000;
				d.ram_size = 1ull << 32; /* > 4 GiB: size needs both cells */
			}
			snprintf(file, sizeof(file), "guest-v%u-%u.dtb", gic, vcpus[i]);
			check_tree(&d, file);
		}
	}
	/* No command line, no initrd. */
	d = make_desc(3, 2);
	d.cmdline = NULL;
	d.initrd_start = d.initrd_end = 0;
	check_tree(&d, "guest-bare.dtb");
	d.cmdline = "";
	check_tree(&d, "guest-bare2.dtb");
}

/* Every buffer too small is refused without writing past it (exact mallocs). */
static void test_small_buffers(void)
{
	struct guest_dt_desc d = make_desc(3, 4);
	static uint8_t ref[16384];
	long full = guest_dtb_build(&d, ref, sizeof(ref));
	size_t size, refused = 0;

	for (size = 0; size <= (size_t)full; size++) {
		uint8_t *buf = malloc(size ? size : 1);
		long r = guest_dtb_build(&d, buf, size);

		if (size < (size_t)full)
			refused += r == -1;
		else
			CHECK(r == full && memcmp(buf, ref, (size_t)full) == 0);
		free(buf);
	}
	CHECK_EQ(refused, full);
}

static void test_invalid(void)
{
	static uint8_t buf[16384];
	struct guest_dt_desc d;

	d = make_desc(3, 0);
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(3, GUEST_MAX_VCPUS + 1);
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(2, GUEST_MAX_VCPUS + 1);
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(4, 1);
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(1, 1);
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(3, 1);
	d.ram_size = 0;
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(3, 1);
	d.ram_base = ~0ull - 4096;
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(3, 1);
	d.initrd_end = d.initrd_start - 1;
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	d = make_desc(3, 1);
	d.name = NULL;
	CHECK_EQ(guest_dtb_build(&d, buf, sizeof(buf)), -1);
	/* A long name is cut in the model string, never overflowing it. */
	d = make_desc(3, 1);
	d.name = "a-very-long-domain-name-that-goes-on-and-on-and-on-and-on-and-on";
	CHECK(guest_dtb_build(&d, buf, sizeof(buf)) > 0);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		data_dir = argv[1];
	test_variants();
	test_small_buffers();
	test_invalid();
	return check_summary();
}
