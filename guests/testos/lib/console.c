/*
 * Console on the PL011: polled output, no initialisation (the loader or the
 * hypervisor's virtual UART has it ready, as for Linux's earlycon).
 */
#include <arx/fmt.h>
#include <testos/console.h>
#include <testos/mmio.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)	/* transmit FIFO full */

static uint64_t uart;

void console_init(uint64_t pl011_base)
{
	uart = pl011_base;
}

static void put_char(char c)
{
	while (readl(uart + UARTFR) & UARTFR_TXFF)
		;
	writel(uart + UARTDR, (uint8_t)c);
}

/* fmt_vformat's sink; terminals want CR LF. */
static void console_sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	if (!uart)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put_char('\r');
		put_char(s[i]);
	}
}

int vprintf(const char *fmt, va_list ap)
{
	return (int)fmt_vformat(console_sink, NULL, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
