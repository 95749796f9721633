/* Page ownership: one 16-bit domain id per page of host RAM; see arx/frame_owner.h. */
#include <arx/frame_owner.h>
#include <arx/page_alloc.h>
#include <arx/string.h>

static uint16_t *owners;
static paddr_t base, end;

static void span(paddr_t b, uint64_t size, void *ctx)
{
	(void)ctx;
	if (!end || b < base)
		base = b;
	if (b + size > end)
		end = b + size;
}

int frame_owner_init(void)
{
	palloc_for_each_range(span, NULL);
	uint64_t pages = (end - base) / PAGE_SIZE;
	uint64_t bytes = ALIGN_UP(pages * sizeof(uint16_t), PAGE_SIZE);
	paddr_t pa = pages ? palloc_alloc(bytes / PAGE_SIZE, PAGE_SIZE) : 0;
	if (!pa)
		return -1;
	owners = (uint16_t *)pa;
	memset(owners, 0xff, bytes); /* OWNER_NONE everywhere */
	return 0;
}

void frame_owner_set(paddr_t pa, uint64_t pages, uint16_t owner)
{
	if (!owners || pa < base || pa >= end || pages > (end - pa) / PAGE_SIZE)
		return;
	uint16_t *o = &owners[(pa - base) / PAGE_SIZE];
	for (uint64_t i = 0; i < pages; i++)
		o[i] = owner;
}

uint16_t frame_owner(paddr_t pa)
{
	if (!owners || pa < base || pa >= end)
		return OWNER_NONE;
	return owners[(pa - base) / PAGE_SIZE];
}
