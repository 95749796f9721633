/*
 * printk: formats straight into the UART, one character at a time, so no
 * buffer can overflow. A lock keeps lines from different CPUs apart once
 * secondaries run; before that (MMU off) exclusives are not used.
 */
#include <arx/console.h>
#include <arx/fmt.h>
#include <arx/irq.h>
#include <arx/spinlock.h>
#include <stdarg.h>

static paddr_t uart_base;
static const struct uart_ops *uart;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool use_lock;

void console_init(paddr_t base, const struct uart_ops *ops)
{
	uart_base = base;
	uart = ops;
}

void console_enable_lock(void)
{
	use_lock = true;
}

static void uart_sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	if (!uart)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart->putc(uart_base, '\r');
		uart->putc(uart_base, s[i]);
	}
}

void printk(const char *fmt, ...)
{
	va_list ap;
	uint64_t flags = 0;
	if (use_lock)
		flags = spin_lock_irqsave(&console_lock);
	va_start(ap, fmt);
	fmt_vformat(uart_sink, NULL, fmt, ap);
	va_end(ap);
	if (use_lock)
		spin_unlock_irqrestore(&console_lock, flags);
}

void printk_unlocked(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(uart_sink, NULL, fmt, ap);
	va_end(ap);
}

void console_putc(char c)
{
	uint64_t flags = spin_lock_irqsave(&console_lock);
	if (uart)
		uart->putc(uart_base, c);
	spin_unlock_irqrestore(&console_lock, flags);
}

static const struct console_input *input;

/*
 * Input flows only as fast as its reader takes it: when the reader is full,
 * the characters stay in the UART (and QEMU's or the line's own flow
 * control) and the receive interrupt is masked until the reader has room.
 */
static void uart_received(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	while (input->has_room()) {
		int c = uart->getc(uart_base);
		if (c < 0)
			return;
		input->deliver((char)c);
	}
	uart->set_rx_irq(uart_base, false);
}

void console_input_room(void)
{
	if (input && uart)
		uart->set_rx_irq(uart_base, true);
}

void console_start_input(unsigned int uart_irq, const struct console_input *in)
{
	input = in;
	if (!uart || !uart_irq)
		return;
	irq_register(uart_irq, uart_received, NULL);
	uart->set_rx_irq(uart_base, true);
	irq_enable(uart_irq);
}
