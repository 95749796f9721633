/* Running a function at EL0 (lib/el0.c, arch/el0.S), for the debug cases. */
#ifndef TESTOS_EL0_H
#define TESTOS_EL0_H

#include <arx/types.h>

#define SPSR_EL0T_MASKED 0x3c0UL /* EL0t with D, A, I, F set: no interrupts at EL0 */

/* Runs fn(arg) at EL0 on the stack ending at sp_el0, with PSTATE = spsr; returns after it. */
void el0_run(void (*fn)(uint64_t), uint64_t arg, uint64_t sp_el0, uint64_t spsr);

/* From the EL0 synchronous vector: an SVC is the way back from el0_run (false if not one). */
struct trap_frame;
bool el0_return(struct trap_frame *f, uint64_t esr);

#endif
