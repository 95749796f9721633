/* Arch-provided pieces of a crash report (hv/arch/arm64/crash.c). */
#ifndef ARX_CRASH_H
#define ARX_CRASH_H

#include "types.h"

/* Prints the call chain starting from the caller's frame. */
void backtrace_here(void);
/* Prints "name+0xoff" for a code address (or just the address). */
void print_symbol(uint64_t addr);

#endif
