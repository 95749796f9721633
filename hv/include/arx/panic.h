/* Fatal errors in arx itself, and the crash report that goes with them. */
#ifndef ARX_PANIC_H
#define ARX_PANIC_H

#include "types.h"

/* Prints the message, a backtrace, stops the other CPUs and resets the system. */
NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Like panic, for bad input rather than a bug: a message, then SYSTEM_OFF. */
NORETURN void fatal_config(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Stops this CPU for good (the target of SGI_STOP). */
NORETURN void cpu_stop(void);
/* True once some CPU has panicked. */
bool panicking(void);
/* The reset after printing (arch code provides backtraces and the stop IPI). */
NORETURN void panic_finish(void);

/* Finds the function containing addr: returns its name and sets *offset; NULL if none. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);
/* The run-time address arx was loaded at (symbol offsets are relative to it). */
extern paddr_t arx_load_base;

#endif
