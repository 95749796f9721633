/*
 * Physical page allocator: two bitmaps per RAM range.
 *
 * `busy` has a bit set for every page that may not be handed out (reserved
 * or allocated); `rsv` marks the reserved ones. Keeping both lets
 * palloc_free() refuse a double free and refuse to "free" arx's own image
 * or the DTB, which one bitmap could not tell apart from an allocation.
 *
 * Not locked: boot is single-threaded; SMP users must serialise callers.
 */
#include <arx/page_alloc.h>
#include <arx/string.h>

#define PALLOC_MAX_PENDING 16
#define NO_PAGE UINT64_MAX
/* The topmost page is never managed, so an exclusive end always fits. */
#define TOP_END ALIGN_DOWN(UINT64_MAX, PAGE_SIZE)

struct range {
	paddr_t base;
	uint64_t pages;
	uint64_t *busy;
	uint64_t *rsv;
};

/* A reservation recorded before the bitmaps exist: [start, end). */
struct span {
	paddr_t start, end;
};

static struct {
	struct range ranges[PALLOC_MAX_RANGES];
	unsigned int nranges;
	struct span pending[PALLOC_MAX_PENDING];
	unsigned int npending;
	bool ready;
	uint64_t total, reserved, used;
} pa;

static bool test_bit(const uint64_t *map, uint64_t i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static void set_bit(uint64_t *map, uint64_t i)
{
	map[i / 64] |= 1ull << (i % 64);
}

static void clear_bit(uint64_t *map, uint64_t i)
{
	map[i / 64] &= ~(1ull << (i % 64));
}

static paddr_t range_end(const struct range *r)
{
	return r->base + r->pages * PAGE_SIZE;
}

static uint64_t map_words(uint64_t pages)
{
	return (pages + 63) / 64;
}

void palloc_reset(void)
{
	memset(&pa, 0, sizeof(pa));
}

/* Marks the pages of [start, end) that lie in managed RAM and are free. */
static void mark_reserved(paddr_t start, paddr_t end)
{
	unsigned int n;

	for (n = 0; n < pa.nranges; n++) {
		struct range *r = &pa.ranges[n];
		paddr_t lo = MAX(start, r->base), hi = MIN(end, range_end(r));
		uint64_t i;

		for (; lo < hi; lo += PAGE_SIZE) {
			i = (lo - r->base) / PAGE_SIZE;
			/* An allocated page stays allocated; it is not ours to take. */
			if (test_bit(r->busy, i))
				continue;
			set_bit(r->busy, i);
			set_bit(r->rsv, i);
			pa.reserved++;
		}
	}
}

/* Merges every recorded span touching [*start, *end) into it. */
static void absorb_touching(paddr_t *start, paddr_t *end)
{
	unsigned int i = 0;

	while (i < pa.npending) {
		struct span *s = &pa.pending[i];

		if (s->start > *end || *start > s->end) {
			i++;
			continue;
		}
		*start = MIN(*start, s->start);
		*end = MAX(*end, s->end);
		*s = pa.pending[--pa.npending];
	}
}

static unsigned int nearest_span(paddr_t start, paddr_t end)
{
	unsigned int i, best = 0;
	uint64_t best_gap = UINT64_MAX;

	for (i = 0; i < pa.npending; i++) {
		const struct span *s = &pa.pending[i];
		uint64_t gap = s->end < start ? start - s->end : s->start - end;

		if (gap < best_gap) {
			best_gap = gap;
			best = i;
		}
	}
	return best;
}

/*
 * When the list is full the new span is widened to swallow its nearest
 * neighbour: reserving too much wastes a little RAM, while dropping a
 * reservation would hand out memory that is in use.
 */
static void add_pending(paddr_t start, paddr_t end)
{
	for (;;) {
		absorb_touching(&start, &end);
		if (pa.npending < PALLOC_MAX_PENDING)
			break;
		unsigned int i = nearest_span(start, end);

		start = MIN(start, pa.pending[i].start);
		end = MAX(end, pa.pending[i].end);
		pa.pending[i] = pa.pending[--pa.npending];
	}
	pa.pending[pa.npending++] = (struct span){ start, end };
}

void palloc_reserve(paddr_t base, uint64_t size)
{
	paddr_t start = ALIGN_DOWN(base, PAGE_SIZE), end;

	if (!size || start >= TOP_END)
		return;
	end = size > TOP_END - base ? TOP_END : ALIGN_UP(base + size, PAGE_SIZE);
	if (pa.ready)
		mark_reserved(start, end);
	else
		add_pending(start, end);
}

int palloc_add_range(paddr_t base, uint64_t size)
{
	paddr_t start, end;
	unsigned int i;

	if (pa.ready || pa.nranges == PALLOC_MAX_RANGES)
		return -1;
	if (base >= TOP_END)
		return 0; /* nothing usable */
	start = ALIGN_UP(base, PAGE_SIZE);
	end = size > TOP_END - base ? TOP_END : ALIGN_DOWN(base + size, PAGE_SIZE);
	if (end <= start)
		return 0;
	for (i = 0; i < pa.nranges; i++) {
		if (start < range_end(&pa.ranges[i]) && pa.ranges[i].base < end)
			return -1;
	}
	pa.ranges[pa.nranges++] = (struct range){ .base = start,
						  .pages = (end - start) / PAGE_SIZE };
	pa.total += (end - start) / PAGE_SIZE;
	/* palloc_alloc() reports failure as 0, so page 0 must never be handed out. */
	if (start == 0)
		add_pending(0, PAGE_SIZE);
	return 0;
}

/* First address in `r` with `bytes` free of pending reservations, or 0. */
static paddr_t find_bitmap_room(const struct range *r, uint64_t bytes)
{
	paddr_t cand = r->base;
	unsigned int i;

	while (cand <= range_end(r) && bytes <= range_end(r) - cand) {
		for (i = 0; i < pa.npending; i++) {
			const struct span *s = &pa.pending[i];

			if (s->start < cand + bytes && cand < s->end)
				break;
		}
		if (i == pa.npending)
			return cand;
		cand = pa.pending[i].end; /* strictly beyond cand: the walk ends */
	}
	return 0;
}

/* Carves both bitmaps of every range out of one run at `where`. */
static void assign_bitmaps(paddr_t where, uint64_t bytes)
{
	uint64_t *map = (uint64_t *)(uintptr_t)where;
	unsigned int i;

	memset(map, 0, bytes);
	for (i = 0; i < pa.nranges; i++) {
		pa.ranges[i].busy = map;
		map += map_words(pa.ranges[i].pages);
		pa.ranges[i].rsv = map;
		map += map_words(pa.ranges[i].pages);
	}
}

int palloc_init(void)
{
	uint64_t words = 0, bytes;
	paddr_t where = 0;
	unsigned int i;

	if (pa.ready)
		return 0;
	for (i = 0; i < pa.nranges; i++)
		words += 2 * map_words(pa.ranges[i].pages);
	bytes = ALIGN_UP(words * sizeof(uint64_t), PAGE_SIZE);
	for (i = 0; i < pa.nranges && !where; i++)
		where = find_bitmap_room(&pa.ranges[i], bytes);
	if (!where)
		return -1;
	assign_bitmaps(where, bytes);
	pa.ready = true;
	for (i = 0; i < pa.npending; i++)
		mark_reserved(pa.pending[i].start, pa.pending[i].end);
	pa.npending = 0;
	mark_reserved(where, where + bytes);
	return 0;
}

/* Index of the first busy page in [idx, idx + count), or NO_PAGE. */
static uint64_t first_busy(const struct range *r, uint64_t idx, uint64_t count)
{
	uint64_t end = idx + count;

	while (idx < end) {
		/* Whole free words are the common case in a fresh bitmap. */
		if (idx % 64 == 0 && end - idx >= 64 && !r->busy[idx / 64]) {
			idx += 64;
			continue;
		}
		if (test_bit(r->busy, idx))
			return idx;
		idx++;
	}
	return NO_PAGE;
}

/* First index >= page `from` whose address is aligned, or NO_PAGE. */
static uint64_t aligned_index(const struct range *r, uint64_t from, uint64_t align)
{
	paddr_t addr = r->base + from * PAGE_SIZE;

	if (addr > UINT64_MAX - (align - 1))
		return NO_PAGE;
	addr = ALIGN_UP(addr, align);
	if (addr >= range_end(r))
		return NO_PAGE;
	return (addr - r->base) / PAGE_SIZE;
}

static uint64_t find_run(const struct range *r, uint64_t count, uint64_t align)
{
	uint64_t idx = aligned_index(r, 0, align);

	while (idx != NO_PAGE && count <= r->pages - idx) {
		uint64_t busy = first_busy(r, idx, count);

		if (busy == NO_PAGE)
			return idx;
		idx = aligned_index(r, busy + 1, align);
	}
	return NO_PAGE;
}

paddr_t palloc_alloc(uint64_t count, uint64_t align)
{
	unsigned int n;
	uint64_t i, idx;

	if (!align)
		align = PAGE_SIZE;
	if (!pa.ready || !count || align < PAGE_SIZE || (align & (align - 1)))
		return 0;
	for (n = 0; n < pa.nranges; n++) {
		struct range *r = &pa.ranges[n];

		idx = find_run(r, count, align);
		if (idx == NO_PAGE)
			continue;
		for (i = idx; i < idx + count; i++)
			set_bit(r->busy, i);
		pa.used += count;
		return r->base + idx * PAGE_SIZE;
	}
	return 0;
}

static struct range *range_of(paddr_t addr)
{
	unsigned int n;

	for (n = 0; n < pa.nranges; n++) {
		if (addr >= pa.ranges[n].base && addr < range_end(&pa.ranges[n]))
			return &pa.ranges[n];
	}
	return NULL;
}

/* All-or-nothing: one bad page leaves the whole request untouched. */
int palloc_free(paddr_t base, uint64_t count)
{
	struct range *r = pa.ready ? range_of(base) : NULL;
	uint64_t idx, i;

	if (!r || !count || !IS_ALIGNED(base, PAGE_SIZE))
		return -1;
	idx = (base - r->base) / PAGE_SIZE;
	if (count > r->pages - idx)
		return -1;
	for (i = idx; i < idx + count; i++) {
		if (!test_bit(r->busy, i) || test_bit(r->rsv, i))
			return -1;
	}
	for (i = idx; i < idx + count; i++)
		clear_bit(r->busy, i);
	pa.used -= count;
	return 0;
}

/* Before palloc_init nothing can be allocated, so nothing counts as free. */
void palloc_get_stats(struct palloc_stats *st)
{
	st->total_pages = pa.total;
	st->reserved_pages = pa.reserved;
	st->used_pages = pa.used;
	st->free_pages = pa.ready ? pa.total - pa.reserved - pa.used : 0;
}

void palloc_for_each_range(void (*fn)(paddr_t base, uint64_t size, void *ctx), void *ctx)
{
	unsigned int n;

	for (n = 0; n < pa.nranges; n++)
		fn(pa.ranges[n].base, pa.ranges[n].pages * PAGE_SIZE, ctx);
}
