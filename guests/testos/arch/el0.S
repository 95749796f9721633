/*
 * Down to EL0 for the debug cases (lib/el0.c brings the CPU back). The MMU
 * is off, so EL0 reaches all of testos's memory.
 */
#include <testos/asm.h>

	.text
/*
 * el0_enter(fn, arg, sp_el0, spsr): ERET to fn(arg) at EL0 on the stack
 * sp_el0, with PSTATE = spsr. fn returns to the SVC below, whose exception
 * el0_return() turns into a return from el0_run().
 */
FUNC(el0_enter)
	msr	elr_el1, x0
	msr	sp_el0, x2
	msr	spsr_el1, x3
	mov	x0, x1
	adr	x30, el0_svc_stub
	eret
el0_svc_stub:
	svc	#0
ENDFUNC(el0_enter)

/* EL0 code for the cases: a store to the address in x0, and a step target. */
FUNC(el0_store_self)
	str	x0, [x0]
	ret
ENDFUNC(el0_store_self)

FUNC(el0_step_target)
	add	x0, x0, #1
	.globl	el0_step_after
el0_step_after:
	ret
ENDFUNC(el0_step_target)
