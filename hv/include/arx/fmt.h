/*
 * printf-style formatting, free of undefined behaviour for any argument list
 * that matches the format (the compiler checks that through PRINTF_LIKE).
 *
 * Supported: %d %i %u %x %X %o %p %s %c %%; flags '-', '0', ' ', '+', '#';
 * field width and precision (numbers or '*'); length modifiers hh h l ll z t.
 * Unknown conversions are printed literally. %s with NULL prints "(null)".
 */
#ifndef ARX_FMT_H
#define ARX_FMT_H

#include <stdarg.h>
#include "types.h"

/* A sink receives the formatted characters one run at a time. */
typedef void (*fmt_sink_t)(void *ctx, const char *s, size_t len);

/* Formats into sink; returns the number of characters produced. */
size_t fmt_vformat(fmt_sink_t sink, void *ctx, const char *fmt, va_list ap);

/*
 * Like C's snprintf: always NUL-terminates when size > 0, returns the length
 * the full output would have had.
 */
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
