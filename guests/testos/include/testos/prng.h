/*
 * A small deterministic pseudo-random generator (splitmix64). The attack
 * cases and the canary draw their addresses, arguments and patterns from it
 * with fixed seeds, so every run tries exactly the same things and a
 * failure can be reproduced.
 */
#ifndef TESTOS_PRNG_H
#define TESTOS_PRNG_H

#include <arx/types.h>

struct prng {
	uint64_t state;
};

/* A 64-bit value that depends on every bit of x (splitmix64's finaliser). */
static inline uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

static inline uint64_t prng_next(struct prng *p)
{
	p->state += 0x9e3779b97f4a7c15UL;
	return mix64(p->state);
}

#endif
