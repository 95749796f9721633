/* ARM PL011 UART, transmit side: arx's console. */
#include <arch/mmio.h>
#include <arx/console.h>
#include <arx/pl011.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIMSC 0x38
#define FR_RXFE (1u << 4) /* receive FIFO empty */
#define FR_TXFF (1u << 5) /* transmit FIFO full */
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

static void pl011_putc(paddr_t base, char c)
{
	while (mmio_read32(base + UARTFR) & FR_TXFF)
		;
	mmio_write32(base + UARTDR, (uint8_t)c);
}

static int pl011_getc(paddr_t base)
{
	if (mmio_read32(base + UARTFR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(base + UARTDR) & 0xff);
}

static void pl011_set_rx_irq(paddr_t base, bool on)
{
	mmio_write32(base + UARTIMSC, on ? INT_RX | INT_RT : 0);
}

const struct uart_ops pl011_ops = {
	.putc = pl011_putc,
	.getc = pl011_getc,
	.set_rx_irq = pl011_set_rx_irq,
};
