/* Builds translation tables; see arch/pgtable.h. */
#include <arch/pgtable.h>

static unsigned int level_shift(unsigned int level)
{
	return 12 + 9 * (3 - level);
}

static uint64_t *next_table(struct pgtable *pt, uint64_t *entry)
{
	if (*entry & PTE_VALID) {
		if (!(*entry & PTE_TABLE))
			return NULL; /* a block is already there */
		return (uint64_t *)(*entry & PTE_ADDR_MASK);
	}
	uint64_t *table = pt->alloc_table();
	if (table)
		*entry = (uint64_t)table | PTE_VALID | PTE_TABLE;
	return table;
}

static bool can_use_block(unsigned int level, uint64_t va, paddr_t pa, uint64_t size)
{
	uint64_t block = 1UL << level_shift(level);
	if (level == 0)
		return false; /* no level-0 blocks with a 4 KiB granule */
	return size >= block && IS_ALIGNED(va, block) && IS_ALIGNED(pa, block);
}

static int map_level(struct pgtable *pt, uint64_t *table, unsigned int level, uint64_t va,
		     paddr_t pa, uint64_t size, uint64_t attrs)
{
	unsigned int shift = level_shift(level);
	while (size) {
		uint64_t *entry = &table[(va >> shift) & 511];
		uint64_t span = (1UL << shift) - (va & ((1UL << shift) - 1));
		uint64_t chunk = MIN(size, span);
		if (level == 3 || (can_use_block(level, va, pa, chunk) && !(*entry & PTE_VALID))) {
			if (*entry & PTE_VALID)
				return -1;
			*entry = pa | attrs | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
		} else {
			uint64_t *next = next_table(pt, entry);
			if (!next || map_level(pt, next, level + 1, va, pa, chunk, attrs))
				return -1;
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

int pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -1;
	return map_level(pt, pt->root, pt->start_level, va, pa, size, attrs);
}
