/* Which console a Linux kernel command line gives the domain (hv/lib/linux_console.c). */
#ifndef ARX_LINUX_CONSOLE_H
#define ARX_LINUX_CONSOLE_H

#include "types.h"

/*
 * Whether Linux, booted with this command line in a domain arx builds,
 * makes the PL011 its console and is not asked for hvc0: console=ttyAMA0
 * without console=hvc0, or no console= at all (/chosen/stdout-path names
 * the PL011). Such a domain gets no PV console.
 */
bool linux_console_is_pl011(const char *cmdline);

#endif
