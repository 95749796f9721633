/* The PL011 UART driver (hv/drivers/pl011.c). */
#ifndef ARX_PL011_H
#define ARX_PL011_H

#include "console.h"

extern const struct uart_ops pl011_ops;

#endif
