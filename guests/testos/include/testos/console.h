/* Console output on the PL011, with printf through hv/lib/fmt.c. */
#ifndef TESTOS_CONSOLE_H
#define TESTOS_CONSOLE_H

#include <stdarg.h>
#include <arx/types.h>

/* Until this is called (with a non-zero base) output is dropped. */
/* Output goes to the PL011, or with none on a Xen hypervisor, to its console_io. */
void console_init(uint64_t pl011_base, bool xen);

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vprintf(const char *fmt, va_list ap);

#endif
