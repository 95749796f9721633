/*
 * A domain's stage-2 translation (IPA -> PA), hv/arch/arm64/stage2.c.
 * The domain owns its tables; arx only ever maps memory it gave the domain
 * and the few device pages the domain may touch directly.
 */
#ifndef ARX_STAGE2_H
#define ARX_STAGE2_H

#include "spinlock.h"
#include "types.h"

enum s2_type {
	S2_RAM, /* normal memory, RWX */
	S2_DEVICE, /* Device-nGnRE, RW, never executable */
	S2_RAM_RO, /* normal memory, read-only, never executable (read-only grants) */
	S2_FOREIGN, /* another domain's page in the control domain's space, RW */
};

struct stage2 {
	uint64_t *root;
	uint64_t vttbr; /* VMID and root, ready for VTTBR_EL2 */
	uint64_t table_pages; /* pages used by tables, for accounting */
	bool flush_pending; /* unmapped pages may still be in TLBs (stage2_unmap_page_deferred) */
	spinlock_t lock; /* serialises changes made while the domain runs */
};

/* Sets up the per-CPU VTCR_EL2 value from the CPU's PARange; call once at boot. */
void stage2_global_init(void);
/* Every other CPU: VTCR_EL2 as computed by stage2_global_init. */
void stage2_cpu_init(void);
/* IPA bits every domain's space has. */
unsigned int stage2_ipa_bits(void);
int stage2_init(struct stage2 *s2, uint16_t vmid);
int stage2_map(struct stage2 *s2, paddr_t ipa, paddr_t pa, uint64_t size, enum s2_type type);
/* Translates an IPA of this domain; returns false if it is not mapped as RAM. */
bool stage2_ipa_to_pa(const struct stage2 *s2, paddr_t ipa, paddr_t *pa);
/* As stage2_ipa_to_pa, and for write only if the guest itself may write there. */
bool stage2_translate(struct stage2 *s2, paddr_t ipa, bool write, paddr_t *pa);
/*
 * While the domain runs: maps one 4 KiB page (replacing what was there,
 * splitting a block if needed) or unmaps it, and drops stale TLB entries on
 * every CPU. Other vCPUs may fault on the range for a moment (break before
 * make); stage2_fault_is_stale() tells the fault handler to retry.
 */
int stage2_map_page(struct stage2 *s2, paddr_t ipa, paddr_t pa, enum s2_type type);
int stage2_unmap_page(struct stage2 *s2, paddr_t ipa);
/*
 * Unmaps one page but leaves its TLB entries to be dropped later, all of
 * the VMID's at once: before the next change to this stage-2 maps anything,
 * or at stage2_sync. Only for a foreign page the control domain unmaps:
 * its owner cannot be freed before stage2_sync, so a stale entry reaches
 * only a page dom0 could map again anyway. (A page a guest gives back must
 * fault at once: guests rely on that.) Linux unmaps page by page, and each
 * broadcast TLB invalidation costs, most of all under emulation.
 */
int stage2_unmap_page_deferred(struct stage2 *s2, paddr_t ipa);
void stage2_sync(struct stage2 *s2);
/* The page at ipa if it is a foreign mapping (S2_FOREIGN), else false. */
bool stage2_foreign_page(const struct stage2 *s2, paddr_t ipa, paddr_t *pa);
/* A translation fault at ipa that a concurrent stage2_map_page has since mended. */
bool stage2_fault_is_stale(struct stage2 *s2, paddr_t ipa);
/* Frees every table page (the mapped memory itself belongs to the caller). */
void stage2_destroy(struct stage2 *s2);
/* Makes this CPU translate through s2 (VTTBR_EL2). */
void stage2_load(const struct stage2 *s2);

#endif
