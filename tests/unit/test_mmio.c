/*
 * Host tests for hv/core/mmio.c: which region an access reaches, with the
 * last-hit hint in play (a hint left on another region, or out of range,
 * must never send an access to the wrong device), and the accesses it
 * refuses before any device sees them.
 */
#include <stdint.h>

#include <arx/mmio.h>

#include "check.h"

static int calls[4];
static uint64_t last_offset;

/* Each region's dev is its index; the handler answers with it. */
static bool handler(struct vcpu *v, struct mmio_access *a, void *dev)
{
	(void)v;
	int id = (int)(uintptr_t)dev;
	calls[id]++;
	last_offset = a->offset;
	a->value = 0x100 + (uint64_t)id;
	return true;
}

static struct mmio_map map;

/* Regions registered out of order: 0x1000 (4 KiB), 0x8000 (64 KiB), 0x20000 (4 KiB), 0x30000. */
static void setup(void)
{
	map = (struct mmio_map){ 0 };
	CHECK_EQ(mmio_register(&map, 0x20000, 0x1000, handler, (void *)2), 0);
	CHECK_EQ(mmio_register(&map, 0x1000, 0x1000, handler, (void *)0), 0);
	CHECK_EQ(mmio_register(&map, 0x30000, 0x1000, handler, (void *)3), 0);
	CHECK_EQ(mmio_register(&map, 0x8000, 0x10000, handler, (void *)1), 0);
}

/* Which device answered a read of `size` bytes at ipa (-1: refused). */
static int read_at(paddr_t ipa, unsigned int size)
{
	struct mmio_access a = { .ipa = ipa, .size = size };
	if (!mmio_dispatch(&map, NULL, &a))
		return -1;
	return (int)(a.value - 0x100);
}

static void test_each_region_reached(void)
{
	setup();
	CHECK_EQ(read_at(0x1000, 4), 0);
	CHECK_EQ(read_at(0x8004, 4), 1);
	CHECK_EQ(last_offset, 4);
	CHECK_EQ(read_at(0x17ffc, 4), 1);
	CHECK_EQ(read_at(0x20018, 4), 2);
	CHECK_EQ(last_offset, 0x18);
	CHECK_EQ(read_at(0x30ff8, 8), 3);
}

/* Alternating between regions and then polling one: the hint follows, answers stay right. */
static void test_hint_never_misroutes(void)
{
	setup();
	for (int round = 0; round < 3; round++) {
		CHECK_EQ(read_at(0x20018, 4), 2);
		CHECK_EQ(read_at(0x20018, 4), 2);
		CHECK_EQ(read_at(0x8004, 4), 1);
		CHECK_EQ(read_at(0x1ffc, 4), 0);
		CHECK_EQ(read_at(0x2000, 4), -1); /* just past region 0, right after hitting it */
		CHECK_EQ(read_at(0x1fffc, 4), -1); /* between regions 1 and 2 */
		CHECK_EQ(read_at(0x30000, 4), 3);
	}
	map.last = 12; /* a hint beyond count (as a racing update could leave it): searched */
	CHECK_EQ(read_at(0x8000, 4), 1);
	CHECK(map.last < map.count);
}

static void test_refused_accesses(void)
{
	setup();
	int before = calls[0] + calls[1] + calls[2] + calls[3];
	CHECK_EQ(read_at(0x0, 4), -1); /* below every region */
	CHECK_EQ(read_at(0x1ffe, 4), -1); /* straddles region 0's end */
	CHECK_EQ(read_at(0x1002, 4), -1); /* unaligned */
	CHECK_EQ(read_at(0x1004, 8), -1); /* unaligned for its size */
	CHECK_EQ(read_at(0x17ffc, 8), -1); /* straddles region 1's end */
	CHECK_EQ(read_at(~0UL - 3, 4), -1); /* the top of the address space */
	CHECK_EQ(calls[0] + calls[1] + calls[2] + calls[3], before); /* no device saw them */
}

static void test_register_refuses_overlaps(void)
{
	setup();
	CHECK_EQ(mmio_register(&map, 0x1800, 0x1000, handler, NULL), -1); /* into region 0 */
	CHECK_EQ(mmio_register(&map, 0x7000, 0x2000, handler, NULL), -1); /* into region 1 */
	CHECK_EQ(mmio_register(&map, 0x40000, 0, handler, NULL), -1); /* empty */
	CHECK_EQ(mmio_register(&map, ~0UL - 0xfff, 0x2000, handler, NULL), -1); /* wraps */
	CHECK_EQ(map.count, 4);
	CHECK_EQ(mmio_register(&map, 0x2000, 0x1000, handler, NULL), 0); /* right after region 0 */
	for (unsigned int i = map.count; i < MMIO_MAX_REGIONS; i++)
		CHECK_EQ(mmio_register(&map, 0x100000 + i * 0x1000, 0x1000, handler, NULL), 0);
	CHECK_EQ(mmio_register(&map, 0x900000, 0x1000, handler, NULL), -1); /* full */
}

int main(void)
{
	test_each_region_reached();
	test_hint_never_misroutes();
	test_refused_accesses();
	test_register_refuses_overlaps();
	return check_summary();
}
