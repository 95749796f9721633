/*
 * VMSAv8-64 translation tables, 4 KiB granule. One builder serves both the
 * EL2 stage-1 tables and (later) each domain's stage-2 tables: the caller
 * supplies the attribute bits and where table pages come from.
 */
#ifndef ARCH_PGTABLE_H
#define ARCH_PGTABLE_H

#include <arx/types.h>

#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1) /* at levels 0-2: next-level table; at level 3: page */
#define PTE_AF BIT(10)
#define PTE_SH_INNER (3UL << 8)
#define PTE_XN BIT(54)
#define PTE_ADDR_MASK 0x0000fffffffff000UL

/* Stage-1 (EL2) attributes: MAIR index and access permission. */
#define PTE_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_AP_RO BIT(7)
#define PTE_AP1 BIT(6) /* RES1 in the EL2 regime */

#define MAIR_IDX_DEVICE 0 /* Device-nGnRE */
#define MAIR_IDX_NORMAL 1 /* Normal, write-back read/write-allocate */
#define MAIR_EL2_VALUE ((0x04UL << (8 * MAIR_IDX_DEVICE)) | (0xffUL << (8 * MAIR_IDX_NORMAL)))

struct pgtable {
	uint64_t *root;
	unsigned int start_level; /* 0 for a 48-bit space */
	/* Returns a zeroed, page-aligned table page (VA == PA), or NULL. */
	uint64_t *(*alloc_table)(void);
};

/*
 * Maps [va, va+size) to pa with the given attribute bits (everything but the
 * descriptor type and address), using 1 GiB and 2 MiB blocks where aligned.
 * Fails with -1 if part of the range is already mapped or tables run out.
 */
int pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs);

#endif
