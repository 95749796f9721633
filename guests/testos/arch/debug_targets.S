/*
 * Code the debug cases point the hardware at: a breakpoint target, and an
 * ERET that starts a single step of exactly one instruction.
 */
#include <testos/asm.h>

	.text
FUNC(debug_bp_target)
	nop
	ret
ENDFUNC(debug_bp_target)

/*
 * debug_step_one(spsr): returns to EL1 with PSTATE = spsr (SS set, D clear),
 * so the step machine is active-not-pending: debug_step_insn runs, then the
 * software step exception comes with ELR = debug_step_after.
 */
FUNC(debug_step_one)
	adr	x1, debug_step_insn
	msr	elr_el1, x1
	msr	spsr_el1, x0
	eret
	.globl	debug_step_insn
debug_step_insn:
	add	x0, x0, #1
	.globl	debug_step_after
debug_step_after:
	ret
ENDFUNC(debug_step_one)

/*
 * debug_step_load(spsr, addr): the same over one load from addr, which a
 * hypervisor may emulate (a device register): the step must still end
 * right after it, at debug_step_load_after.
 */
FUNC(debug_step_load)
	adr	x2, debug_step_load_insn
	msr	elr_el1, x2
	msr	spsr_el1, x0
	eret
debug_step_load_insn:
	ldr	w0, [x1]
	.globl	debug_step_load_after
debug_step_load_after:
	ret
ENDFUNC(debug_step_load)
