/*
 * arx's console output: printk, the domains' vPL011 output and arx's own
 * console share the physical UART through the mux (console_mux.c), which
 * tags each line with its source. Characters go to the UART one at a time;
 * the mux holds back at most a line per domain, so no guest can hold
 * others up with a line that never ends. A lock keeps one printk, or one
 * character with its tag, in one piece once secondaries run; before that
 * (MMU off) exclusives are not used.
 */
#include <arx/console.h>
#include <arx/console_mux.h>
#include <arx/fmt.h>
#include <arx/spinlock.h>
#include <stdarg.h>

static paddr_t uart_base;
static const struct uart_ops *uart;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool use_lock;

static void uart_emit(const char *s, size_t len)
{
	if (!uart)
		return;
	for (size_t i = 0; i < len; i++)
		uart->putc(uart_base, s[i]);
}

static struct console_mux mux = CONSOLE_MUX_INIT(uart_emit);

void console_init(paddr_t base, const struct uart_ops *ops)
{
	uart_base = base;
	uart = ops;
}

void console_enable_lock(void)
{
	use_lock = true;
}

static uint64_t console_lock_take(void)
{
	return use_lock ? spin_lock_irqsave(&console_lock) : 0;
}

static void console_lock_give(uint64_t flags)
{
	if (use_lock)
		spin_unlock_irqrestore(&console_lock, flags);
}

/* arx's own messages, kept for the control domain's `xl dmesg` (sysctl readconsole). */
#define LOG_SIZE (64 * 1024)
static char log_ring[LOG_SIZE];
static uint64_t log_written; /* bytes ever logged: the ring holds the last LOG_SIZE */

size_t console_log_read(uint64_t *pos, char *buf, size_t len)
{
	uint64_t flags = console_lock_take();
	uint64_t from = *pos;
	if (log_written - from > LOG_SIZE || from > log_written)
		from = log_written > LOG_SIZE ? log_written - LOG_SIZE : 0; /* the oldest kept */
	size_t n = 0;
	for (; n < len && from + n < log_written; n++)
		buf[n] = log_ring[(from + n) % LOG_SIZE];
	*pos = from + n;
	console_lock_give(flags);
	return n;
}

/* printk's text ends its lines with '\n'; the terminal wants "\r\n". */
static void arx_sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		log_ring[log_written++ % LOG_SIZE] = s[i];
		if (s[i] == '\n')
			mux_putc(&mux, MUX_ARX, '\r');
		mux_putc(&mux, MUX_ARX, s[i]);
	}
}

void printk(const char *fmt, ...)
{
	va_list ap;
	uint64_t flags = console_lock_take();
	mux_flush(&mux); /* what guests printed before this comes before it */
	va_start(ap, fmt);
	fmt_vformat(arx_sink, NULL, fmt, ap);
	va_end(ap);
	console_lock_give(flags);
}

void printk_unlocked(const char *fmt, ...)
{
	va_list ap;
	mux_flush(&mux);
	va_start(ap, fmt);
	fmt_vformat(arx_sink, NULL, fmt, ap);
	va_end(ap);
}

void console_guest_putc(unsigned int domid, char c)
{
	uint64_t flags = console_lock_take();
	mux_guest_putc(&mux, domid, c);
	console_lock_give(flags);
}

void console_set_live(unsigned int domid)
{
	uint64_t flags = console_lock_take();
	mux_set_live(&mux, domid);
	console_lock_give(flags);
}

void console_show_live(void)
{
	uint64_t flags = console_lock_take();
	mux_flush_live(&mux);
	console_lock_give(flags);
}

void console_shell_write(const char *line, size_t len, const char *s)
{
	uint64_t flags = console_lock_take();
	mux.shell_line = line;
	mux.shell_len = len;
	mux_show(&mux, MUX_SHELL);
	for (; *s; s++)
		mux_putc(&mux, MUX_SHELL, *s);
	console_lock_give(flags);
}

int console_uart_getc(void)
{
	return uart ? uart->getc(uart_base) : -1;
}

bool console_uart_rx_enable(void)
{
	if (!uart)
		return false;
	uart->set_rx_irq(uart_base, true);
	return true;
}
