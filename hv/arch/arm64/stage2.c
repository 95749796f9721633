/*
 * Stage-2 tables: 4 KiB granule, IPA size from the CPU's PARange (capped at
 * 48 bits), starting at level 0 or 1 so that the root is one page. Table
 * pages come from the page allocator and are returned on destroy.
 */
#include <arch/pgtable.h>
#include <arch/sysreg.h>
#include <arx/page_alloc.h>
#include <arx/stage2.h>
#include <arx/string.h>

/* Stage-2 descriptor attributes. */
#define S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define S2_MEMATTR_DEVICE_nGnRE (0x1UL << 2)
#define S2_AP_RO (1UL << 6)
#define S2_AP_RW (3UL << 6)
#define S2_MEMATTR_MASK (0xfUL << 2)
#define S2_SW_FOREIGN (1UL << 55) /* software bit: another domain's page, mapped by the control domain */

#define VTCR_RES1 BIT(31)
#define VTCR_WBWA_INNER_SHAREABLE ((1UL << 8) | (1UL << 10) | (3UL << 12))

static unsigned int ipa_bits;
static unsigned int start_level;
static uint64_t vtcr;

void stage2_global_init(void)
{
	uint64_t ps = MIN(read_sysreg(id_aa64mmfr0_el1) & 0xf, 5UL);
	ipa_bits = pa_range_bits();
	if (ipa_bits > 48)
		ipa_bits = 48;
	/* SL0: 1 = start at level 1 (up to 39 bits), 2 = level 0 (40 bits and more). */
	start_level = ipa_bits > 39 ? 0 : 1;
	uint64_t sl0 = start_level == 0 ? 2 : 1;
	vtcr = VTCR_RES1 | (64 - ipa_bits) | (sl0 << 6) | VTCR_WBWA_INNER_SHAREABLE | (ps << 16);
	stage2_cpu_init();
}

void stage2_cpu_init(void)
{
	write_sysreg(vtcr_el2, vtcr);
	isb();
}

unsigned int stage2_ipa_bits(void)
{
	return ipa_bits;
}

static uint64_t *alloc_zeroed_table(void)
{
	paddr_t pa = palloc_alloc(1, PAGE_SIZE);
	if (!pa)
		return NULL;
	memset((void *)pa, 0, PAGE_SIZE);
	return (uint64_t *)pa;
}

int stage2_init(struct stage2 *s2, uint16_t vmid)
{
	s2->root = alloc_zeroed_table();
	if (!s2->root)
		return -1;
	s2->table_pages = 1;
	s2->vttbr = ((uint64_t)vmid << 48) | (uint64_t)s2->root;
	return 0;
}

static struct stage2 *counting; /* table pages are charged to this stage-2 */

static uint64_t *alloc_counted_table(void)
{
	uint64_t *t = alloc_zeroed_table();
	if (t && counting)
		counting->table_pages++;
	return t;
}

static uint64_t attrs_for(enum s2_type type)
{
	switch (type) {
	case S2_RAM:
		return PTE_AF | S2_AP_RW | S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
	case S2_RAM_RO:
		return PTE_AF | S2_AP_RO | S2_MEMATTR_NORMAL_WB | PTE_SH_INNER | PTE_XN;
	case S2_FOREIGN:
		return PTE_AF | S2_AP_RW | S2_MEMATTR_NORMAL_WB | PTE_SH_INNER | S2_SW_FOREIGN;
	default:
		return PTE_AF | S2_AP_RW | S2_MEMATTR_DEVICE_nGnRE | PTE_XN;
	}
}

int stage2_map(struct stage2 *s2, paddr_t ipa, paddr_t pa, uint64_t size, enum s2_type type)
{
	if (ipa + size < ipa || ipa + size > (1UL << ipa_bits))
		return -1;
	struct pgtable pt = { s2->root, start_level, alloc_counted_table };
	counting = s2; /* boot-time only for now: no concurrent mappers */
	int r = pgtable_map(&pt, ipa, pa, size, attrs_for(type));
	counting = NULL;
	return r;
}

