/* The AArch64 part of a vCPU: EL1 system registers and FP/SIMD state. */
#ifndef ARCH_VCPU_ARCH_H
#define ARCH_VCPU_ARCH_H

#include <arx/types.h>
#include "vdebug.h"

struct vcpu_sysregs {
	uint64_t sctlr_el1, actlr_el1, cpacr_el1;
	uint64_t ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
	uint64_t vbar_el1, contextidr_el1;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
	uint64_t cntkctl_el1, csselr_el1, mdscr_el1;
	uint64_t cntv_ctl_el0, cntv_cval_el0;
};

struct fpsimd_state {
	uint64_t v[64]; /* q0..q31, low half first */
	uint64_t fpsr, fpcr;
};

struct vcpu_arch {
	struct vcpu_sysregs sys;
	struct fpsimd_state fp __attribute__((aligned(16)));
	uint64_t vmpidr;
	uint64_t cntp_ctl, cntp_cval; /* the emulated EL1 physical timer */
	struct vcpu_debug debug;
	struct vcpu_pmu pmu;
};

void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

#endif
