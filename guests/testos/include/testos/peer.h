/*
 * Peer mode (peer.c): `testos.peer=DOMID:SECONDS` in a domain with
 * `xen = 1`. testos offers domain DOMID what a front end offers its back
 * end, grant references to pages of its own and unbound event channel
 * ports, and watches for SECONDS whether they are used. Only the access
 * control policy then stands between DOMID and the offer: the case
 * attack_policy tries to use it, the benchmark `testos.bench=cross:ID`
 * uses it.
 */
#ifndef TESTOS_PEER_H
#define TESTOS_PEER_H

#include <arx/types.h>

#define PEER_FIRST_REF 1u	/* grant refs PEER_FIRST_REF .. + PEER_REFS - 1 */
#define PEER_REFS 4u
#define PEER_PORTS 4u		/* the first free ports, which it prints */

/* Word i (64 bits) of the page behind grant ref `ref`, as the peer fills it. */
static inline uint64_t peer_pattern(uint32_t ref, uint32_t i)
{
	return 0x9ee7000000000000UL | (uint64_t)ref << 32 | i;
}

/*
 * Runs the peer when the command line asks for it (printing its result and
 * the closing totals line) and returns true; returns false at once otherwise.
 */
bool peer_run(const char *bootargs);

#endif
