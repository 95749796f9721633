/*
 * attack_call(regs, kind): every general register x0..x30 loaded from
 * regs->x[], one HVC or SMC (which one: `kind`, see attack.h), and every
 * register stored back into regs->x[], so a case can see exactly what the
 * call returned and what it changed or leaked. Callee-saved registers, the
 * frame pointer and the link register are saved around it.
 *
 * The calls are entries of CALL_ENTRY_SIZE bytes, each "load all; the
 * instruction; nop; b store". The instruction is at CALL_INSN_OFFSET in its
 * entry (.org makes sure), which the exception checks use: an HVC that must be UNDEFINED has
 * to report exactly that address in ELR_EL1. The NOP absorbs a wrong ELR
 * pointing after the instruction (the expected-fault handler adds 4), so
 * even then the call comes back here.
 */
#include <testos/asm.h>

#define CALL_ENTRY_SIZE 128
#define CALL_INSN_OFFSET 64
#define NR_CALL_KINDS 12
#define FRAME 112

/* x0 = regs: x1..x30 from regs->x[1..30], then x0 itself. 64 bytes. */
.macro load_all
	ldp	x1, x2, [x0, #8]
	ldp	x3, x4, [x0, #24]
	ldp	x5, x6, [x0, #40]
	ldp	x7, x8, [x0, #56]
	ldp	x9, x10, [x0, #72]
	ldp	x11, x12, [x0, #88]
	ldp	x13, x14, [x0, #104]
	ldp	x15, x16, [x0, #120]
	ldp	x17, x18, [x0, #136]
	ldp	x19, x20, [x0, #152]
	ldp	x21, x22, [x0, #168]
	ldp	x23, x24, [x0, #184]
	ldp	x25, x26, [x0, #200]
	ldp	x27, x28, [x0, #216]
	ldp	x29, x30, [x0, #232]
	ldr	x0, [x0]
.endm

.macro call_entry insn:vararg
	.balign	CALL_ENTRY_SIZE
.Lentry\@:
	load_all
	.org	.Lentry\@ + CALL_INSN_OFFSET	/* an error if load_all were longer */
	\insn
	nop
	b	call_store
	.org	.Lentry\@ + CALL_ENTRY_SIZE
.endm

	.text
FUNC(attack_call)
	sub	sp, sp, #FRAME
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	str	x0, [sp, #96]
	cmp	x1, #NR_CALL_KINDS
	b.hs	call_out
	adr_l	x9, call_entries
	add	x9, x9, x1, lsl #7		/* * CALL_ENTRY_SIZE */
	br	x9

call_store:
	stp	x0, x1, [sp, #-16]!
	ldr	x0, [sp, #16 + 96]		/* regs */
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
call_out:
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #FRAME
	ret
ENDFUNC(attack_call)

/* In the order of enum call_kind (attack.h); each entry is padded to its size. */
	.balign	CALL_ENTRY_SIZE
	.globl	call_entries
call_entries:
	call_entry hvc #0xea1
	call_entry hvc #0
	call_entry smc #0
	call_entry hvc #1
	call_entry hvc #0xea0
	call_entry hvc #0xea2
	call_entry hvc #0x1ea1
	call_entry hvc #0x8000
	call_entry hvc #0xffff
	call_entry smc #1
	call_entry smc #0xea1
	call_entry smc #0xffff
	.org	call_entries + NR_CALL_KINDS * CALL_ENTRY_SIZE	/* no more entries than kinds */
