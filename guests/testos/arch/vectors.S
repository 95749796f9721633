/*
 * EL1 exception vectors. Every entry saves the interrupted state as a
 * struct trap_frame (exception.h) on the current stack and calls
 * exception_entry(frame, vector number 0..15), which decides what happens;
 * the frame's ELR/SPSR (possibly changed, to skip an expected fault) are
 * restored on the way out.
 */
#include <testos/asm.h>

#define FRAME_SIZE (34 * 8)	/* x0..x30, sp, elr, spsr */
#define FRAME_SP (31 * 8)
#define FRAME_ELR (32 * 8)
#define FRAME_SPSR (33 * 8)

	.section .text.vectors, "ax"
	.balign	2048
	.globl	exception_vectors
exception_vectors:
	/* 4 groups (EL1 with SP0, EL1 with SP1, EL0 AArch64, EL0 AArch32) x sync/IRQ/FIQ/SError */
	.irp	vector, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\vector
	b	exception_common
	.endr

exception_common:
	stp	x2, x3, [sp, #2 * 8]
	stp	x4, x5, [sp, #4 * 8]
	stp	x6, x7, [sp, #6 * 8]
	stp	x8, x9, [sp, #8 * 8]
	stp	x10, x11, [sp, #10 * 8]
	stp	x12, x13, [sp, #12 * 8]
	stp	x14, x15, [sp, #14 * 8]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #18 * 8]
	stp	x20, x21, [sp, #20 * 8]
	stp	x22, x23, [sp, #22 * 8]
	stp	x24, x25, [sp, #24 * 8]
	stp	x26, x27, [sp, #26 * 8]
	stp	x28, x29, [sp, #28 * 8]
	add	x2, sp, #FRAME_SIZE		/* sp before the exception */
	stp	x30, x2, [sp, #30 * 8]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #FRAME_ELR]
	mov	x0, sp
	bl	exception_entry
	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #2 * 8]
	ldp	x4, x5, [sp, #4 * 8]
	ldp	x6, x7, [sp, #6 * 8]
	ldp	x8, x9, [sp, #8 * 8]
	ldp	x10, x11, [sp, #10 * 8]
	ldp	x12, x13, [sp, #12 * 8]
	ldp	x14, x15, [sp, #14 * 8]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #18 * 8]
	ldp	x20, x21, [sp, #20 * 8]
	ldp	x22, x23, [sp, #22 * 8]
	ldp	x24, x25, [sp, #24 * 8]
	ldp	x26, x27, [sp, #26 * 8]
	ldp	x28, x29, [sp, #28 * 8]
	ldr	x30, [sp, #30 * 8]
	add	sp, sp, #FRAME_SIZE
	eret
