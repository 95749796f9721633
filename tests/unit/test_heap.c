/*
 * Host tests for hv/lib/heap.c, on top of the real page allocator managing
 * a malloc'd, page-aligned buffer (its host address serves as physical
 * address, as VA == PA in arx).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/heap.h>
#include <arx/page_alloc.h>

#include "check.h"

#define RAM_SIZE (8 * MiB)

static uint8_t *ram;

static struct heap_stats hstats(void)
{
	struct heap_stats st;

	heap_get_stats(&st);
	return st;
}

static uint64_t free_pages(void)
{
	struct palloc_stats st;

	palloc_get_stats(&st);
	return st.free_pages;
}

static void setup(void)
{
	palloc_reset();
	heap_reset();
	CHECK_EQ(palloc_add_range((paddr_t)(uintptr_t)ram, RAM_SIZE), 0);
	CHECK_EQ(palloc_init(), 0);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_basic(void)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 31, 64, 100, 500, 1024, 2047, 2048,
					2049, 4000, 4096, 5000, 3 * 4096, 100000 };
	void *p[ARRAY_SIZE(sizes)];
	uint64_t before = free_pages(), bytes = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = heap_alloc(sizes[i]);
		CHECK(p[i] != NULL);
		CHECK(IS_ALIGNED((uintptr_t)p[i], 16));
		CHECK(all_zero(p[i], sizes[i]));
		memset(p[i], 0xa5, sizes[i]);
		bytes += sizes[i];
	}
	CHECK_EQ(hstats().bytes_in_use, bytes);
	CHECK_EQ(hstats().live_allocations, ARRAY_SIZE(sizes));
	CHECK_EQ(before - free_pages(), hstats().pages_held);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		heap_free(p[i]);
	CHECK_EQ(hstats().bytes_in_use, 0);
	CHECK_EQ(hstats().live_allocations, 0);
	CHECK_EQ(hstats().pages_held, 0);
	CHECK_EQ(free_pages(), before);
}

/* Freed memory is dirty; what heap_alloc hands out next must be zero. */
static void test_zeroing(void)
{
	uint8_t *a = heap_alloc(64), *b = heap_alloc(64), *c;

	memset(a, 0xff, 64);
	memset(b, 0xff, 64);
	heap_free(a);
	c = heap_alloc(48);
	CHECK(c == a); /* the slot is reused */
	CHECK(all_zero(c, 48));
	heap_free(b);
	heap_free(c);
	CHECK_EQ(hstats().pages_held, 0);
}

static void test_bad_frees(void)
{
	uint8_t *a = heap_alloc(32), *b = heap_alloc(32), *big = heap_alloc(10000);
	struct heap_stats before = hstats();
	paddr_t page = palloc_alloc(1, 0);
	uint8_t *foreign = (uint8_t *)(uintptr_t)page;

	memset(foreign, 0, PAGE_SIZE);
	heap_free(NULL);
	heap_free(a + 8); /* misaligned */
	heap_free(a + 16); /* inside a slot */
	heap_free(big + 16); /* not the start of a large block */
	heap_free(big + PAGE_SIZE); /* a later page of a large block */
	heap_free(foreign + 64); /* a page the heap never owned */
	heap_free((void *)(uintptr_t)(page)); /* a page start: never an object */
	CHECK_EQ(hstats().live_allocations, before.live_allocations);
	CHECK_EQ(hstats().bytes_in_use, before.bytes_in_use);
	CHECK_EQ(hstats().pages_held, before.pages_held);
	heap_free(a);
	heap_free(a); /* double free: ignored */
	CHECK_EQ(hstats().live_allocations, before.live_allocations - 1);
	CHECK_EQ(hstats().bytes_in_use, before.bytes_in_use - 32);
	heap_free(big);
	heap_free(big); /* its pages went back: the header magic is gone */
	CHECK_EQ(hstats().live_allocations, 1);
	heap_free(b);
	heap_free(b); /* the slab page went back too */
	CHECK_EQ(hstats().live_allocations, 0);
	CHECK_EQ(hstats().pages_held, 0);
	CHECK_EQ(palloc_free(page, 1), 0);
}

