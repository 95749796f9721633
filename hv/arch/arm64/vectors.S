/*
 * EL2 exception vectors. Every entry saves a struct trap_frame and calls
 * C: guest_trap(frame, vector) for exceptions from a guest (directly: that
 * is every guest exit), trap_dispatch(frame, vector) for arx's own. The C
 * side decides what happens, and the frame (possibly edited) is restored
 * on return.
 *
 * Synchronous exceptions taken at EL2 first check the stack: if it ran into
 * the guard page, saving a frame there would fault again forever, so the
 * CPU switches to its emergency stack and reports the overflow.
 */
#include <arch/asm.h>
#include <arch/trap_frame.h>
#include <arx/percpu.h>

.macro save_frame
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x0, sp, #FRAME_SIZE
	stp	x30, x0, [sp, #FRAME_X30]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #FRAME_ELR]
	mrs	x0, esr_el2
	mrs	x1, far_el2
	stp	x0, x1, [sp, #FRAME_ESR]
.endm

.macro vector_entry vec
	.balign 0x80
	save_frame
	mov	x1, #\vec
	b	dispatch
.endm

.macro guest_vector_entry vec
	.balign 0x80
	save_frame
	mov	x1, #\vec
	b	guest_dispatch
.endm

.macro el2_sync_entry
	.balign 0x80
	msr	sp_el0, x0			/* scratch: SP_EL0 is unused at EL2 */
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_STACK_LOW]
	add	x0, x0, #FRAME_SIZE
	cmp	sp, x0
	b.lo	stack_overflow
	mrs	x0, sp_el0
	b	el2_sync_stack_ok	/* the rest does not fit in the 32-instruction slot */
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.globl el2_vectors
el2_vectors:
	vector_entry (VEC_FROM_SP0 | VEC_SYNC)
	vector_entry (VEC_FROM_SP0 | VEC_IRQ)
	vector_entry (VEC_FROM_SP0 | VEC_FIQ)
	vector_entry (VEC_FROM_SP0 | VEC_SERROR)
	el2_sync_entry
	vector_entry VEC_IRQ
	vector_entry VEC_FIQ
	vector_entry VEC_SERROR
	guest_vector_entry (VEC_FROM_LOWER64 | VEC_SYNC)
	guest_vector_entry (VEC_FROM_LOWER64 | VEC_IRQ)
	guest_vector_entry (VEC_FROM_LOWER64 | VEC_FIQ)
	guest_vector_entry (VEC_FROM_LOWER64 | VEC_SERROR)
	guest_vector_entry (VEC_FROM_LOWER32 | VEC_SYNC)
	guest_vector_entry (VEC_FROM_LOWER32 | VEC_IRQ)
	guest_vector_entry (VEC_FROM_LOWER32 | VEC_FIQ)
	guest_vector_entry (VEC_FROM_LOWER32 | VEC_SERROR)

el2_sync_stack_ok:
	save_frame
	mov	x1, #VEC_SYNC
dispatch:
	mov	x0, sp
	bl	trap_dispatch
	b	exception_return

guest_dispatch:
	mov	x0, sp
	bl	guest_trap
exception_return:
	ldp	x0, x1, [sp, #FRAME_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #FRAME_X30]
	add	sp, sp, #FRAME_SIZE
	eret

/*
 * First entry into a guest: x0 = the vCPU's initial frame, x1 = the top of
 * this CPU's stack. The C stack is given up, and the frame copied to where
 * every later exit will save the guest's registers.
 */
FUNC(guest_enter)
	sub	sp, x1, #FRAME_SIZE
	mov	x2, sp
	mov	x3, #(FRAME_SIZE / 16)
1:	ldp	x4, x5, [x0], #16
	stp	x4, x5, [x2], #16
	subs	x3, x3, #1
	b.ne	1b
	b	exception_return
ENDFUNC(guest_enter)

stack_overflow:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_EMERGENCY_SP]
	mov	sp, x0
	mrs	x0, sp_el0
	save_frame
	mov	x0, sp
	bl	report_stack_overflow	/* never returns */
	b	halt
