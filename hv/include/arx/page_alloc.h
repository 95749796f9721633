/*
 * Physical page allocator: a bitmap over the RAM arx manages.
 *
 * RAM ranges are added, then the parts in use (arx itself, the DTB, the
 * initrd) are reserved. The allocator keeps its bitmap inside the first
 * range large enough for it (the memory is reachable at VA == PA), and
 * reserves those pages too. Allocation is first fit with alignment, so
 * large aligned blocks (2 MiB for stage-2 block mappings) are possible.
 */
#ifndef ARX_PAGE_ALLOC_H
#define ARX_PAGE_ALLOC_H

#include "types.h"

#define PALLOC_MAX_RANGES 8

struct palloc_stats {
	uint64_t total_pages; /* pages in all added ranges */
	uint64_t free_pages;
	uint64_t reserved_pages; /* pages reserved at boot (arx, DTB, initrd, bitmap) */
	uint64_t used_pages; /* pages handed out by palloc_alloc and not yet freed */
};

/* Forget everything (used by tests; boot starts zeroed). */
void palloc_reset(void);

/* Adds RAM [base, base+size); page-aligned inwards. Returns 0 or -1 (too many ranges/overlap). */
int palloc_add_range(paddr_t base, uint64_t size);

/* Marks [base, base+size) as not allocatable (page-aligned outwards). Call before palloc_init. */
void palloc_reserve(paddr_t base, uint64_t size);

/* Places the bitmap and makes the allocator ready. Returns 0, or -1 if no room for the bitmap. */
int palloc_init(void);

/*
 * Allocates `count` contiguous pages whose address is a multiple of
 * `align` bytes (a power of two >= PAGE_SIZE; 0 means PAGE_SIZE).
 * Returns the physical address, or 0 when no such run is free.
 * The pages are not zeroed.
 */
paddr_t palloc_alloc(uint64_t count, uint64_t align);

/* Frees pages from palloc_alloc. Freeing pages that are not allocated is a bug and returns -1. */
int palloc_free(paddr_t base, uint64_t count);

void palloc_get_stats(struct palloc_stats *st);

/* Calls fn for each added RAM range (for the memory map in the boot log and the MMU). */
void palloc_for_each_range(void (*fn)(paddr_t base, uint64_t size, void *ctx), void *ctx);

#endif
