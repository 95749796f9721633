/*
 * SipHash-2-4 (Aumasson and Bernstein): a keyed hash that is a PRF, so
 * outputs given to one domain tell it nothing of the key or of the outputs
 * other domains get (hv/lib/siphash.c).
 */
#ifndef ARX_SIPHASH_H
#define ARX_SIPHASH_H

#include "types.h"

uint64_t siphash24(const uint64_t key[2], const void *msg, size_t len);

#endif
