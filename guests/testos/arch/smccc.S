/*
 * Calls out of EL1 (SMC Calling Convention): arguments in x0..x3, result in
 * x0. As ordinary functions, the compiler already treats x0..x18 as
 * clobbered across them, which covers what the callee may change.
 */
#include <testos/asm.h>

	.text
FUNC(smccc_hvc)
	hvc	#0
	ret
ENDFUNC(smccc_hvc)

FUNC(smccc_smc)
	smc	#0
	ret
ENDFUNC(smccc_smc)

/* hypercall(nr, a0..a4): the Xen ABI wants the number in x16 and the arguments from x0. */
FUNC(hypercall)
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#0xea1
	ret
ENDFUNC(hypercall)
