/*
 * arx's console: the physical UART, shared by arx's messages, the domains'
 * output (each line tagged with its domain) and arx's own console, which
 * Ctrl-\\ gives the input to in turn with each domain (console_input.c).
 */
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

void console_init(paddr_t uart_base, const struct uart_ops *ops);
/* Serialise output between CPUs once more than one runs. */
void console_enable_lock(void);
void printk(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* printk without the lock, for a crash dump on a CPU that may hold it. */
void printk_unlocked(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* One character a domain printed, as it is; its lines get its tag "(dN) ". */
void console_guest_putc(unsigned int domid, char c);
/*
 * The domain with the input focus (CONSOLE_NO_DOMAIN: none) is shown character by
 * character; the others a line at a time, so their lines do not mix.
 * console_show_live then shows what it held back until now (its prompt).
 */
#define CONSOLE_NO_DOMAIN 0xfffffffdu /* MUX_NONE: domain ids start at 0 */
void console_set_live(unsigned int domid);
void console_show_live(void);
/*
 * Writes s for arx's console, whose prompt line holds line[0..len) so far;
 * prompt and line are drawn again first if other output took the screen.
 */
void console_shell_write(const char *line, size_t len, const char *s);

/* Takes input from the UART's receive interrupt; the first live domain has the focus. */
void console_start_input(unsigned int uart_irq);
/* A domain's vPL011 has room again after it was full (called with its lock held). */
void console_input_room(void);
/* For console_input.c: a received character (-1: none), the receive interrupt on. */
int console_uart_getc(void);
bool console_uart_rx_enable(void);

/*
 * arx's log (its own messages, not the domains'): copies up to len bytes
 * from byte *pos on (or from the oldest kept, if that is gone) and moves
 * *pos past them; returns how many.
 */
size_t console_log_read(uint64_t *pos, char *buf, size_t len);

#endif
