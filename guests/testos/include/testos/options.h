/*
 * Options on the kernel command line (`testos.bench=grant testos.name=a`):
 * each is `key=value`, the value running to the next blank.
 */
#ifndef TESTOS_OPTIONS_H
#define TESTOS_OPTIONS_H

#include <arx/types.h>

/*
 * The value of `option` (which ends in '=') in args: where it starts, and
 * (if len is not NULL) its length up to the next blank; NULL when absent.
 */
const char *boot_option(const char *args, const char *option, size_t *len);

/*
 * A decimal number at *p, before end, of at most 9 digits: the value in
 * *out and *p moved past it; false (nothing changed) if there is none.
 */
bool parse_decimal(const char **p, const char *end, uint64_t *out);

#endif
