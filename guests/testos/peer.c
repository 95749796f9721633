/*
 * Peer mode: `testos.peer=DOMID:SECONDS` (1 to 3600 s), in a domain with
 * `xen = 1`. testos grants domain DOMID PEER_REFS pages of its own, writable
 * (grant refs PEER_FIRST_REF on, each page filled with peer_pattern()), and
 * allocates PEER_PORTS unbound ports that DOMID may bind, masked, so that an
 * event sets the port's pending bit and never interrupts (the first free ports:
 * arx may have taken some for the domain's consoles). Then, for SECONDS of
 * counter time, it sleeps in WFI and wakes each second to see what DOMID did
 * with the offer: a page that no longer holds its pattern was written
 * (through a mapping or by a grant copy), a port whose pending bit is set was
 * bound and signalled.
 *
 *   # peer: domain 1 offers domain 3 grant refs 1-4 and ports 2 3 4 5 for 20 s
 *   peer alive 1 s: 0 of 4 pages written, 0 of 4 ports signalled
 *   ...
 *   peer done: 0 of 4 pages written, 0 of 4 ports signalled, by domain 3
 *   1 passed, 0 failed, 0 skipped
 *
 * Whether DOMID may use the offer is the access control policy's to decide,
 * so any count passes: a test reads the counts. `peer error: ...` and
 * `0 passed, 1 failed, 0 skipped` when testos could not make the offer.
 * Then PSCI SYSTEM_OFF.
 */
#include <testos/console.h>
#include <testos/options.h>
#include <testos/peer.h>
#include <testos/sleep.h>
#include <testos/timer.h>
#include "cases/xen.h"

#define PEER_OPTION "testos.peer="
#define PEER_MAX_SECONDS 3600u
#define WORDS_PER_PAGE (XEN_PAGE_SIZE / sizeof(uint64_t))

/* Only ever given to DOMID: nothing else in testos uses them. */
static uint8_t pages[PEER_REFS][XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint32_t ports[PEER_PORTS];

/* Another domain may write the pages at any time: every word is read anew. */
static volatile uint64_t *page_words(unsigned int i)
{
	return (volatile uint64_t *)pages[i];
}

static bool page_written(unsigned int i)
{
	for (uint32_t w = 0; w < WORDS_PER_PAGE; w++)
		if (page_words(i)[w] != peer_pattern(PEER_FIRST_REF + i, w))
			return true;
	return false;
}

/* The offer to `to`; NULL, or why it could not be made. */
static const char *offer(domid_t to)
{
	uint32_t port;

	if (!xen_ready() || !xen_grant_frame0())
		return "no Xen grant table here (a domain with xen = 1?)";
	if (to == xen_domid())
		return "that is this domain's own id";
	for (unsigned int i = 0; i < PEER_REFS; i++) {
		for (uint32_t w = 0; w < WORDS_PER_PAGE; w++)
			page_words(i)[w] = peer_pattern(PEER_FIRST_REF + i, w);
		xen_grant(PEER_FIRST_REF + i, GTF_permit_access, to,
			  (uint32_t)((uintptr_t)pages[i] >> XEN_PAGE_SHIFT));
	}
	for (unsigned int i = 0; i < PEER_PORTS; i++) {
		if (xen_alloc_unbound(DOMID_SELF, to, &port) != 0)
			return "alloc_unbound for it failed";
		/* Its upcall interrupt is never enabled, so nothing interrupts before this. */
		xen_set_mask(port, true);
		xen_clear_pending(port);
		ports[i] = port;
	}
	return NULL;
}

/* How many pages were written and ports signalled. */
static void look(unsigned int *written, unsigned int *signalled)
{
	*written = *signalled = 0;
	for (unsigned int i = 0; i < PEER_REFS; i++)
		*written += page_written(i);
	for (unsigned int i = 0; i < PEER_PORTS; i++)
		*signalled += xen_pending(ports[i]);
}

static void run(domid_t to, uint64_t seconds)
{
	const char *why = offer(to);
	uint64_t start = timer_now(), now;
	unsigned int written, signalled;

	if (why) {
		printf("peer error: %s\n", why);
		printf("0 passed, 1 failed, 0 skipped\n");
		return;
	}
	printf("# peer: domain %u offers domain %u grant refs %u-%u and ports", xen_domid(), to,
	       PEER_FIRST_REF, PEER_FIRST_REF + PEER_REFS - 1);
	for (unsigned int i = 0; i < PEER_PORTS; i++)
		printf(" %u", ports[i]);
	printf(" for %lu s\n", seconds);
	for (uint64_t s = 1; s <= seconds; s++) {
		now = timer_now();
		if (now < start + s * timer_freq())
			wfi_sleep_us((start + s * timer_freq() - now) * 1000000 / timer_freq());
		look(&written, &signalled);
		printf("peer alive %lu s: %u of %u pages written, %u of %u ports signalled\n", s,
		       written, PEER_REFS, signalled, PEER_PORTS);
	}
	printf("peer done: %u of %u pages written, %u of %u ports signalled, by domain %u\n",
	       written, PEER_REFS, signalled, PEER_PORTS, to);
	printf("1 passed, 0 failed, 0 skipped\n");
}

bool peer_run(const char *bootargs)
{
	size_t len;
	const char *p = boot_option(bootargs, PEER_OPTION, &len), *end;
	uint64_t to, seconds;

	if (!p)
		return false;
	end = p + len;
	if (!parse_decimal(&p, end, &to) || to >= DOMID_FIRST_RESERVED || p == end || *p++ != ':' ||
	    !parse_decimal(&p, end, &seconds) || seconds < 1 || seconds > PEER_MAX_SECONDS ||
	    p != end) {
		printf("peer error: testos.peer= takes DOMID:SECONDS, a domain id below %#x and "
		       "1 to %u s\n", DOMID_FIRST_RESERVED, PEER_MAX_SECONDS);
		printf("0 passed, 1 failed, 0 skipped\n");
		return true;
	}
	run((domid_t)to, seconds);
	return true;
}
