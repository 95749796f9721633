/*
 * A minimal stage-1 MMU for the cases that need one (testos otherwise runs
 * with the MMU off). TTBR0 identity-maps the first 512 GiB in 1 GiB blocks:
 * the GiB blocks that hold RAM as Normal memory (non-cacheable, as SCTLR.C
 * stays 0), the rest as Device-nGnRnE and never executable. TTBR1 (the top
 * 512 GiB of the address space) is the caller's: a level-1 table of its
 * own, or any address at all.
 */
#ifndef TESTOS_MMU_H
#define TESTOS_MMU_H

#include <arx/types.h>

#define MMU_TTBR1_BASE 0xffffff8000000000UL	/* with 39-bit (T1SZ = 25) upper VAs */
#define MMU_L1_SHIFT 30
#define MMU_L2_SHIFT 21

/* Descriptor bits (VMSAv8-64, 4 KiB granule). */
#define MMU_BLOCK 0x1UL
#define MMU_TABLE 0x3UL
#define MMU_PAGE 0x3UL
#define MMU_ATTR_DEVICE (0UL << 2)	/* MAIR index 0 */
#define MMU_ATTR_NORMAL_NC (1UL << 2)	/* MAIR index 1 */
#define MMU_AF (1UL << 10)
#define MMU_XN (3UL << 53)		/* PXN and UXN */

/* A block or page mapping of `ipa` as Normal memory (executable). */
#define MMU_NORMAL(ipa) ((ipa) | MMU_AF | MMU_ATTR_NORMAL_NC)

/*
 * Turns the MMU on with the identity map in TTBR0 and `ttbr1` (a table's
 * address, or any value) in TTBR1. Everything testos uses keeps working.
 */
void mmu_on(uint64_t ttbr1);

/* Points TTBR1 elsewhere (and forgets the old translations). */
void mmu_set_ttbr1(uint64_t ttbr1);

/* Forgets all translations: after a change to a table in use. */
void mmu_flush(void);

/* Turns the MMU off again; harmless when it is off. */
void mmu_off(void);

#endif
