/* Macros for testos's assembly files. */
#ifndef TESTOS_ASM_H
#define TESTOS_ASM_H

#define FUNC(name) .globl name; .type name, %function; name:
#define ENDFUNC(name) .size name, . - name

/*
 * The run-time address of a symbol. testos runs wherever it was loaded, so
 * every address is computed from the PC, never loaded from a literal.
 */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#endif
