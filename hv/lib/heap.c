/*
 * A small heap on top of the page allocator.
 *
 * Requests up to HEAP_MAX_SMALL bytes come from slabs: one page holding
 * objects of one size class (16, 32, ... 2048 bytes), with a header at the
 * start of the page. Larger requests take whole pages, the first of which
 * starts with a header recording the page count. Both headers begin with a
 * magic mixed with the page address, so heap_free() can recognise pointers
 * it never handed out (and stale headers of recycled pages) and ignore them.
 *
 * Memory is reachable at VA == PA, so a page address is also its pointer.
 * Not locked: callers serialise, as for the page allocator.
 */
#include <arx/heap.h>
#include <arx/page_alloc.h>
#include <arx/string.h>

#define HEAP_MAGIC_SLAB 0x61727820736c6162ull /* "arx slab" */
#define HEAP_MAGIC_LARGE 0x6172782062696721ull /* "arx big!" */
#define HEAP_MIN_SHIFT 4 /* smallest class: 16 bytes, the alignment */
#define HEAP_NCLASSES 8 /* 16 .. 2048 */
#define HEAP_MAX_SMALL (1u << (HEAP_MIN_SHIFT + HEAP_NCLASSES - 1))
#define HEAP_MAX_OBJS 256 /* bits in slab.used */
#define HEAP_LARGE_HDR 32 /* keeps large blocks 16-byte aligned */

struct slab {
	uint64_t magic; /* HEAP_MAGIC_SLAB ^ page address */
	struct slab *prev, *next; /* list of slabs of this class with free slots */
	uint16_t cls, capacity, nfree, first; /* first: offset of object 0 */
	uint64_t used[HEAP_MAX_OBJS / 64];
	/* Requested size of each object, so bytes_in_use stays exact. */
	uint16_t sizes[];
};

struct large {
	uint64_t magic; /* HEAP_MAGIC_LARGE ^ page address */
	uint64_t pages;
	uint64_t size;
};

static struct {
	struct slab *partial[HEAP_NCLASSES];
	uint64_t bytes, live, pages;
} heap;

static size_t class_size(unsigned int cls)
{
	return (size_t)1 << (cls + HEAP_MIN_SHIFT);
}

static unsigned int class_of(size_t size)
{
	unsigned int cls = 0;

	while (class_size(cls) < size)
		cls++;
	return cls;
}

static size_t slab_first(unsigned int cap)
{
	return ALIGN_UP(sizeof(struct slab) + cap * sizeof(uint16_t), (size_t)16);
}

/* The most objects of one class that fit in a page beside the header. */
static unsigned int slab_capacity(unsigned int cls)
{
	size_t sz = class_size(cls);
	unsigned int cap = (PAGE_SIZE - sizeof(struct slab)) / (sz + sizeof(uint16_t));

	while (slab_first(cap) + cap * sz > PAGE_SIZE)
		cap--;
	return MIN(cap, (unsigned int)HEAP_MAX_OBJS);
}

