/*
 * Shared by the attack cases (cases/attack_*.c), where testos plays a
 * hostile guest: every attempt to reach beyond its own RAM and devices must
 * fail in a defined way, for itself alone. See the README for the list.
 */
#ifndef TESTOS_ATTACK_H
#define TESTOS_ATTACK_H

#include <arx/types.h>
#include <testos/prng.h>

/* The kinds of memory access a probe can make (arch/attack_probes.S, probe.S). */
enum access {
	ACC_LDRB, ACC_LDRH, ACC_LDRW, ACC_LDRX,		/* single loads: in that order */
	ACC_STRB, ACC_STRH, ACC_STRW, ACC_STRX,		/* single stores: in that order */
	ACC_LDP, ACC_STP, ACC_LDR_POST, ACC_STR_PRE,	/* no syndrome for the hypervisor */
	ACC_EXEC,					/* an instruction fetch */
	NR_ACCESSES
};

/*
 * One access that must be refused: a data abort (an instruction abort for
 * ACC_EXEC) at the probe instruction, with FAR = addr unless the syndrome
 * says FAR is not valid. Anything else fails the running case with what
 * happened; returns whether the access was refused as it must be.
 */
bool attack_access(enum access kind, uint64_t addr);

/* The same for an access that FAR may report anywhere in [far_min, far_max] (unaligned ones). */
bool attack_access_far(enum access kind, uint64_t addr, uint64_t far_min, uint64_t far_max);

/* The n-th load or store of a series: the access size rotates with n. */
bool attack_read(unsigned int n, uint64_t addr);
bool attack_write(unsigned int n, uint64_t addr);

/* Whether [addr, addr + len) touches the domain's RAM or one of its own devices. */
bool attack_is_own(uint64_t addr, uint64_t len);

/* The physical (here: intermediate physical) address size, from ID_AA64MMFR0_EL1.PARange. */
unsigned int attack_pa_bits(void);

/* Counts what a case's refused accesses looked like, for its `#` summary line. */
void attack_tally_start(void);
void attack_tally_print(const char *name);

/* The raw calls attack_call makes (arch/attack_call.S), in that file's order. */
enum call_kind {
	CALL_XEN,	/* hvc #0xea1: Xen hypercall, number in x16 */
	CALL_HVC0,	/* hvc #0: SMCCC (PSCI) */
	CALL_SMC0,	/* smc #0: SMCCC (PSCI) */
	CALL_HVC_1, CALL_HVC_EA0, CALL_HVC_EA2, CALL_HVC_1EA1, CALL_HVC_8000, CALL_HVC_FFFF,
	CALL_SMC_1, CALL_SMC_EA1, CALL_SMC_FFFF,
	NR_CALL_KINDS
};

struct call_regs {
	uint64_t x[31];
};

/* Loads x0..x30 from r, makes the call, stores x0..x30 back into r. */
void attack_call(struct call_regs *r, unsigned int kind);

/* The address of a kind's HVC/SMC instruction, for ELR checks. */
uint64_t attack_call_insn(unsigned int kind);

#endif
