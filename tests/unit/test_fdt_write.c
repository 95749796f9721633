/*
 * Host tests for hv/lib/fdt_write.c: trees written by it are read back
 * with hv/lib/fdt.c and handed to dtc, which must accept them; the header
 * and blocks are checked byte by byte; property names are stored once;
 * every too-small buffer is reported (each one malloc'd at exactly its
 * size, so a write past it trips ASan); misuse makes finish fail.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/fdt.h>
#include <arx/fdt_write.h>

#include "check.h"

static const char *data_dir = "build/unit";

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A small tree using every kind of property call. */
static long build_sample(void *buf, size_t size)
{
	static const uint32_t cells[] = { 0x0, 0x9000000, 0x0, 0x1000 };
	static const char compat[] = "vendor,dev-2\0vendor,dev";
	static const uint8_t bytes[] = { 0xde, 0xad, 0xbe };
	struct fdt_writer w;

	fdt_w_init(&w, buf, size);
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_prop_string(&w, "compatible", "test,board");
	fdt_w_begin_node(&w, "chosen");
	fdt_w_prop_string(&w, "bootargs", "console=ttyAMA0 root=/dev/vda");
	fdt_w_prop_u64(&w, "linux,initrd-start", 0x148000000ull);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "bus@0");
	fdt_w_prop_strings(&w, "compatible", compat, sizeof(compat));
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_prop_u32(&w, "address-cells", 7); /* shares "#address-cells"'s tail */
	fdt_w_prop_cells(&w, "reg", cells, 4);
	fdt_w_prop_empty(&w, "ranges");
	fdt_w_begin_node(&w, "dev@9000000");
	fdt_w_prop_cells(&w, "reg", cells, 4);
	fdt_w_prop(&w, "blob", bytes, sizeof(bytes));
	fdt_w_prop_empty(&w, "x");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "empty");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}

static void check_header(const uint8_t *b, long size)
{
	static const uint8_t zeros[16];
	uint32_t off_struct = be32(b + 8), off_strings = be32(b + 12);
	uint32_t size_strings = be32(b + 32), size_struct = be32(b + 36);

	CHECK_EQ(be32(b), 0xd00dfeed);
	CHECK_EQ(be32(b + 4), size);
	CHECK_EQ(be32(b + 16), 40); /* memory reservation map right after the header */
	CHECK(memcmp(b + 40, zeros, 16) == 0);
	CHECK_EQ(off_struct, 56);
	CHECK_EQ(be32(b + 20), 17);
	CHECK_EQ(be32(b + 24), 16);
	CHECK_EQ(be32(b + 28), 0);
	CHECK_EQ(off_strings, off_struct + size_struct);
	CHECK_EQ(off_strings + size_strings, size);
	CHECK_EQ(size_struct % 4, 0);
	CHECK_EQ(be32(b + off_struct), 1); /* FDT_BEGIN_NODE, the root */
	CHECK_EQ(be32(b + off_struct + size_struct - 4), 9); /* FDT_END */
}

/* Unique names, "address-cells" inside "#address-cells": 84 bytes. */
static void check_strings(const uint8_t *b)
{
	static const char want[] = "#address-cells\0#size-cells\0compatible\0bootargs\0"
				   "linux,initrd-start\0reg\0ranges\0blob\0x";
	const uint8_t *strings = b + be32(b + 12);
	uint32_t n = be32(b + 32);
	const char *name;

	CHECK_EQ(n, sizeof(want));
	/* Each name appears once, wherever the writer put it. */
	for (name = want; name < want + sizeof(want); name += strlen(name) + 1)
		CHECKF(memmem(strings, n, name, strlen(name) + 1) != NULL, "missing %s", name);
}

