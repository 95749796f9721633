/*
 * Host tests for hv/lib/page_alloc.c. "RAM" is a malloc'd, 2 MiB aligned
 * buffer whose host address serves as its physical address (the allocator
 * expects VA == PA, and keeps its bitmap inside that memory).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/page_alloc.h>

#include "check.h"

#define RAM_SIZE (16 * MiB)

static uint8_t *ram;

static paddr_t pa_of(const void *p)
{
	return (paddr_t)(uintptr_t)p;
}

static struct palloc_stats stats(void)
{
	struct palloc_stats st;

	palloc_get_stats(&st);
	return st;
}

static void check_consistent(int line)
{
	struct palloc_stats st = stats();

	check_record(st.free_pages + st.reserved_pages + st.used_pages == st.total_pages,
		     __FILE__, line, "free + reserved + used == total");
}

/* A fresh allocator over all of `ram`, with its first 64 KiB reserved. */
static void setup(void)
{
	palloc_reset();
	CHECK_EQ(palloc_add_range(pa_of(ram), RAM_SIZE), 0);
	palloc_reserve(pa_of(ram), 64 * KiB);
	CHECK_EQ(palloc_init(), 0);
}

static void test_init_stats(void)
{
	struct palloc_stats st;
	uint64_t pages = RAM_SIZE / PAGE_SIZE;
	/* Two bits per page, rounded up to whole pages. */
	uint64_t bitmap_pages = (2 * pages / 8 + PAGE_SIZE - 1) / PAGE_SIZE;

	palloc_reset();
	st = stats();
	CHECK_EQ(st.total_pages, 0);
	CHECK_EQ(palloc_init(), -1); /* no RAM at all */
	CHECK_EQ(palloc_add_range(pa_of(ram), RAM_SIZE), 0);
	palloc_reserve(pa_of(ram), 64 * KiB);
	CHECK_EQ(stats().free_pages, 0); /* nothing allocatable before init */
	CHECK_EQ(palloc_init(), 0);
	st = stats();
	CHECK_EQ(st.total_pages, pages);
	CHECK_EQ(st.reserved_pages, 16 + bitmap_pages);
	CHECK_EQ(st.used_pages, 0);
	CHECK_EQ(st.free_pages, pages - 16 - bitmap_pages);
	check_consistent(__LINE__);
	/* First fit: the first page after the reservation and the bitmap. */
	CHECK_EQ(palloc_alloc(1, 0), pa_of(ram) + (16 + bitmap_pages) * PAGE_SIZE);
	CHECK_EQ(palloc_add_range(pa_of(ram) + RAM_SIZE, 4096), -1); /* after init */
}

static void test_alignment(void)
{
	paddr_t a, b, c;
	struct palloc_stats before;

	setup();
	before = stats();
	a = palloc_alloc(1, 0);
	b = palloc_alloc(512, 2 * MiB);
	c = palloc_alloc(3, 64 * KiB);
	CHECK(a && b && c);
	CHECK(IS_ALIGNED(a, PAGE_SIZE));
	CHECK(IS_ALIGNED(b, 2 * MiB));
	CHECK(IS_ALIGNED(c, 64 * KiB));
	CHECK(b >= pa_of(ram) && b + 2 * MiB <= pa_of(ram) + RAM_SIZE);
	CHECK_EQ(stats().used_pages, 516);
	CHECK_EQ(palloc_alloc(1, 3 * PAGE_SIZE), 0); /* not a power of two */
	CHECK_EQ(palloc_alloc(1, PAGE_SIZE / 2), 0); /* below a page */
	CHECK_EQ(palloc_alloc(0, 0), 0);
	CHECK_EQ(palloc_alloc(RAM_SIZE / PAGE_SIZE, 0), 0); /* more than is free */
	CHECK_EQ(palloc_alloc(1, 1ull << 63), 0); /* no such address in RAM */
	CHECK_EQ(palloc_alloc(UINT64_MAX, 0), 0);
	CHECK_EQ(palloc_free(a, 1), 0);
	CHECK_EQ(palloc_free(b, 512), 0);
	CHECK_EQ(palloc_free(c, 3), 0);
	CHECK_EQ(stats().free_pages, before.free_pages);
	CHECK_EQ(stats().used_pages, 0);
}