static void test_limits(void)
{
	uint64_t before = free_pages();
	void *p;
	void **list;
	size_t n = 0, i;

	CHECK(heap_alloc(0) == NULL);
	CHECK(heap_alloc(SIZE_MAX) == NULL);
	CHECK(heap_alloc(SIZE_MAX - PAGE_SIZE) == NULL);
	CHECK(heap_alloc(RAM_SIZE) == NULL); /* more than there is */
	CHECK_EQ(hstats().live_allocations, 0);
	CHECK_EQ(free_pages(), before);
	/* Exhaust with small objects, then give everything back. */
	list = malloc(sizeof(void *) * (RAM_SIZE / 16));
	while ((p = heap_alloc(24)) != NULL)
		list[n++] = p;
	CHECK_EQ(free_pages(), 0);
	CHECK(n > (RAM_SIZE / PAGE_SIZE - 8) * 100);
	CHECK(heap_alloc(5000) == NULL);
	for (i = 0; i < n; i++)
		heap_free(list[i]);
	free(list);
	CHECK_EQ(hstats().pages_held, 0);
	CHECK_EQ(free_pages(), before);
}

/* Random sizes and orders against a shadow list, each object filled with a tag. */
#define SLOTS 512

struct obj {
	uint8_t *p;
	size_t size;
	uint8_t tag;
};

static uint64_t rng = 0x853c49e6748fea9bull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t random_size(void)
{
	switch (rnd() % 8) {
	case 0: return 1 + rnd() % 16;
	case 1: return 1 + rnd() % 20000;
	case 2: return 2040 + rnd() % 16;
	default: return 1 + rnd() % 600;
	}
}

static bool intact(const struct obj *o)
{
	size_t i;

	for (i = 0; i < o->size; i++)
		if (o->p[i] != o->tag)
			return false;
	return true;
}

static void test_stress(void)
{
	static struct obj objs[SLOTS];
	uint64_t before = free_pages(), bytes = 0, live = 0;
	int iter, bad = 0, i;

	memset(objs, 0, sizeof(objs));
	for (iter = 0; iter < 60000; iter++) {
		struct obj *o = &objs[rnd() % SLOTS];

		if (o->p) {
			bad += !intact(o);
			heap_free(o->p);
			bytes -= o->size;
			live--;
			o->p = NULL;
			continue;
		}
		o->size = random_size();
		o->p = heap_alloc(o->size);
		if (!o->p)
			continue;
		bad += !all_zero(o->p, o->size);
		bad += !IS_ALIGNED((uintptr_t)o->p, 16);
		o->tag = (uint8_t)(1 + iter % 255);
		memset(o->p, o->tag, o->size);
		bytes += o->size;
		live++;
		if (iter % 2000 == 0) {
			CHECK_EQ(hstats().bytes_in_use, bytes);
			CHECK_EQ(hstats().live_allocations, live);
			CHECK_EQ(before - free_pages(), hstats().pages_held);
		}
	}
	CHECKF(bad == 0, "%d objects corrupted, dirty or misaligned", bad);
	for (i = 0; i < SLOTS; i++)
		if (objs[i].p)
			heap_free(objs[i].p);
	CHECK_EQ(hstats().bytes_in_use, 0);
	CHECK_EQ(hstats().live_allocations, 0);
	CHECK_EQ(hstats().pages_held, 0);
	CHECK_EQ(free_pages(), before);
}

int main(void)
{
	void *mem = NULL;

	if (posix_memalign(&mem, PAGE_SIZE, RAM_SIZE)) {
		printf("cannot allocate test RAM\n");
		return 1;
	}
	ram = mem;
	setup();
	test_basic();
	test_zeroing();
	test_bad_frees();
	test_limits();
	test_stress();
	heap_reset();
	CHECK_EQ(hstats().pages_held, 0);
	free(mem);
	return check_summary();
}
