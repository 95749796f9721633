/*
 * Probes for the attack cases (cases/attack_*.c), in the style of probe.S:
 * the instruction that must fault comes first, so ELR_EL1 must equal the
 * function's address and "skip 4 bytes" resumes at the RET. One probe per
 * kind of access, because a hypervisor handles each kind differently: the
 * single loads and stores come with a syndrome it can decode (ISV), the
 * pair and writeback forms without one.
 */
#include <testos/asm.h>

	.text
FUNC(probe_read8)
	ldrb	w0, [x0]
	ret
ENDFUNC(probe_read8)

FUNC(probe_read16)
	ldrh	w0, [x0]
	ret
ENDFUNC(probe_read16)

FUNC(probe_read64)
	ldr	x0, [x0]
	ret
ENDFUNC(probe_read64)

FUNC(probe_write8)
	strb	w1, [x0]
	ret
ENDFUNC(probe_write8)

FUNC(probe_write16)
	strh	w1, [x0]
	ret
ENDFUNC(probe_write16)

FUNC(probe_write64)
	str	x1, [x0]
	ret
ENDFUNC(probe_write64)

/* Returns what it loaded (the first of the pair). */
FUNC(probe_ldp)
	ldp	x0, x1, [x0]
	ret
ENDFUNC(probe_ldp)

FUNC(probe_stp)
	stp	x1, x1, [x0]
	ret
ENDFUNC(probe_stp)

/* The writeback forms return the base register: unchanged if the access faulted. */
FUNC(probe_ldr_post)
	ldr	w1, [x0], #4
	ret
ENDFUNC(probe_ldr_post)

FUNC(probe_str_pre)
	str	w1, [x0, #4]!
	ret
ENDFUNC(probe_str_pre)

/*
 * Jumps to x0. Called with BL, so x30 is the caller's return address: an
 * instruction abort there resumes at x30 (fault_expect_return) as if this
 * had returned.
 */
FUNC(probe_exec)
	br	x0
ENDFUNC(probe_exec)

/*
 * A PSCI CPU_ON entry point for a context ID testos cannot use as its CPU
 * number: records x0 (the context ID as the CPU got it) in attack_ctx_seen
 * and powers the CPU off again through the conduit in attack_ctx_smc
 * (0: HVC, else SMC). The MMU is off and there is no stack: no C here.
 */
#define PSCI_CPU_OFF 0x84000002

FUNC(attack_ctx_entry)
	msr	daifset, #0xf
	adr_l	x1, attack_ctx_seen
	str	x0, [x1]
	adr_l	x1, attack_ctx_arrived
	mov	w2, #1
	stlr	w2, [x1]
	adr_l	x1, attack_ctx_smc
	ldr	w1, [x1]
	movz	w0, #(PSCI_CPU_OFF & 0xffff)
	movk	w0, #(PSCI_CPU_OFF >> 16), lsl #16
	cbnz	w1, 1f
	hvc	#0
	b	2f
1:	smc	#0
2:	wfi
	b	2b
ENDFUNC(attack_ctx_entry)