static void test_bad_frees(void)
{
	paddr_t a;
	struct palloc_stats before;

	setup();
	a = palloc_alloc(4, 0);
	before = stats();
	CHECK_EQ(palloc_free(a + 4 * PAGE_SIZE, 1), -1); /* free page */
	CHECK_EQ(palloc_free(a, 5), -1); /* runs into a free page */
	CHECK_EQ(palloc_free(a + 1, 1), -1); /* unaligned */
	CHECK_EQ(palloc_free(a, 0), -1);
	CHECK_EQ(palloc_free(pa_of(ram), 1), -1); /* reserved */
	CHECK_EQ(palloc_free(pa_of(ram) - PAGE_SIZE, 1), -1); /* outside RAM */
	CHECK_EQ(palloc_free(pa_of(ram) + RAM_SIZE, 1), -1);
	CHECK_EQ(palloc_free(a, UINT64_MAX), -1);
	CHECK_EQ(palloc_free(0, 1), -1);
	/* None of the refused frees may have changed anything. */
	CHECK_EQ(stats().used_pages, before.used_pages);
	CHECK_EQ(stats().free_pages, before.free_pages);
	CHECK_EQ(palloc_free(a + PAGE_SIZE, 2), 0); /* part of a block is fine */
	CHECK_EQ(palloc_free(a + PAGE_SIZE, 1), -1); /* double free */
	CHECK_EQ(palloc_free(a, 4), -1); /* mixed allocated and free */
	CHECK_EQ(palloc_free(a, 1), 0);
	CHECK_EQ(palloc_free(a + 3 * PAGE_SIZE, 1), 0);
	CHECK_EQ(palloc_free(a, 1), -1);
	CHECK_EQ(stats().used_pages, 0);
	check_consistent(__LINE__);
}

static void test_exhaustion(void)
{
	static paddr_t pages[RAM_SIZE / PAGE_SIZE];
	struct palloc_stats before;
	uint64_t n = 0, i;
	paddr_t p;

	setup();
	before = stats();
	while ((p = palloc_alloc(1, 0)) != 0) {
		CHECK(p >= pa_of(ram) && p < pa_of(ram) + RAM_SIZE);
		pages[n++] = p;
	}
	CHECK_EQ(n, before.free_pages);
	CHECK_EQ(stats().free_pages, 0);
	CHECK_EQ(stats().used_pages, n);
	check_consistent(__LINE__);
	for (i = 0; i < n; i += 2)
		CHECK_EQ(palloc_free(pages[i], 1), 0);
	/* Only isolated pages are free now: no run of two exists. */
	CHECK_EQ(palloc_alloc(2, 0), 0);
	for (i = 1; i < n; i += 2)
		CHECK_EQ(palloc_free(pages[i], 1), 0);
	CHECK_EQ(stats().free_pages, before.free_pages);
	CHECK_EQ(stats().used_pages, 0);
	/* Reservation and bitmap sit at the start, so the rest is one free run. */
	p = palloc_alloc(before.free_pages, 0);
	CHECK(p != 0);
	CHECK_EQ(palloc_free(p, before.free_pages), 0);
}

