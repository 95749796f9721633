/*
 * Kernel command lines (hv/lib/cmdline.c): arx's own, from the host's
 * /chosen/bootargs, and the ones it gives Linux domains.
 */
#ifndef ARX_CMDLINE_H
#define ARX_CMDLINE_H

#include "types.h"

/*
 * The next space-separated word from *pos on, its length in *len; *pos
 * moves past it. NULL when only spaces are left.
 */
const char *cmdline_next_word(const char **pos, size_t *len);

/* Whether w[0..len) is `name` alone or `name` then `sep` and more (sep: '=' for options). */
bool cmdline_is(const char *w, size_t len, const char *name, char sep);

#endif