static void check_readback(const uint8_t *b, long size)
{
	struct fdt f;
	int root, chosen, bus, dev, node, len;
	uint64_t v64, addr, sz;
	uint32_t v32;
	const uint8_t *blob;

	CHECK_EQ(fdt_open(&f, b, (size_t)size), 0);
	root = fdt_root(&f);
	CHECK(fdt_prop_is(&f, root, "compatible", "test,board"));
	CHECK(fdt_prop_u32(&f, root, "#size-cells", &v32) == 0 && v32 == 2);
	chosen = fdt_path(&f, "/chosen");
	CHECK(fdt_prop_is(&f, chosen, "bootargs", "console=ttyAMA0 root=/dev/vda"));
	CHECK(fdt_prop_u64(&f, chosen, "linux,initrd-start", &v64) == 0 && v64 == 0x148000000ull);
	bus = fdt_path(&f, "/bus@0");
	CHECK(fdt_is_compatible(&f, bus, "vendor,dev"));
	CHECK(fdt_is_compatible(&f, bus, "vendor,dev-2"));
	CHECK(fdt_prop_u32(&f, bus, "address-cells", &v32) == 0 && v32 == 7);
	CHECK(fdt_prop(&f, bus, "ranges", &len) != NULL && len == 0);
	dev = fdt_path(&f, "/bus@0/dev@9000000");
	CHECK_EQ(fdt_parent(&f, dev), bus);
	CHECK(fdt_reg(&f, dev, 0, &addr, &sz) == 0 && addr == 0x9000000 && sz == 0x1000);
	blob = fdt_prop(&f, dev, "blob", &len);
	CHECK(blob && len == 3 && blob[0] == 0xde && blob[2] == 0xbe);
	CHECK(fdt_prop(&f, dev, "x", &len) != NULL && len == 0);
	CHECK(fdt_prop(&f, dev, "reg", &len) != NULL && len == 16);
	node = fdt_first_child(&f, root);
	CHECK_STR(fdt_name(&f, node), "chosen");
	node = fdt_next_sibling(&f, node);
	CHECK_STR(fdt_name(&f, node), "bus@0");
	node = fdt_next_sibling(&f, node);
	CHECK_STR(fdt_name(&f, node), "empty");
	CHECK(fdt_next_sibling(&f, node) < 0);
}

/*
 * Writes the blob to data_dir/name and runs dtc on it, which must not even
 * warn; dtc's output in *dts.
 */
static int run_dtc(const uint8_t *b, long size, const char *name, char *dts, size_t dts_size)
{
	char path[512], cmd[2048];
	FILE *f;
	int rc;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, (size_t)size, f) != (size_t)size)
		return -1;
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o %s.dts %s 2>%s.err", path, path, path);
	rc = system(cmd);
	snprintf(path, sizeof(path), "%s/%s.err", data_dir, name);
	f = fopen(path, "r");
	n = f ? fread(dts, 1, dts_size - 1, f) : 0;
	dts[n] = '\0';
	if (f)
		fclose(f);
	CHECKF(n == 0, "dtc complains about %s:\n%s", name, dts);
	snprintf(path, sizeof(path), "%s/%s.dts", data_dir, name);
	f = fopen(path, "r");
	n = f ? fread(dts, 1, dts_size - 1, f) : 0;
	dts[n] = '\0';
	if (f)
		fclose(f);
	return rc;
}

static void test_sample(void)
{
	static uint8_t buf[4096];
	static char dts[8192];
	long size;

	memset(buf, 0xa5, sizeof(buf));
	size = build_sample(buf, sizeof(buf));
	CHECK(size > 56);
	if (size <= 56)
		return;
	check_header(buf, size);
	check_strings(buf);
	check_readback(buf, size);
	CHECK_EQ(run_dtc(buf, size, "fdtw-sample.dtb", dts, sizeof(dts)), 0);
	/* dtc prints a string list either way, depending on its version. */
	CHECK(strstr(dts, "compatible = \"vendor,dev-2\", \"vendor,dev\";") != NULL ||
	      strstr(dts, "compatible = \"vendor,dev-2\\0vendor,dev\";") != NULL);
	CHECK(strstr(dts, "linux,initrd-start = <0x01 0x48000000>;") != NULL);
	CHECK(strstr(dts, "reg = <0x00 0x9000000 0x00 0x1000>;") != NULL);
	CHECK(strstr(dts, "blob = [de ad be];") != NULL);
	CHECK(strstr(dts, "dev@9000000 {") != NULL);
	printf("sample tree: %ld bytes, dtc accepts it\n", size);
}

/*
 * Every buffer smaller than the tree fails, writing nothing past its end;
 * the exact size and anything larger give the same bytes.
 */
static void test_sizes(void)
{
	static uint8_t ref[4096];
	long full = build_sample(ref, sizeof(ref)), got;
	size_t size, fails = 0;

	for (size = 0; size <= (size_t)full + 8; size++) {
		uint8_t *buf = malloc(size ? size : 1);

		memset(buf, 0x5a, size);
		got = build_sample(size ? buf : NULL, size);
		if (size < (size_t)full) {
			CHECKF(got == -1, "size %zu: got %ld", size, got);
			fails += got == -1;
		} else {
			CHECK_EQ(got, full);
			CHECK(memcmp(buf, ref, (size_t)full) == 0);
		}
		free(buf);
	}
	CHECK_EQ(fails, full);
}

