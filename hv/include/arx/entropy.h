/*
 * Seeds for domains (hv/core/entropy.c): each domain's device tree gets a
 * kaslr-seed and an rng-seed, as QEMU gives a kernel it boots directly.
 * They are SipHash outputs under a key taken from the seed the host's
 * device tree carries, so no domain can learn another's seeds or the key.
 */
#ifndef ARX_ENTROPY_H
#define ARX_ENTROPY_H

#include "types.h"

/* Takes the key from the host's seed bytes (none: a weak key, said so at boot). */
void entropy_init(const void *seed, size_t len);
/* A fresh 64-bit value. */
uint64_t entropy_u64(void);

#endif
