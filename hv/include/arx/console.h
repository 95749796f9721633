/* arx's own console output (the physical UART). */
#ifndef ARX_CONSOLE_H
#define ARX_CONSOLE_H

#include "types.h"

/* The UART used before the device tree is read, and when it names none. */
#define EARLY_UART_BASE 0x09000000UL

struct uart_ops {
	void (*putc)(paddr_t base, char c);
	int (*getc)(paddr_t base); /* -1 when nothing was received */
	void (*set_rx_irq)(paddr_t base, bool on);
};

/* Where typed characters go. */
struct console_input {
	bool (*has_room)(void);
	void (*deliver)(char c);
};

void console_init(paddr_t uart_base, const struct uart_ops *ops);
/* Serialise output between CPUs once more than one runs. */
void console_enable_lock(void);
/* One character of guest output, as it is (no newline translation). */
void console_putc(char c);
/* Starts taking input for `in` through the UART's receive interrupt. */
void console_start_input(unsigned int uart_irq, const struct console_input *in);
/* The input's reader has room again (after has_room said no). */
void console_input_room(void);
void printk(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* printk without the lock, for a crash dump on a CPU that may hold it. */
void printk_unlocked(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
