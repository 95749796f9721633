/*
 * testos entry points. A boot loader for arm64 Linux (QEMU -kernel, arx)
 * enters _start on one CPU at EL1 with the MMU off and x0 = the device
 * tree. testos is linked at 0 as a position-independent executable and
 * patches its own absolute addresses (R_AARCH64_RELATIVE) with the load
 * address, so it runs wherever it is put. Secondary CPUs come in at
 * secondary_entry through PSCI CPU_ON with x0 = their testos CPU number.
 *
 * The MMU stays off for good: data accesses are then Device-nGnRnE, which
 * is why testos is built with -mstrict-align and shares data between CPUs
 * with single-writer flags instead of atomics (see sysreg.h).
 */
#include <testos/asm.h>
#include <testos/cpu.h>

#define R_AARCH64_RELATIVE 1027

/*
 * SCTLR_EL1: the ARMv8.0 RES1 bits (29, 28, 23, 22, 20, 11) and SA (3),
 * the stack-alignment check; MMU, caches, alignment check off, little-endian.
 * Set explicitly because its reset value is partly UNKNOWN.
 */
#define SCTLR_EL1_TESTOS 0x30d00808

	.section .text.head, "ax"
	.globl _start
_start:
	/* arm64 Image header (Linux Documentation/arm64/booting.rst). */
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	__image_end - _start		/* image_size incl. bss; PC-relative, so no relocation */
	.quad	(1 << 3) | (1 << 1)		/* flags: LE, 4 KiB pages, any 2 MiB-aligned base */
	.quad	0, 0, 0				/* res2, res3, res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

primary_entry:
	msr	daifset, #0xf
	mov	x19, x0				/* device tree */
	ldr	x1, =SCTLR_EL1_TESTOS
	msr	sctlr_el1, x1
	isb
	adr	x20, _start			/* load address: the relocation base */
	mov	x0, x20
	bl	relocate
	mov	x21, x0				/* relocations of an unknown type */
	bl	clear_bss
	mov	x0, #0				/* the boot CPU is CPU 0 */
	bl	cpu_setup
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	testos_main			/* does not return */
	b	cpu_halt

/*
 * Adds the load address (x0) to the word each R_AARCH64_RELATIVE entry
 * names. Returns in x0 how many entries had another type: a static PIE
 * should have none, and testos_main reports it if it does.
 */
relocate:
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
	mov	x3, #0
1:	cmp	x1, x2
	b.hs	3f
	ldp	x4, x5, [x1]			/* r_offset, r_info */
	ldr	x6, [x1, #16]			/* r_addend */
	add	x1, x1, #24
	cmp	x5, #R_AARCH64_RELATIVE
	b.eq	2f
	add	x3, x3, #1
	b	1b
2:	add	x6, x6, x0
	str	x6, [x0, x4]
	b	1b
3:	mov	x0, x3
	ret

/* The loader only copies the file; bss (stacks included) is ours to clear. */
clear_bss:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ret

/* For CPU x0: its stack, TPIDR_EL1 = CPU number, the vectors. Leaf. */
cpu_setup:
	adr_l	x1, cpu_stacks
	mov	x2, #TESTOS_STACK_SIZE
	madd	x1, x0, x2, x1
	add	sp, x1, x2			/* stacks grow down from the top of the slot */
	msr	tpidr_el1, x0
	adr_l	x1, exception_vectors
	msr	vbar_el1, x1
	isb
	ret

FUNC(secondary_entry)
	msr	daifset, #0xf
	mov	x19, x0				/* context_id = testos CPU number */
	ldr	x1, =SCTLR_EL1_TESTOS
	msr	sctlr_el1, x1
	isb
	cmp	x19, #TESTOS_MAX_CPUS		/* not ours: no stack to use */
	b.hs	cpu_halt
	mov	x0, x19
	bl	cpu_setup
	mov	x0, x19
	bl	secondary_main			/* does not return */
	b	cpu_halt
ENDFUNC(secondary_entry)

FUNC(cpu_halt)
	msr	daifset, #0xf
1:	wfi
	b	1b
ENDFUNC(cpu_halt)
