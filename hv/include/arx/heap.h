/*
 * A small heap for the hypervisor's own objects (domain and vCPU structs,
 * tables). It grows by taking pages from the page allocator and returns
 * fully free pages to it; all memory is 16-byte aligned.
 */
#ifndef ARX_HEAP_H
#define ARX_HEAP_H

#include "types.h"

struct heap_stats {
	uint64_t bytes_in_use; /* requested bytes of live allocations */
	uint64_t live_allocations;
	uint64_t pages_held; /* pages currently taken from the page allocator */
};

/* Returns zeroed memory, or NULL. Sizes above one page are served by whole pages. */
void *heap_alloc(size_t size);
/* Frees memory from heap_alloc; NULL is ignored. */
void heap_free(void *ptr);
void heap_get_stats(struct heap_stats *st);
/* Forget everything (for tests). */
void heap_reset(void);

#endif
