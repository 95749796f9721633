/*
 * Console on the PL011: polled output, no initialisation (the loader or the
 * hypervisor's virtual UART has it ready, as for Linux's earlycon). A domain
 * without a PL011 but with Xen's hypercalls (one that Xen's toolstack
 * built) writes to the hypervisor's console with console_io instead.
 */
#include <arx/fmt.h>
#include <testos/console.h>
#include <testos/hypercall.h>
#include <testos/mmio.h>

#define HYPERVISOR_console_io 18
#define CONSOLEIO_write 0

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)	/* transmit FIFO full */

static uint64_t uart;
static bool console_io;

void console_init(uint64_t pl011_base, bool xen)
{
	uart = pl011_base;
	console_io = !uart && xen;
}

static void put_char(char c)
{
	while (readl(uart + UARTFR) & UARTFR_TXFF)
		;
	writel(uart + UARTDR, (uint8_t)c);
}

/* console_io, a run of text at a time; terminals want CR LF. */
static void hv_write(const char *s, size_t len)
{
	static const char crlf[] = "\r\n";
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		if (i > start)
			hypercall(HYPERVISOR_console_io, CONSOLEIO_write, i - start,
				  (uint64_t)(uintptr_t)(s + start), 0, 0);
		if (i < len)
			hypercall(HYPERVISOR_console_io, CONSOLEIO_write, 2, (uint64_t)(uintptr_t)crlf,
				  0, 0);
		start = i + 1;
	}
}

/* fmt_vformat's sink; terminals want CR LF. */
static void console_sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	if (console_io)
		hv_write(s, len);
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
