/* Guest virtual to intermediate physical addresses (hv/arch/arm64/guest_va.c). */
#ifndef ARX_GUEST_VA_H
#define ARX_GUEST_VA_H

#include "types.h"

/*
 * Translates va through the stage-1 tables of the guest whose vCPU is
 * loaded on this CPU, as its kernel would access it (EL1), for reading or
 * writing. False if the guest could not access it that way.
 */
bool guest_va_to_ipa(uint64_t va, bool write, paddr_t *ipa);

#endif