static void test_reserve_rules(void)
{
	paddr_t base = pa_of(ram);
	struct palloc_stats st;

	palloc_reset();
	/* Inwards: only whole pages inside [base+1, base+1+3 pages). */
	CHECK_EQ(palloc_add_range(base + 1, 3 * PAGE_SIZE), 0);
	CHECK_EQ(palloc_add_range(base + 8 * PAGE_SIZE, 100), 0); /* empty: ignored */
	CHECK_EQ(palloc_add_range(base + 2 * PAGE_SIZE, PAGE_SIZE), -1); /* overlap */
	CHECK_EQ(palloc_add_range(base + 16 * PAGE_SIZE, 256 * PAGE_SIZE), 0);
	palloc_reserve(base + 16 * PAGE_SIZE + 100, 10); /* outwards: one page */
	palloc_reserve(base + 20 * PAGE_SIZE, 2 * PAGE_SIZE);
	palloc_reserve(base + 21 * PAGE_SIZE, 2 * PAGE_SIZE); /* overlapping reservations */
	palloc_reserve(base + 1000 * PAGE_SIZE, PAGE_SIZE); /* outside RAM: no effect */
	palloc_reserve(base, 0);
	CHECK_EQ(palloc_init(), 0);
	st = stats();
	CHECK_EQ(st.total_pages, 2 + 256);
	/* The bitmap (one page) goes into the first range with room: pages 1-2. */
	CHECK_EQ(st.reserved_pages, 1 + 3 + 1);
	CHECK_EQ(palloc_alloc(1, 0), base + 2 * PAGE_SIZE);
	CHECK_EQ(palloc_alloc(1, 0), base + 17 * PAGE_SIZE);
	/* Reserving after init takes free pages only. */
	palloc_reserve(base + 17 * PAGE_SIZE, 2 * PAGE_SIZE);
	CHECK_EQ(stats().reserved_pages, 1 + 3 + 1 + 1);
	CHECK_EQ(palloc_free(base + 17 * PAGE_SIZE, 1), 0);
	CHECK_EQ(palloc_free(base + 18 * PAGE_SIZE, 1), -1);
	check_consistent(__LINE__);
}

static void test_many_reservations(void)
{
	paddr_t base = pa_of(ram);
	uint64_t i, pages = RAM_SIZE / PAGE_SIZE;
	paddr_t p;
	int bad = 0;

	palloc_reset();
	CHECK_EQ(palloc_add_range(base, RAM_SIZE), 0);
	/* More disjoint reservations than the allocator records individually. */
	for (i = 0; i < 40; i++)
		palloc_reserve(base + (10 + i * 7) * PAGE_SIZE, PAGE_SIZE);
	CHECK_EQ(palloc_init(), 0);
	CHECK(stats().reserved_pages >= 40);
	/* Whatever was merged, no reserved page may ever be handed out. */
	while ((p = palloc_alloc(1, 0)) != 0) {
		uint64_t idx = (p - base) / PAGE_SIZE;

		bad += idx >= 10 && idx < 10 + 40 * 7 && (idx - 10) % 7 == 0;
	}
	CHECKF(bad == 0, "%d reserved pages handed out", bad);
	CHECK_EQ(stats().used_pages + stats().reserved_pages, pages);
}

struct seen {
	paddr_t base[PALLOC_MAX_RANGES];
	uint64_t size[PALLOC_MAX_RANGES];
	int n;
};

static void record_range(paddr_t base, uint64_t size, void *ctx)
{
	struct seen *s = ctx;

	s->base[s->n] = base;
	s->size[s->n++] = size;
}

static void test_ranges(void)
{
	struct seen s = { .n = 0 };
	paddr_t base = pa_of(ram);
	int i;

	palloc_reset();
	for (i = 0; i < PALLOC_MAX_RANGES; i++)
		CHECK_EQ(palloc_add_range(base + (uint64_t)i * 2 * MiB, MiB), 0);
	CHECK_EQ(palloc_add_range(base + 15 * MiB, MiB), -1); /* too many */
	palloc_for_each_range(record_range, &s);
	CHECK_EQ(s.n, PALLOC_MAX_RANGES);
	CHECK_EQ(s.base[3], base + 6 * MiB);
	CHECK_EQ(s.size[3], MiB);
	CHECK_EQ(palloc_init(), 0);
	/* A run never spans two ranges even when they were adjacent in memory. */
	CHECK_EQ(palloc_alloc(MiB / PAGE_SIZE + 1, 0), 0);
	CHECK(palloc_alloc(MiB / PAGE_SIZE, 0) != 0);

	palloc_reset();
	CHECK_EQ(palloc_add_range(base, PAGE_SIZE), 0);
	palloc_reserve(base, PAGE_SIZE);
	CHECK_EQ(palloc_init(), -1); /* nowhere to put the bitmap */
	palloc_reset();
	CHECK_EQ(palloc_add_range(0, 4 * PAGE_SIZE), 0); /* page 0: never handed out */
	CHECK_EQ(stats().total_pages, 4);
	palloc_reset();
	CHECK_EQ(palloc_add_range(UINT64_MAX - PAGE_SIZE, 100 * PAGE_SIZE), 0);
	CHECK_EQ(palloc_add_range(~(uint64_t)0 - 5 * PAGE_SIZE + 1, ~(uint64_t)0), 0);
	CHECK(stats().total_pages <= 5);
}