static void list_push(struct slab **head, struct slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static void list_remove(struct slab **head, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

static struct slab *slab_new(unsigned int cls)
{
	paddr_t page = palloc_alloc(1, 0);
	struct slab *s = (struct slab *)(uintptr_t)page;
	unsigned int cap = slab_capacity(cls);

	if (!page)
		return NULL;
	memset(s, 0, slab_first(cap));
	s->magic = HEAP_MAGIC_SLAB ^ page;
	s->cls = (uint16_t)cls;
	s->capacity = (uint16_t)cap;
	s->nfree = (uint16_t)cap;
	s->first = (uint16_t)slab_first(cap);
	list_push(&heap.partial[cls], s);
	heap.pages++;
	return s;
}

static unsigned int slab_free_slot(const struct slab *s)
{
	unsigned int i;

	for (i = 0; i < s->capacity; i++) {
		if (!(s->used[i / 64] & (1ull << (i % 64))))
			break;
	}
	return i;
}

static void *slab_alloc(size_t size)
{
	unsigned int cls = class_of(size), i;
	struct slab *s = heap.partial[cls];

	if (!s)
		s = slab_new(cls);
	if (!s)
		return NULL;
	i = slab_free_slot(s); /* s is on the partial list, so i < capacity */
	s->used[i / 64] |= 1ull << (i % 64);
	s->sizes[i] = (uint16_t)size;
	if (--s->nfree == 0)
		list_remove(&heap.partial[cls], s);
	return (uint8_t *)s + s->first + (size_t)i * class_size(cls);
}

static void *large_alloc(size_t size)
{
	uint64_t pages = ((uint64_t)size + HEAP_LARGE_HDR + PAGE_SIZE - 1) / PAGE_SIZE;
	paddr_t page = palloc_alloc(pages, 0);
	struct large *l = (struct large *)(uintptr_t)page;

	if (!page)
		return NULL;
	l->magic = HEAP_MAGIC_LARGE ^ page;
	l->pages = pages;
	l->size = size;
	heap.pages += pages;
	return (uint8_t *)l + HEAP_LARGE_HDR;
}

void *heap_alloc(size_t size)
{
	void *p;

	/* The bound keeps the page arithmetic in large_alloc from overflowing. */
	if (!size || size > (size_t)UINT32_MAX * PAGE_SIZE)
		return NULL;
	p = size <= HEAP_MAX_SMALL ? slab_alloc(size) : large_alloc(size);
	if (!p)
		return NULL;
	memset(p, 0, size);
	heap.bytes += size;
	heap.live++;
	return p;
}

/* Slot index of ptr in s, or -1 if ptr is not a live object of s. */
static int slab_slot(const struct slab *s, uintptr_t ptr)
{
	uintptr_t start = (uintptr_t)s + s->first;
	size_t sz;
	uintptr_t i;

	if (s->cls >= HEAP_NCLASSES || ptr < start)
		return -1;
	sz = class_size(s->cls);
	i = (ptr - start) / sz;
	if ((ptr - start) % sz || i >= s->capacity)
		return -1;
	if (!(s->used[i / 64] & (1ull << (i % 64))))
		return -1; /* already free: a double free */
	return (int)i;
}

static void slab_release(struct slab *s, uintptr_t ptr)
{
	int i = slab_slot(s, ptr);

	if (i < 0)
		return;
	s->used[i / 64] &= ~(1ull << (i % 64));
	heap.bytes -= s->sizes[i];
	heap.live--;
	if (s->nfree++ == 0)
		list_push(&heap.partial[s->cls], s);
	if (s->nfree < s->capacity)
		return;
	/* Empty: give the page back, wiping the magic so stale frees miss. */
	list_remove(&heap.partial[s->cls], s);
	s->magic = 0;
	palloc_free((paddr_t)(uintptr_t)s, 1);
	heap.pages--;
}

static void large_release(struct large *l, uintptr_t ptr)
{
	uint64_t pages = l->pages;

	if (ptr != (uintptr_t)l + HEAP_LARGE_HDR)
		return;
	heap.bytes -= l->size;
	heap.live--;
	heap.pages -= pages;
	l->magic = 0;
	palloc_free((paddr_t)(uintptr_t)l, pages);
}

void heap_free(void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	uintptr_t page = ALIGN_DOWN(p, (uintptr_t)PAGE_SIZE);
	uint64_t magic;

	/* Everything handed out is 16-byte aligned and past a page header. */
	if (!ptr || (p & 15) || p == page)
		return;
	magic = *(const uint64_t *)page;
	if (magic == (HEAP_MAGIC_SLAB ^ page))
		slab_release((struct slab *)page, p);
	else if (magic == (HEAP_MAGIC_LARGE ^ page))
		large_release((struct large *)page, p);
}

void heap_get_stats(struct heap_stats *st)
{
	st->bytes_in_use = heap.bytes;
	st->live_allocations = heap.live;
	st->pages_held = heap.pages;
}

void heap_reset(void)
{
	memset(&heap, 0, sizeof(heap));
}
