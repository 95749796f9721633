/* Helpers for assembly sources. */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#define FUNC(name) .globl name; .type name, %function; name:
#define ENDFUNC(name) .size name, . - name

/* Load the run-time (relocated) address of a symbol, position independently. */
.macro adr_l reg, sym
	adrp \reg, \sym
	add \reg, \reg, :lo12:\sym
.endm

#endif