/* Stress against a shadow model: page -> owner id, and pages filled with the id. */
#define STRESS_SLOTS 64

struct block {
	paddr_t base;
	uint64_t count;
	uint8_t id;
};

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool block_intact(const struct block *b)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)b->base;
	uint64_t i;

	for (i = 0; i < b->count * PAGE_SIZE; i += 511)
		if (p[i] != b->id)
			return false;
	return true;
}

static void stress_alloc(struct block *b, uint8_t *owner, uint64_t *used, uint8_t id)
{
	static const uint64_t aligns[] = { 0, PAGE_SIZE, 4 * PAGE_SIZE, 16 * PAGE_SIZE, 2 * MiB };
	uint64_t count = 1 + rnd() % (rnd() % 8 ? 8 : 300), align = aligns[rnd() % 5], i;
	paddr_t p = palloc_alloc(count, align);
	uint64_t first = (p - pa_of(ram)) / PAGE_SIZE;
	int overlap = 0;

	if (!p)
		return;
	CHECKF(IS_ALIGNED(p, align ? align : PAGE_SIZE), "misaligned %#lx", (unsigned long)p);
	for (i = 0; i < count; i++)
		overlap += owner[first + i] != 0;
	CHECKF(overlap == 0, "allocation overlaps %d owned pages", overlap);
	memset(owner + first, id, count);
	memset((void *)(uintptr_t)p, id, count * PAGE_SIZE);
	*b = (struct block){ p, count, id };
	*used += count;
}

static void test_stress(void)
{
	static uint8_t owner[RAM_SIZE / PAGE_SIZE];
	struct block blocks[STRESS_SLOTS] = { { 0 } };
	struct palloc_stats before;
	uint64_t used = 0;
	int iter, bad = 0, slot;

	setup();
	before = stats();
	memset(owner, 0, sizeof(owner));
	for (iter = 0; iter < 20000; iter++) {
		struct block *b = &blocks[rnd() % STRESS_SLOTS];

		if (!b->base) {
			stress_alloc(b, owner, &used, (uint8_t)(1 + iter % 250));
		} else {
			bad += !block_intact(b);
			bad += palloc_free(b->base, b->count) != 0;
			memset(owner + (b->base - pa_of(ram)) / PAGE_SIZE, 0, b->count);
			used -= b->count;
			b->base = 0;
		}
		if (iter % 1000 == 0) {
			CHECK_EQ(stats().used_pages, used);
			check_consistent(__LINE__);
		}
	}
	CHECKF(bad == 0, "%d corrupted blocks or refused frees", bad);
	for (slot = 0; slot < STRESS_SLOTS; slot++) {
		if (blocks[slot].base)
			CHECK_EQ(palloc_free(blocks[slot].base, blocks[slot].count), 0);
	}
	CHECK_EQ(stats().used_pages, 0);
	CHECK_EQ(stats().free_pages, before.free_pages);
	CHECK_EQ(stats().reserved_pages, before.reserved_pages);
}

int main(void)
{
	void *mem = NULL;

	if (posix_memalign(&mem, 2 * MiB, RAM_SIZE)) {
		printf("cannot allocate test RAM\n");
		return 1;
	}
	ram = mem;
	test_init_stats();
	test_alignment();
	test_bad_frees();
	test_exhaustion();
	test_reserve_rules();
	test_many_reservations();
	test_ranges();
	test_stress();
	free(mem);
	return check_summary();
}
