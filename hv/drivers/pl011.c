/* ARM PL011 UART, transmit side: arx's console. */
#include <arch/mmio.h>
#include <arx/console.h>
#include <arx/pl011.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define FR_TXFF (1u << 5) /* transmit FIFO full */

static void pl011_putc(paddr_t base, char c)
{
	while (mmio_read32(base + UARTFR) & FR_TXFF)
		;
	mmio_write32(base + UARTDR, (uint8_t)c);
}

const struct uart_ops pl011_ops = { .putc = pl011_putc };
