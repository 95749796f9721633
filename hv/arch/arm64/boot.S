/*
 * Entry points. QEMU (or any arm64 Linux boot loader) enters _start on the
 * boot CPU with the MMU off and x0 = the device tree's physical address.
 * Secondary CPUs enter secondary_entry through PSCI CPU_ON with x0 = their
 * arx CPU number.
 */
#include <arch/asm.h>
#include <arx/percpu.h>

	.section .text.head, "ax"
	.globl _start
_start:
	/* arm64 Image header (Documentation/arm64/booting.rst). */
	b	primary_entry		/* code0 */
	nop				/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, including bss (PC-relative: no reloc) */
	.quad	0xa			/* flags: LE, 4 KiB pages, any 2 MiB-aligned base */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

primary_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* device tree */
	adr	x20, _start		/* load address = relocation base */
	bl	apply_relocations
	bl	zero_bss
	adr_l	x1, pcpu_stacks
	add	x1, x1, #STACK_REGION
	mov	sp, x1
	mrs	x2, CurrentEL
	ubfx	x2, x2, #2, #2
	cmp	x2, #2
	b.ne	1f
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	mov	x1, x20
	bl	boot_main		/* never returns */
	b	halt
1:	mov	x0, x2			/* wrong exception level */
	mov	x1, x19
	bl	boot_wrong_el
	b	halt

/* Adds the load address to every R_AARCH64_RELATIVE slot (x20 = base). */
apply_relocations:
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #1027		/* R_AARCH64_RELATIVE */
	b.ne	1b
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b
2:	ret

zero_bss:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ret

/* x0 = arx CPU number, from our own CPU_ON call. */
FUNC(secondary_entry)
	msr	daifset, #0xf
	mov	x19, x0
	adr_l	x1, pcpu_stacks
	mov	x2, #STACK_REGION
	madd	x1, x19, x2, x1
	add	x1, x1, x2
	mov	sp, x1
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
	bl	mmu_enable_this_cpu
	mov	x0, x19
	bl	secondary_main
	b	halt
ENDFUNC(secondary_entry)

FUNC(halt)
	msr	daifset, #0xf
1:	wfi
	b	1b
ENDFUNC(halt)
