/*
 * A minimal setjmp/longjmp (arch/jump.S), so the runner can abandon a case
 * that took an unexpected exception and go on with the next one.
 */
#ifndef TESTOS_JUMP_H
#define TESTOS_JUMP_H

#include <arx/types.h>

/* x19..x30 and sp: what a function call must preserve (no FP registers in testos). */
struct jump_buf {
	uint64_t regs[13];
};

/* Returns 0 when called, 1 when resumed by jump_resume. */
int jump_save(struct jump_buf *buf) __attribute__((returns_twice));
NORETURN void jump_resume(struct jump_buf *buf);

#endif
