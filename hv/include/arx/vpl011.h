/* An emulated PL011 UART per domain (hv/vdev/vpl011.c). */
#ifndef ARX_VPL011_H
#define ARX_VPL011_H

#include "types.h"

struct domain;

/* Creates the domain's UART at GUEST_UART_BASE; -1 on failure. */
int vpl011_init(struct domain *d);
/*
 * A PL011 at base whose other end is a console ring at ring (PA of one of
 * the domain's pages) and event channel port (Xen's vpl011, served by
 * xenconsoled); interrupt intid. -1 if it has a UART already, or on failure.
 */
int vpl011_init_ring(struct domain *d, paddr_t base, unsigned int intid, paddr_t ring,
		     uint32_t port);
/* The ring's other end signalled (xen_lock held): look at the ring again. */
void vpl011_ring_event(struct domain *d);
/* Whether the receive FIFO can take another character. */
bool vpl011_has_room(struct domain *d);
/* Input from the physical console for this domain's UART. */
void vpl011_receive(struct domain *d, char c);

#endif
