/*
 * EL1/EL0 registers that live in the physical CPU: breakpoint and
 * watchpoint values, PMU selection and event types, context and thread IDs.
 * A hypervisor that shares a physical CPU between domains must switch (or
 * trap) every one of them, or a domain sees, and changes, another's. Two
 * testos domains use this to watch for that: each writes values carrying
 * its own 16-bit signature and checks, later, that they are still there.
 */
#ifndef TESTOS_CPU_STATE_H
#define TESTOS_CPU_STATE_H

#include <arx/types.h>

#define CPU_STATE_SIG_CANARY 0xca9a
#define CPU_STATE_SIG_ATTACKER 0xa77a

/* Writes every register with a value that carries `sig`. */
void cpu_state_write(uint16_t sig);

/*
 * NULL when every register holds what cpu_state_write(sig) put there;
 * otherwise buf, saying which one holds what instead. Every such register
 * is also listed in a line `# prefix: ...`.
 */
const char *cpu_state_check(uint16_t sig, const char *prefix, char *buf, size_t size);

/* NULL when no register holds a value carrying `sig`; otherwise the same as above. */
const char *cpu_state_find(uint16_t sig, const char *prefix, char *buf, size_t size);

#endif