/* The leaf descriptor mapping ipa and the size it covers (as a shift); 0 if none. */
static uint64_t lookup(const struct stage2 *s2, paddr_t ipa, unsigned int *shift)
{
	const uint64_t *table = s2->root;
	for (unsigned int level = start_level; level <= 3; level++) {
		*shift = 12 + 9 * (3 - level);
		uint64_t e = table[(ipa >> *shift) & 511];
		if (!(e & PTE_VALID))
			return 0;
		if (level == 3 || !(e & PTE_TABLE))
			return e;
		table = (const uint64_t *)(e & PTE_ADDR_MASK);
	}
	return 0;
}

bool stage2_ipa_to_pa(const struct stage2 *s2, paddr_t ipa, paddr_t *pa)
{
	unsigned int shift;
	if (ipa >= (1UL << ipa_bits))
		return false;
	uint64_t e = lookup(s2, ipa, &shift);
	if (!e || (e & S2_MEMATTR_MASK) != S2_MEMATTR_NORMAL_WB)
		return false; /* unmapped, or a device page: not guest memory */
	uint64_t mask = (1UL << shift) - 1;
	*pa = (e & PTE_ADDR_MASK & ~mask) | (ipa & mask);
	return true;
}

bool stage2_translate(struct stage2 *s2, paddr_t ipa, bool write, paddr_t *pa)
{
	unsigned int shift;
	if (ipa >= (1UL << ipa_bits))
		return false;
	uint64_t e = lookup(s2, ipa, &shift);
	if (!e || (e & S2_MEMATTR_MASK) != S2_MEMATTR_NORMAL_WB)
		return false;
	if (write && (e & S2_AP_RW) != S2_AP_RW)
		return false; /* a read-only grant: the guest may not write it, nor make arx do so */
	uint64_t mask = (1UL << shift) - 1;
	*pa = (e & PTE_ADDR_MASK & ~mask) | (ipa & mask);
	return true;
}

bool stage2_foreign_page(const struct stage2 *s2, paddr_t ipa, paddr_t *pa)
{
	unsigned int shift;
	if (ipa >= (1UL << ipa_bits))
		return false;
	uint64_t e = lookup(s2, ipa, &shift);
	if (!e || !(e & S2_SW_FOREIGN) || shift != 12)
		return false;
	*pa = e & PTE_ADDR_MASK;
	return true;
}

/*
 * Drops TLB entries for ipa in s2's address space on every CPU. TLBI names
 * the VMID through VTTBR_EL2, so s2's is loaded for the moment if this CPU
 * runs another domain.
 */
static void invalidate_ipa(const struct stage2 *s2, paddr_t ipa)
{
	uint64_t old = read_sysreg(vttbr_el2);
	if (old != s2->vttbr) {
		write_sysreg(vttbr_el2, s2->vttbr);
		isb();
	}
	dsb(ishst);
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(ipa >> 12) : "memory");
	dsb(ish);
	/* Combined stage-1+2 entries are not tagged by IPA: drop the VMID's. */
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
	if (old != s2->vttbr) {
		write_sysreg(vttbr_el2, old);
		isb();
	}
}

/* A table mapping what the block entry *e mapped, in 512 pieces of the next level. */
static uint64_t *split_block(uint64_t e, unsigned int level)
{
	uint64_t *t = alloc_zeroed_table();
	if (!t)
		return NULL;
	uint64_t child = 1UL << (12 + 9 * (2 - level));
	uint64_t attrs = e & ~PTE_ADDR_MASK & ~(PTE_VALID | PTE_TABLE);
	paddr_t base = e & PTE_ADDR_MASK & ~(child * 512 - 1);
	uint64_t type = level + 1 == 3 ? PTE_TABLE : 0; /* level-3 pages use the table bit */
	for (unsigned int i = 0; i < 512; i++)
		t[i] = (base + i * child) | attrs | PTE_VALID | type;
	return t;
}

