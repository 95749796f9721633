/*
 * Host tests for hv/lib/fdt.c.
 *
 * Lookups run on DTBs that dtc compiled from the .dts files in tests/unit/data (their
 * directory is argv[1], default build/unit). Hand-built blobs cover what
 * dtc will not emit (NOPs, v16 headers, broken structure). Finally every
 * truncation and thousands of random corruptions are opened and, where
 * they open, walked completely: each blob lives in a malloc'd buffer of
 * exactly its size, so any read past it trips AddressSanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/fdt.h>

#include "blob.h"
#include "check.h"


/* Names of the children of `node`, space-separated, for order checks. */
static const char *child_names(const struct fdt *f, int node)
{
	static char buf[1024];
	size_t used = 0;
	int c;

	buf[0] = '\0';
	for (c = fdt_first_child(f, node); c >= 0; c = fdt_next_sibling(f, c))
		used += snprintf(buf + used, sizeof(buf) - used, "%s%s", used ? " " : "",
				 fdt_name(f, c));
	return buf;
}

static int count_nodes(const struct fdt *f)
{
	int n = 0, node;

	for (node = fdt_root(f); node >= 0; node = fdt_next_node(f, node))
		n++;
	return n;
}

static int count_compatible(const struct fdt *f, const char *compat)
{
	int n = 0, node = -1;

	while ((node = fdt_find_compatible(f, node, compat)) >= 0)
		n++;
	return n;
}

static int count_type(const struct fdt *f, const char *type)
{
	int n = 0, node = -1;

	while ((node = fdt_find_device_type(f, node, type)) >= 0)
		n++;
	return n;
}

/* Checks entry `idx` of a node's reg against the expected pair. */
#define CHECK_REG(f, node, idx, a, s)                                       \
	do {                                                                \
		uint64_t ra_ = 0, rs_ = 0;                                  \
		CHECK_EQ(fdt_reg((f), (node), (idx), &ra_, &rs_), 0);       \
		CHECK_EQ(ra_, (a));                                         \
		CHECK_EQ(rs_, (s));                                         \
	} while (0)

