/*
 * A domain's stage-2 translation (IPA -> PA), hv/arch/arm64/stage2.c.
 * The domain owns its tables; arx only ever maps memory it gave the domain
 * and the few device pages the domain may touch directly.
 */
#ifndef ARX_STAGE2_H
#define ARX_STAGE2_H

#include "types.h"

enum s2_type {
	S2_RAM, /* normal memory, RWX */
	S2_DEVICE, /* Device-nGnRE, RW, never executable */
};

struct stage2 {
	uint64_t *root;
	uint64_t vttbr; /* VMID and root, ready for VTTBR_EL2 */
	uint64_t table_pages; /* pages used by tables, for accounting */
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
/* Frees every table page (the mapped memory itself belongs to the caller). */
void stage2_destroy(struct stage2 *s2);
/* Makes this CPU translate through s2 (VTTBR_EL2). */
void stage2_load(const struct stage2 *s2);

#endif