/* The level-3 entry for ipa: tables are added and blocks split on the way (s2->lock held). */
static uint64_t *leaf_entry(struct stage2 *s2, paddr_t ipa)
{
	uint64_t *table = s2->root;
	for (unsigned int level = start_level; level < 3; level++) {
		uint64_t *e = &table[(ipa >> (12 + 9 * (3 - level))) & 511];
		if (!(*e & PTE_VALID) || !(*e & PTE_TABLE)) {
			uint64_t *t = (*e & PTE_VALID) ? split_block(*e, level) : alloc_zeroed_table();
			if (!t)
				return NULL;
			s2->table_pages++;
			if (*e & PTE_VALID) { /* break before make */
				*e = 0;
				invalidate_ipa(s2, ipa);
			}
			*e = (uint64_t)t | PTE_VALID | PTE_TABLE;
			dsb(ishst);
		}
		table = (uint64_t *)(*e & PTE_ADDR_MASK);
	}
	return &table[(ipa >> 12) & 511];
}

/*
 * Drops every TLB entry tagged with this domain's VMID, on all CPUs, so the
 * VMID can be given to another domain. VTTBR_EL2 names the VMID for the
 * TLBI, so it is switched for a moment (this CPU may have a guest loaded).
 */
static void flush_vmid(const struct stage2 *s2)
{
	uint64_t old = read_sysreg(vttbr_el2);
	write_sysreg(vttbr_el2, s2->vttbr);
	isb();
	dsb(ishst);
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, old);
	isb();
}

/* Unmaps whose TLB entries were left to drop later, all at once (s2->lock held). */
static void sync_deferred(struct stage2 *s2)
{
	if (s2->flush_pending) {
		s2->flush_pending = false;
		flush_vmid(s2);
	}
}

static int set_page(struct stage2 *s2, paddr_t ipa, uint64_t desc, bool defer)
{
	if (!IS_ALIGNED(ipa, PAGE_SIZE) || ipa >= (1UL << ipa_bits))
		return -1;
	spin_lock(&s2->lock);
	uint64_t *e = leaf_entry(s2, ipa);
	if (!defer)
		sync_deferred(s2); /* before anything new goes where an old page may linger */
	if (e && (*e & PTE_VALID)) {
		*e = 0;
		if (defer)
			s2->flush_pending = true;
		else
			invalidate_ipa(s2, ipa);
	}
	if (e) {
		*e = desc;
		dsb(ishst);
	}
	spin_unlock(&s2->lock);
	return e ? 0 : -1;
}

int stage2_map_page(struct stage2 *s2, paddr_t ipa, paddr_t pa, enum s2_type type)
{
	if (!IS_ALIGNED(pa, PAGE_SIZE))
		return -1;
	return set_page(s2, ipa, pa | attrs_for(type) | PTE_VALID | PTE_TABLE, false);
}

int stage2_unmap_page(struct stage2 *s2, paddr_t ipa)
{
	return set_page(s2, ipa, 0, false);
}

int stage2_unmap_page_deferred(struct stage2 *s2, paddr_t ipa)
{
	return set_page(s2, ipa, 0, true);
}

void stage2_sync(struct stage2 *s2)
{
	spin_lock(&s2->lock);
	sync_deferred(s2);
	spin_unlock(&s2->lock);
}

bool stage2_fault_is_stale(struct stage2 *s2, paddr_t ipa)
{
	unsigned int shift;
	if (ipa >= (1UL << ipa_bits))
		return false;
	spin_lock(&s2->lock); /* waits out a change in progress */
	bool mapped = lookup(s2, ipa, &shift) != 0;
	spin_unlock(&s2->lock);
	return mapped;
}

static void free_tables(uint64_t *table, unsigned int level)
{
	for (unsigned int i = 0; level < 3 && i < 512; i++) {
		uint64_t e = table[i];
		if ((e & PTE_VALID) && (e & PTE_TABLE))
			free_tables((uint64_t *)(e & PTE_ADDR_MASK), level + 1);
	}
	palloc_free((paddr_t)table, 1);
}

void stage2_destroy(struct stage2 *s2)
{
	if (s2->root) {
		flush_vmid(s2);
		free_tables(s2->root, start_level);
	}
	s2->root = NULL;
	s2->table_pages = 0;
}

void stage2_load(const struct stage2 *s2)
{
	write_sysreg(vttbr_el2, s2->vttbr);
	isb();
}