static void test_v2_structure(const struct fdt *f)
{
	int root = fdt_root(f), cpus = fdt_path(f, "/cpus"), cpu1 = fdt_path(f, "/cpus/cpu@1");

	CHECK_EQ(root, 0);
	CHECK_STR(fdt_name(f, root), "");
	CHECK_EQ(fdt_path(f, "/"), root);
	CHECK(cpus > 0 && cpu1 > cpus);
	CHECK_STR(fdt_name(f, cpu1), "cpu@1");
	CHECK_EQ(fdt_path(f, "//cpus///cpu@1/"), cpu1);
	CHECK_EQ(fdt_parent(f, cpu1), cpus);
	CHECK_EQ(fdt_parent(f, cpus), root);
	CHECK_EQ(fdt_parent(f, root), FDT_ERR_NOTFOUND);
	CHECK_STR(child_names(f, root), "chosen memory@40000000 cpus psci intc@8000000 timer "
					 "apb-pclk pl011@9000000 pl031@9010000 virtio_mmio@a000000");
	CHECK_STR(child_names(f, cpus), "cpu@0 cpu@1");
	CHECK_EQ(fdt_first_child(f, cpu1), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_next_sibling(f, cpu1), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_next_sibling(f, root), FDT_ERR_NOTFOUND);
	CHECK_EQ(count_nodes(f), 13);
	CHECK_EQ(fdt_path(f, "/memory"), FDT_ERR_NOTFOUND); /* unit address required */
	CHECK_EQ(fdt_path(f, "/cpus/cpu"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path(f, "/cpus/cpu@2"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path(f, "/chosen/x"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path(f, "chosen"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path(f, NULL), FDT_ERR_NOTFOUND);
}

static void test_v2_chosen_memory(const struct fdt *f)
{
	int chosen = fdt_path(f, "/chosen"), mem;
	uint64_t v64 = 0;
	uint32_t v32 = 0;

	CHECK_EQ(fdt_prop_u64(f, chosen, "linux,initrd-start", &v64), 0);
	CHECK_EQ(v64, 0x48000000);
	CHECK_EQ(fdt_prop_u32(f, chosen, "linux,initrd-end", &v32), 0);
	CHECK_EQ(v32, 0x48200000);
	CHECK(fdt_prop_is(f, chosen, "bootargs", "console=ttyAMA0 earlycon"));
	CHECK(!fdt_prop_is(f, chosen, "bootargs", "console=ttyAMA0"));
	CHECK(fdt_prop_is(f, chosen, "stdout-path", "/pl011@9000000"));
	mem = fdt_find_device_type(f, -1, "memory");
	CHECK_EQ(mem, fdt_path(f, "/memory@40000000"));
	CHECK_REG(f, mem, 0, 0x40000000, 0x20000000);
	CHECK_EQ(fdt_reg(f, mem, 1, &v64, &v64), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_reg(f, mem, -1, &v64, &v64), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_find_device_type(f, mem, "memory"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_reg(f, chosen, 0, &v64, &v64), FDT_ERR_NOTFOUND);
}

static void test_v2_cpus_psci(const struct fdt *f)
{
	int cpu1 = fdt_path(f, "/cpus/cpu@1"), psci = fdt_path(f, "/psci");
	uint32_t v = 0;

	CHECK_REG(f, cpu1, 0, 1, 0); /* #size-cells = 0 */
	CHECK_EQ(count_type(f, "cpu"), 2);
	CHECK_EQ(count_compatible(f, "arm,cortex-a57"), 2);
	CHECK(fdt_prop_is(f, cpu1, "enable-method", "psci"));
	CHECK_EQ(fdt_find_compatible(f, -1, "arm,psci-0.2"), psci);
	CHECK_EQ(fdt_find_compatible(f, -1, "arm,psci"), psci);
	CHECK_EQ(fdt_find_compatible(f, -1, "arm,psci-0"), FDT_ERR_NOTFOUND);
	CHECK(fdt_is_compatible(f, psci, "arm,psci-1.0"));
	CHECK(fdt_prop_is(f, psci, "method", "hvc"));
	CHECK(!fdt_prop_is(f, psci, "method", "hv"));
	CHECK(!fdt_prop_is(f, psci, "method", "hvcx"));
	CHECK_EQ(fdt_prop_u32(f, psci, "cpu_on", &v), 0);
	CHECK_EQ(v, 0xc4000003);
	CHECK_EQ(fdt_prop_u32(f, psci, "method", &v), 0); /* "hvc" + NUL is 4 bytes */
	CHECK_EQ(fdt_prop_u32(f, psci, "compatible", &v), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_prop_u32(f, psci, "nothing", &v), FDT_ERR_NOTFOUND);
}

static void test_v2_devices(const struct fdt *f)
{
	int gic = fdt_find_compatible(f, -1, "arm,cortex-a15-gic");
	int timer = fdt_find_compatible(f, -1, "arm,armv8-timer");
	int uart = fdt_find_compatible(f, -1, "arm,pl011");
	int len = 0;
	uint32_t v = 0;
	uint64_t x;

	CHECK_STR(fdt_name(f, gic), "intc@8000000");
	CHECK_REG(f, gic, 0, 0x08000000, 0x10000);
	CHECK_REG(f, gic, 3, 0x08040000, 0x10000);
	CHECK_EQ(fdt_reg(f, gic, 4, &x, &x), FDT_ERR_NOTFOUND);
	CHECK(fdt_prop(f, gic, "interrupt-controller", &len) != NULL);
	CHECK_EQ(len, 0);
	CHECK(fdt_prop(f, gic, "no-such", &len) == NULL);
	CHECK_EQ(len, FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_find_compatible(f, -1, "arm,gic-v3"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_prop_cell(f, timer, "interrupts", 1, &v), 0);
	CHECK_EQ(v, 13);
	CHECK_EQ(fdt_prop_cell(f, timer, "interrupts", 11, &v), 0);
	CHECK_EQ(v, 0xf04);
	CHECK_EQ(fdt_prop_cell(f, timer, "interrupts", 12, &v), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_prop_cell(f, timer, "interrupts", -1, &v), FDT_ERR_BADVALUE);
	CHECK_EQ(uart, fdt_path(f, "/pl011@9000000"));
	CHECK_REG(f, uart, 0, 0x09000000, 0x1000);
	CHECK(fdt_node_enabled(f, uart));
	CHECK(!fdt_node_enabled(f, fdt_path(f, "/pl031@9010000")));
	CHECK(fdt_node_enabled(f, fdt_path(f, "/virtio_mmio@a000000")));
	CHECK_EQ(count_compatible(f, "arm,primecell"), 2);
	CHECK_EQ(fdt_prop_u32(f, 0, "#address-cells", &v), 0);
	CHECK_EQ(v, 2);
}

/* Handles that are not nodes must give errors, never crashes. */
static void test_bad_handles(const struct fdt *f)
{
	uint64_t a, s;
	int len;

	CHECK(fdt_name(f, 1) == NULL);
	CHECK(fdt_name(f, 8) == NULL); /* the root's first property */
	CHECK_EQ(fdt_first_child(f, 8), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_first_child(f, FDT_ERR_NOTFOUND), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_next_node(f, FDT_ERR_TRUNCATED), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_next_node(f, -1000), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_next_sibling(f, 0x7ffffff0), FDT_ERR_TRUNCATED);
	CHECK(fdt_parent(f, 8) < 0);
	CHECK(fdt_prop(f, -1, "reg", &len) == NULL && len == -1);
	CHECK(fdt_reg(f, 12, 0, &a, &s) < 0);
	CHECK(!fdt_node_enabled(f, -1));
	CHECK(!fdt_is_compatible(f, 3, "arm,pl011"));
}

static void test_virt_v2(void)
{
	struct blob b = load("virt-gicv2.dtb");
	struct fdt f;

	if (!b.data)
		return;
	CHECK_EQ(fdt_open(&f, b.data, b.size), 0);
	CHECK_EQ(fdt_peek_size(b.data), b.size);
	test_v2_structure(&f);
	test_v2_chosen_memory(&f);
	test_v2_cpus_psci(&f);
	test_v2_devices(&f);
	test_bad_handles(&f);
	free(b.data);
}

static void test_v3_memory_cpus(const struct fdt *f)
{
	int chosen = fdt_path(f, "/chosen"), mem = fdt_find_device_type(f, -1, "memory");
	uint64_t v = 0;
	uint32_t v32;

	CHECK_EQ(fdt_prop_u64(f, chosen, "linux,initrd-start", &v), 0);
	CHECK_EQ(v, 0x148000000);
	CHECK_EQ(fdt_prop_u64(f, chosen, "linux,initrd-end", &v), 0);
	CHECK_EQ(v, 0x148200000);
	CHECK_EQ(fdt_prop_u32(f, chosen, "linux,initrd-start", &v32), FDT_ERR_BADVALUE);
	CHECK_REG(f, mem, 0, 0x40000000, 0x40000000);
	mem = fdt_find_device_type(f, mem, "memory");
	CHECK_STR(fdt_name(f, mem), "memory@100000000");
	CHECK_REG(f, mem, 0, 0x100000000, 0x80000000);
	CHECK_EQ(count_type(f, "memory"), 2);
	CHECK_EQ(count_type(f, "cpu"), 4);
	CHECK_STR(child_names(f, fdt_path(f, "/cpus")), "cpu@0 cpu@1 cpu@100 cpu@100000000");
	CHECK_REG(f, fdt_path(f, "/cpus/cpu@100"), 0, 0x100, 0);
	CHECK_REG(f, fdt_path(f, "/cpus/cpu@100000000"), 0, 0x100000000, 0);
	CHECK(fdt_prop_is(f, fdt_path(f, "/psci"), "method", "smc"));
}

static void test_v3_devices(const struct fdt *f)
{
	int gic = fdt_find_compatible(f, -1, "arm,gic-v3");
	int its = fdt_find_compatible(f, -1, "arm,gic-v3-its");
	int uart = fdt_find_compatible(f, -1, "arm,pl011");
	int bus_uart = fdt_find_compatible(f, uart, "arm,pl011");
	int eth = fdt_path(f, "/platform-bus@c000000/ethernet@10000");

	CHECK_STR(fdt_name(f, gic), "intc@8000000");
	CHECK_REG(f, gic, 1, 0x080a0000, 0xf60000);
	CHECK_EQ(fdt_parent(f, its), gic);
	CHECK_REG(f, its, 0, 0x08080000, 0x20000);
	CHECK_EQ(fdt_find_compatible(f, -1, "arm,cortex-a15-gic"), FDT_ERR_NOTFOUND);
	CHECK_STR(fdt_name(f, bus_uart), "serial@20000");
	CHECK_EQ(fdt_find_compatible(f, bus_uart, "arm,pl011"), FDT_ERR_NOTFOUND);
	CHECK(!fdt_node_enabled(f, bus_uart)); /* status = "fail" */
	CHECK_REG(f, bus_uart, 0, 0x20000, 0x1000);
	CHECK(fdt_node_enabled(f, eth)); /* status = "ok" */
	CHECK_REG(f, eth, 0, 0x10000, 0x1000);
	CHECK_EQ(fdt_find_compatible(f, -1, "simple-bus"), fdt_parent(f, eth));
	CHECK_EQ(count_nodes(f), 18);
}

static void test_virt_v3(void)
{
	struct blob b = load("virt-gicv3.dtb");
	struct fdt f;

	if (!b.data)
		return;
	CHECK_EQ(fdt_open(&f, b.data, b.size), 0);
	test_v3_memory_cpus(&f);
	test_v3_devices(&f);
	free(b.data);
}

static void test_odd_names_regs(const struct fdt *f)
{
	uint64_t a, s;

	CHECK(fdt_prop_is(f, fdt_path(f, "/foo"), "tag", "plain"));
	CHECK(fdt_prop_is(f, fdt_path(f, "/foo@1"), "tag", "unit"));
	CHECK(fdt_prop_is(f, fdt_path(f, "/foobar"), "tag", "longer"));
	CHECK_EQ(fdt_path(f, "/fo"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path(f, "/foo@"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path(f, "/foobarx"), FDT_ERR_NOTFOUND);
	CHECK_REG(f, fdt_path(f, "/foo@1"), 0, 1, 0x10);
	CHECK_EQ(fdt_reg(f, fdt_path(f, "/wide/child@0"), 0, &a, &s), FDT_ERR_BADVALUE);
	CHECK_REG(f, fdt_path(f, "/nosize/child@1"), 0, 0x100000002, 0);
	CHECK_REG(f, fdt_path(f, "/nosize/child@1"), 1, 0x300000004, 0);
	CHECK_EQ(fdt_reg(f, fdt_path(f, "/nosize/child@1"), 2, &a, &s), FDT_ERR_NOTFOUND);
	/* No #address-cells/#size-cells in the parent: defaults 2 and 1. */
	CHECK_REG(f, fdt_path(f, "/defaults/child"), 0, 0x1000, 0x2000);
	CHECK_REG(f, fdt_path(f, "/defaults/child"), 1, 0x100000000, 0x10);
	CHECK_EQ(fdt_reg(f, fdt_path(f, "/bad-reg@0"), 0, &a, &s), FDT_ERR_BADVALUE);
}

static void test_odd_values(const struct fdt *f)
{
	int v = fdt_path(f, "/values"), len = -1, deep, n;
	uint32_t x = 0;
	uint64_t y = 0;

	CHECK(fdt_prop(f, v, "empty", &len) != NULL && len == 0);
	CHECK_EQ(fdt_prop_u32(f, v, "empty", &x), FDT_ERR_BADVALUE);
	CHECK(fdt_is_compatible(f, v, "x,first"));
	CHECK(fdt_is_compatible(f, v, "x,last"));
	CHECK(fdt_is_compatible(f, v, ""));
	CHECK(!fdt_is_compatible(f, v, "x"));
	CHECK(!fdt_prop_is(f, v, "raw-compat", "abc")); /* no terminating NUL */
	CHECK(!fdt_prop_is(f, v, "unterminated", "ab"));
	CHECK_EQ(fdt_prop_u64(f, v, "u64", &y), 0);
	CHECK_EQ(y, 0x123456789abcdef0);
	CHECK_EQ(fdt_prop_u32(f, v, "u64", &x), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_prop_u64(f, v, "three", &y), FDT_ERR_BADVALUE);
	CHECK_EQ(fdt_prop_cell(f, v, "three", 2, &x), 0);
	CHECK_EQ(x, 3);
	CHECK_EQ(fdt_prop_cell(f, v, "byte", 0, &x), FDT_ERR_BADVALUE);
	CHECK(fdt_node_enabled(f, v));
	deep = fdt_path(f, "/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10");
	CHECK_EQ(fdt_prop_u32(f, deep, "leaf", &x), 0);
	CHECK_EQ(x, 0xdeadbeef);
	for (n = 0; deep > 0; n++)
		deep = fdt_parent(f, deep);
	CHECK_EQ(n, 10);
}

static void test_odd(void)
{
	struct blob b = load("odd.dtb");
	struct fdt f;

	if (!b.data)
		return;
	CHECK_EQ(fdt_open(&f, b.data, b.size), 0);
	test_odd_names_regs(&f);
	test_odd_values(&f);
	free(b.data);
}

/* ---- hand-built blobs ---- */

struct bld {
	uint8_t st[8192];
	uint32_t slen;
	char strs[512];
	uint32_t strslen;
};

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void b_word(struct bld *b, uint32_t v)
{
	put_be32(b->st + b->slen, v);
	b->slen += 4;
}

static void b_bytes(struct bld *b, const void *p, uint32_t n)
{
	memcpy(b->st + b->slen, p, n);
	memset(b->st + b->slen + n, 0, (4 - n % 4) % 4);
	b->slen += (n + 3) & ~3u;
}

static void b_begin(struct bld *b, const char *name)
{
	b_word(b, 1);
	b_bytes(b, name, strlen(name) + 1);
}

static uint32_t b_string(struct bld *b, const char *s)
{
	uint32_t off = b->strslen;

	memcpy(b->strs + off, s, strlen(s) + 1);
	b->strslen += strlen(s) + 1;
	return off;
}

static void b_prop(struct bld *b, const char *name, const void *val, uint32_t len)
{
	b_word(b, 3);
	b_word(b, len);
	b_word(b, b_string(b, name));
	b_bytes(b, val, len);
}

/* Header (v17 layout, version as given), empty reservation map, blocks. */
static struct blob b_finish(const struct bld *b, uint32_t version)
{
	uint32_t st_off = 40 + 16, str_off = st_off + b->slen, total = str_off + b->strslen;
	struct blob out = { calloc(1, total), total };

	put_be32(out.data + 0, FDT_MAGIC);
	put_be32(out.data + 4, total);
	put_be32(out.data + 8, st_off);
	put_be32(out.data + 12, str_off);
	put_be32(out.data + 16, 40);
	put_be32(out.data + 20, version);
	put_be32(out.data + 24, 16);
	put_be32(out.data + 32, b->strslen);
	put_be32(out.data + 36, version >= 17 ? b->slen : 0);
	memcpy(out.data + st_off, b->st, b->slen);
	memcpy(out.data + str_off, b->strs, b->strslen);
	return out;
}

static int open_blob(struct fdt *f, const struct blob *bl)
{
	return fdt_open(f, bl->data, bl->size);
}

/* NOPs anywhere between tokens are legal and must be skipped. */
static void build_nop_tree(struct bld *b)
{
	uint8_t one[4] = { 0, 0, 0, 1 };

	memset(b, 0, sizeof(*b));
	b_word(b, 4);
	b_begin(b, "");
	b_word(b, 4);
	b_prop(b, "compatible", "a\0bc", 4); /* last entry unterminated */
	b_word(b, 4);
	b_begin(b, "child@1");
	b_word(b, 4);
	b_prop(b, "reg", "\0\0\0\0\0\0\0\x10\0\0\0\x20", 12);
	b_word(b, 2);
	b_word(b, 4);
	b_begin(b, "other");
	b_prop(b, "val", one, 4);
	b_prop(b, "empty", "", 0);
	b_word(b, 2);
	b_word(b, 2);
	b_word(b, 4);
	b_word(b, 9);
}

static void test_nops_and_v16(void)
{
	struct bld b;
	struct fdt f;
	uint32_t v = 0;
	int child, len;

	build_nop_tree(&b);
	for (uint32_t version = 16; version <= 17; version++) {
		struct blob bl = b_finish(&b, version);

		CHECK_EQ(open_blob(&f, &bl), 0);
		CHECK_EQ(fdt_root(&f), 4);
		CHECK(fdt_is_compatible(&f, 4, "a"));
		CHECK(!fdt_is_compatible(&f, 4, "bc"));
		child = fdt_path(&f, "/child@1");
		CHECK_REG(&f, child, 0, 0x10, 0x20);
		CHECK_EQ(fdt_parent(&f, child), 4);
		CHECK_STR(child_names(&f, 4), "child@1 other");
		CHECK_EQ(fdt_prop_u32(&f, fdt_path(&f, "/other"), "val", &v), 0);
		CHECK_EQ(v, 1);
		CHECK(fdt_prop(&f, fdt_path(&f, "/other"), "empty", &len) && len == 0);
		CHECK_EQ(count_nodes(&f), 3);
		free(bl.data);
	}
}

static struct blob nested(int levels)
{
	struct bld b;
	int i;

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	for (i = 1; i < levels; i++)
		b_begin(&b, "n");
	for (i = 0; i < levels; i++)
		b_word(&b, 2);
	b_word(&b, 9);
	return b_finish(&b, 17);
}

static void test_depth(void)
{
	struct blob ok = nested(64), deep = nested(65);
	struct fdt f;
	int node, n = 0;

	CHECK_EQ(open_blob(&f, &ok), 0);
	for (node = fdt_root(&f); fdt_first_child(&f, node) >= 0; node = fdt_first_child(&f, node))
		n++;
	CHECK_EQ(n, 63);
	for (n = 0; node > 0; n++)
		node = fdt_parent(&f, node);
	CHECK_EQ(n, 63);
	CHECK_EQ(open_blob(&f, &deep), FDT_ERR_BADSTRUCTURE);
	free(ok.data);
	free(deep.data);
}

/* Opens what `b` holds and expects error `want`. */
#define CHECK_OPEN(b, want)                                   \
	do {                                                  \
		struct blob bl_ = b_finish((b), 17);          \
		struct fdt f_;                                \
		CHECK_EQ(open_blob(&f_, &bl_), (want));       \
		free(bl_.data);                               \
	} while (0)

static void test_bad_structure(void)
{
	struct bld b;

	memset(&b, 0, sizeof(b));
	b_word(&b, 1);
	b_bytes(&b, "abcd", 4); /* the name runs to the block's end */
	CHECK_OPEN(&b, FDT_ERR_BADSTRUCTURE);

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_word(&b, 3);
	b_word(&b, 0);
	b_word(&b, 100); /* name offset past the strings block */
	b_word(&b, 2);
	b_word(&b, 9);
	CHECK_OPEN(&b, FDT_ERR_TRUNCATED);

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_word(&b, 3);
	b_word(&b, 0xfffffff0); /* value longer than the block */
	b_word(&b, 0);
	b_word(&b, 2);
	b_word(&b, 9);
	memcpy(b.strs, "x", 2);
	b.strslen = 2;
	CHECK_OPEN(&b, FDT_ERR_TRUNCATED);

	b.slen = 0;
	b_begin(&b, "");
	b_word(&b, 3);
	b_word(&b, 0);
	b_word(&b, 0);
	b_word(&b, 2);
	b_word(&b, 9);
	memcpy(b.strs, "abc", 3); /* property name without NUL in its block */
	b.strslen = 3;
	CHECK_OPEN(&b, FDT_ERR_BADSTRUCTURE);
}

static void test_bad_nesting(void)
{
	/* Token words of the structure block; a 0 after a 1 is an empty name. */
	static const struct {
		uint32_t w[6];
		int n, want;
	} cases[] = {
		{ { 1, 0, 7, 2, 9 }, 5, FDT_ERR_BADSTRUCTURE }, /* unknown token */
		{ { 1, 0, 2 }, 3, FDT_ERR_TRUNCATED }, /* no FDT_END: runs off the block */
		{ { 1, 0, 2, 1, 0, 2 }, 6, FDT_ERR_BADSTRUCTURE }, /* two roots */
		{ { 2, 9 }, 2, FDT_ERR_BADSTRUCTURE }, /* END_NODE first */
		{ { 1, 0, 9 }, 3, FDT_ERR_BADSTRUCTURE }, /* END inside the root */
		{ { 1, 0, 2, 2, 9 }, 5, FDT_ERR_BADSTRUCTURE }, /* one END_NODE too many */
		{ { 9 }, 1, FDT_ERR_BADSTRUCTURE }, /* no root at all */
		{ { 0 }, 0, FDT_ERR_TRUNCATED }, /* empty structure block */
	};
	struct bld b;
	size_t i;
	int w;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&b, 0, sizeof(b));
		for (w = 0; w < cases[i].n; w++)
			b_word(&b, cases[i].w[w]);
		CHECK_OPEN(&b, cases[i].want);
	}
}

static void set_hdr(struct blob *bl, uint32_t off, uint32_t v)
{
	put_be32(bl->data + off, v);
}

static void test_bad_headers(void)
{
	struct bld b;
	struct blob bl;
	struct fdt f;

	memset(&b, 0, sizeof(b));
	b_begin(&b, "");
	b_word(&b, 2);
	b_word(&b, 9);
	bl = b_finish(&b, 17);
	CHECK_EQ(open_blob(&f, &bl), 0);
	CHECK_EQ(fdt_open(&f, NULL, 100), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_open(&f, bl.data, 3), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_open(&f, bl.data, 39), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_open(&f, bl.data, bl.size - 1), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_open(&f, bl.data, bl.size + 1000), 0); /* bigger buffer is fine */
	set_hdr(&bl, 20, 15);
	CHECK_EQ(open_blob(&f, &bl), FDT_ERR_BADVERSION);
	set_hdr(&bl, 20, 17);
	set_hdr(&bl, 24, 18);
	CHECK_EQ(open_blob(&f, &bl), FDT_ERR_BADVERSION);
	set_hdr(&bl, 24, 16);
	set_hdr(&bl, 8, 58); /* misaligned structure block */
	CHECK(open_blob(&f, &bl) < 0);
	set_hdr(&bl, 8, 56);
	set_hdr(&bl, 36, 0x1000); /* structure block past totalsize */
	CHECK_EQ(open_blob(&f, &bl), FDT_ERR_TRUNCATED);
	set_hdr(&bl, 36, b.slen);
	set_hdr(&bl, 12, 8); /* strings block overlapping the header */
	CHECK_EQ(open_blob(&f, &bl), FDT_ERR_TRUNCATED);
	set_hdr(&bl, 12, bl.size);
	set_hdr(&bl, 4, 20); /* totalsize smaller than the header */
	CHECK_EQ(open_blob(&f, &bl), FDT_ERR_TRUNCATED);
	CHECK_EQ(fdt_peek_size(bl.data), 20);
	set_hdr(&bl, 0, 0xfeedd00d);
	CHECK_EQ(open_blob(&f, &bl), FDT_ERR_BADMAGIC);
	CHECK_EQ(fdt_peek_size(bl.data), 0);
	free(bl.data);
}

/* ---- fuzzing ---- */

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

struct walk {
	const struct fdt *f;
	const uint8_t *lo, *hi; /* the buffer the blob lives in */
	long steps, limit;
	bool ok;
};

static void expect(struct walk *w, bool cond, const char *what)
{
	if (!cond && w->ok) {
		printf("fuzz: %s\n", what);
		w->ok = false;
	}
}

static bool inside(const struct walk *w, const void *p, size_t len)
{
	const uint8_t *q = p;

	return q >= w->lo && q <= w->hi && len <= (size_t)(w->hi - q);
}

/* A returned handle is an error or lies inside the structure block. */
static void expect_node(struct walk *w, int node)
{
	expect(w, node < 0 || (uint32_t)node < w->f->struct_size, "handle out of range");
	expect(w, node < 0 || fdt_name(w->f, node) != NULL, "handle without name");
}

static const char *const fuzz_props[] = {
	"compatible", "reg", "status", "device_type", "#address-cells", "#size-cells",
	"interrupts", "linux,initrd-start", "bootargs", "no-such-property", "",
};

static void poke_props(struct walk *w, int node)
{
	uint64_t a, s;
	uint32_t c;
	size_t i;
	int len, k;

	for (i = 0; i < sizeof(fuzz_props) / sizeof(fuzz_props[0]); i++) {
		const void *v = fdt_prop(w->f, node, fuzz_props[i], &len);

		expect(w, v ? len >= 0 && inside(w, v, (size_t)len) : len < 0, "bad property");
		fdt_prop_u32(w->f, node, fuzz_props[i], &c);
		fdt_prop_u64(w->f, node, fuzz_props[i], &a);
		fdt_prop_cell(w->f, node, fuzz_props[i], 1, &c);
		fdt_prop_is(w->f, node, fuzz_props[i], "okay");
	}
	for (k = 0; k < 3; k++)
		fdt_reg(w->f, node, k, &a, &s);
	fdt_is_compatible(w->f, node, "arm,pl011");
	fdt_node_enabled(w->f, node);
}

static void poke_node(struct walk *w, int node)
{
	const char *name = fdt_name(w->f, node);

	if (name && inside(w, name, 1))
		expect(w, strnlen(name, (size_t)(w->hi - (const uint8_t *)name)) <
				  (size_t)(w->hi - (const uint8_t *)name),
		       "name not terminated in blob");
	else
		expect(w, !name, "name outside the blob");
	expect_node(w, fdt_parent(w->f, node));
	expect_node(w, fdt_first_child(w->f, node));
	expect_node(w, fdt_next_sibling(w->f, node));
	poke_props(w, node);
}

static bool step(struct walk *w)
{
	if (++w->steps <= w->limit)
		return true;
	expect(w, false, "iteration does not terminate");
	return false;
}

static void walk_children(struct walk *w, int node, int depth)
{
	int c;

	if (depth > 70) {
		expect(w, false, "deeper than the nesting limit");
		return;
	}
	for (c = fdt_first_child(w->f, node); c >= 0 && step(w); c = fdt_next_sibling(w->f, c))
		walk_children(w, c, depth + 1);
}

static void walk_all(struct walk *w)
{
	int node;

	w->steps = 0;
	for (node = fdt_root(w->f); node >= 0 && step(w); node = fdt_next_node(w->f, node))
		poke_node(w, node);
	w->steps = 0;
	node = fdt_root(w->f);
	if (node >= 0)
		walk_children(w, node, 0);
	w->steps = 0;
	for (node = -1; (node = fdt_find_compatible(w->f, node, "arm,pl011")) >= 0 && step(w);)
		;
	w->steps = 0;
	for (node = -1; (node = fdt_find_device_type(w->f, node, "memory")) >= 0 && step(w);)
		;
	expect_node(w, fdt_path(w->f, "/chosen"));
	expect_node(w, fdt_path(w->f, "/cpus/cpu@1"));
	expect_node(w, fdt_path(w->f, "/intc@8000000/its@8080000"));
}

static void mutate(uint8_t *d, size_t n)
{
	static const uint32_t tokens[] = { 1, 2, 3, 4, 9, 0, 0xffffffff, 0x7fffffff };
	int k = 1 + (int)(rnd() % 4);

	while (k--) {
		size_t pos = rnd() % n, wpos = pos & ~(size_t)3;

		switch (rnd() % 5) {
		case 0: d[pos] ^= (uint8_t)(1u << (rnd() % 8)); break;
		case 1: d[pos] = (uint8_t)rnd(); break;
		case 2: if (wpos + 4 <= n) put_be32(d + wpos, tokens[rnd() % 8]); break;
		case 3: if (wpos + 4 <= n) put_be32(d + wpos, (uint32_t)(rnd() % 64)); break;
		default: put_be32(d + 4 * (rnd() % 10), (uint32_t)rnd() % (uint32_t)(n + 64)); break;
		}
	}
}

static void fuzz_truncations(const struct blob *b)
{
	size_t len;
	struct fdt f;
	int bad = 0;

	/* Cut at every length, with the header as is and with totalsize patched to fit. */
	for (len = 0; len < b->size; len++) {
		uint8_t *buf = malloc(len ? len : 1);

		memcpy(buf, b->data, len);
		bad += fdt_open(&f, buf, len) >= 0;
		if (len >= 8) {
			put_be32(buf + 4, (uint32_t)len);
			bad += fdt_open(&f, buf, len) >= 0;
		}
		free(buf);
	}
	CHECKF(bad == 0, "%d truncated blobs opened", bad);
}

static void fuzz_mutations(const struct blob *b, int iters, const char *name)
{
	struct fdt f;
	int i, opened = 0, failed = 0;

	for (i = 0; i < iters; i++) {
		uint8_t *buf = malloc(b->size);
		struct walk w = { &f, buf, buf + b->size, 0, (long)b->size / 4 + 4, true };

		memcpy(buf, b->data, b->size);
		mutate(buf, b->size);
		if (fdt_open(&f, buf, b->size) == 0) {
			opened++;
			walk_all(&w);
			failed += !w.ok;
		}
		free(buf);
	}
	CHECKF(failed == 0, "%s: %d of %d opened mutants misbehaved", name, failed, opened);
	printf("fuzz %s: %d mutants, %d opened and walked\n", name, iters, opened);
}

/* Arbitrary integers as node handles, on an intact blob. */
static void fuzz_handles(const struct blob *b)
{
	struct fdt f;
	struct walk w = { &f, b->data, b->data + b->size, 0, 0, true };
	int i;

	if (fdt_open(&f, b->data, b->size))
		return;
	for (i = 0; i < 3000; i++) {
		int node = (int)(rnd() % (f.struct_size + 64)) - 16;

		poke_node(&w, node);
		expect_node(&w, fdt_next_node(&f, node));
	}
	CHECK(w.ok);
}

static void fuzz(const char *file)
{
	struct blob b = load(file);

	if (!b.data)
		return;
	fuzz_truncations(&b);
	fuzz_mutations(&b, 10000, file);
	fuzz_handles(&b);
	free(b.data);
}

static void fuzz_built(void)
{
	struct bld b;
	struct blob bl;

	build_nop_tree(&b);
	bl = b_finish(&b, 16);
	fuzz_truncations(&bl);
	fuzz_mutations(&bl, 10000, "nop-tree(v16)");
	free(bl.data);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		data_dir = argv[1];
	test_virt_v2();
	test_virt_v3();
	test_odd();
	test_nops_and_v16();
	test_depth();
	test_bad_structure();
	test_bad_nesting();
	test_bad_headers();
	fuzz("virt-gicv2.dtb");
	fuzz("virt-gicv3.dtb");
	fuzz("odd.dtb");
	fuzz_built();
	return check_summary();
}
