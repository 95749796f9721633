/* An emulated PL011 UART per domain (hv/vdev/vpl011.c). */
#ifndef ARX_VPL011_H
#define ARX_VPL011_H

#include "types.h"

struct domain;

/* Creates the domain's UART at GUEST_UART_BASE; -1 on failure. */
int vpl011_init(struct domain *d);
/* Whether the receive FIFO can take another character. */
bool vpl011_has_room(struct domain *d);
/* Input from the physical console for this domain's UART. */
void vpl011_receive(struct domain *d, char c);

#endif