/* Misuse: finish must fail however the rest of the tree looks. */
static long misuse(int kind)
{
	static uint8_t buf[1024];
	static const char unterminated[2] = { 'a', 'b' };
	struct fdt_writer w;

	fdt_w_init(&w, buf, sizeof(buf));
	if (kind == 0)
		fdt_w_prop_u32(&w, "before-root", 1);
	fdt_w_begin_node(&w, kind == 1 ? "notroot" : "");
	fdt_w_begin_node(&w, kind == 2 ? "" : "child");
	fdt_w_prop(&w, kind == 3 ? "" : "p", "v", 1);
	fdt_w_prop(&w, kind == 4 ? NULL : "p", "v", 1);
	fdt_w_prop(&w, "q", kind == 5 ? NULL : "v", 1);
	fdt_w_prop_strings(&w, "s", kind == 6 ? unterminated : "a\0b", kind == 6 ? 2 : 4);
	fdt_w_prop_strings(&w, "t", "", kind == 7 ? 0 : 1);
	fdt_w_prop_string(&w, "u", kind == 8 ? NULL : "u");
	fdt_w_prop_cells(&w, "c", NULL, kind == 15 ? 1 : 0);
	fdt_w_begin_node(&w, kind == 9 ? NULL : "grandchild");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	if (kind != 10)
		fdt_w_end_node(&w); /* kind 10: the root is left open */
	if (kind == 11)
		fdt_w_end_node(&w); /* one too many */
	if (kind == 12) {
		fdt_w_begin_node(&w, ""); /* a second root */
		fdt_w_end_node(&w);
	}
	if (kind == 13)
		fdt_w_prop_u32(&w, "after-root", 1);
	if (kind == 14)
		fdt_w_finish(&w); /* then finished a second time */
	return fdt_w_finish(&w);
}

static void test_misuse(void)
{
	static uint8_t buf[128];
	struct fdt_writer w;
	int kind;

	CHECKF(misuse(99) > 0, "the well-formed variant fails");
	for (kind = 0; kind <= 15; kind++)
		CHECKF(misuse(kind) == -1, "misuse %d not reported", kind);
	/* No root at all. */
	fdt_w_init(&w, buf, sizeof(buf));
	CHECK_EQ(fdt_w_finish(&w), -1);
	/* Too small for even the header: nothing written. */
	memset(buf, 0x77, sizeof(buf));
	fdt_w_init(&w, buf, 55);
	fdt_w_begin_node(&w, "");
	fdt_w_end_node(&w);
	CHECK_EQ(fdt_w_finish(&w), -1);
	CHECK(buf[0] == 0x77 && buf[54] == 0x77);
	/* The smallest tree: header, map, BEGIN_NODE "" (8), END_NODE, END. */
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_end_node(&w);
	CHECK_EQ(fdt_w_finish(&w), 56 + 16);
	CHECK_EQ(w.strings_len, 0);
}

/* A larger tree: many nodes, names repeated in every one. */
static void test_big(void)
{
	static uint8_t buf[256 * 1024];
	static char dts[512 * 1024];
	struct fdt_writer w;
	struct fdt f;
	char name[32];
	long size;
	int i, n = 0, node;

	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "node-%x", i);
		fdt_w_begin_node(&w, name);
		fdt_w_prop_u32(&w, "index", (uint32_t)i);
		fdt_w_prop_string(&w, "label", name);
		fdt_w_end_node(&w);
	}
	fdt_w_end_node(&w);
	size = fdt_w_finish(&w);
	CHECK(size > 0);
	CHECK_EQ(be32(buf + 32), sizeof("index") + sizeof("label"));
	CHECK_EQ(fdt_open(&f, buf, (size_t)size), 0);
	for (node = fdt_root(&f); node >= 0; node = fdt_next_node(&f, node))
		n++;
	CHECK_EQ(n, 2001);
	CHECK_EQ(fdt_path(&f, "/node-7cf") > 0, 1);
	CHECK_EQ(run_dtc(buf, size, "fdtw-big.dtb", dts, sizeof(dts)), 0);
	CHECK(strstr(dts, "label = \"node-7cf\";") != NULL);
	printf("big tree: %ld bytes, %d nodes, dtc accepts it\n", size, n);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		data_dir = argv[1];
	test_sample();
	test_sizes();
	test_misuse();
	test_big();
	return check_summary();
}
