/*
 * A minimal way down to EL0 and back, for the debug cases that need code
 * running at EL0. The MMU is off, so EL0 reaches all of testos's memory.
 *
 * el0_run(fn, arg, sp_el0, spsr): runs fn(arg) at EL0 on the stack sp_el0,
 * with PSTATE from spsr (EL0t; the caller may set SS to single-step its
 * first instruction). fn returns to a stub whose SVC comes back to EL1,
 * where el0_return (exception.c) resumes at el0_resume, on the stack as it
 * was at the ERET, and the callee-saved registers are put back.
 */
#include <testos/asm.h>

	.text
FUNC(el0_run)
	stp	x29, x30, [sp, #-112]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x4, daif
	str	x4, [sp, #96]
	msr	elr_el1, x0
	msr	sp_el0, x2
	msr	spsr_el1, x3
	mov	x0, x1
	adr	x30, el0_svc_stub
	eret

el0_svc_stub:
	svc	#0

	.globl	el0_resume
el0_resume:
	ldr	x4, [sp, #96]
	msr	daif, x4
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	ret
ENDFUNC(el0_run)

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
