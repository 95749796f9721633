/*
 * A vCPU's self-hosted debug and PMU state (vdebug.c, vpmu.c). Both are
 * switched lazily: a vCPU that never touched them keeps them trapped and
 * costs nothing on a switch; the first access makes it their owner, and
 * from then on its state goes in and out of the hardware with it.
 */
#ifndef ARCH_VDEBUG_H
#define ARCH_VDEBUG_H

#include <arx/types.h>

#define VDEBUG_MAX_POINTS 16 /* ID_AA64DFR0_EL1.BRPs/WRPs hold up to 16 */
#define VPMU_MAX_COUNTERS 31 /* PMCR_EL0.N is at most 31 */

struct vcpu_debug {
	bool owner; /* the traps are off for it: its state lives in the hardware */
	bool os_lock; /* OSLSR_EL1.OSLK, emulated (OSLAR/OSLSR stay trapped) */
	uint64_t bcr[VDEBUG_MAX_POINTS], bvr[VDEBUG_MAX_POINTS];
	uint64_t wcr[VDEBUG_MAX_POINTS], wvr[VDEBUG_MAX_POINTS];
	uint64_t mdccint;
};

struct vcpu_pmu {
	bool owner;
	uint64_t pmcr, cntenset, intenset, ovsset, userenr, selr, ccntr, ccfiltr;
	uint64_t evcntr[VPMU_MAX_COUNTERS], evtyper[VPMU_MAX_COUNTERS];
};

struct vcpu;
struct trap_frame;

/* Resets v's state (a vCPU reset: CPU_ON, a domain restart). */
void vdebug_reset(struct vcpu *v);
void vpmu_reset(struct vcpu *v);
/* Switch-out: takes v's state out of the hardware if it owns it (counters stop). */
void vdebug_save(struct vcpu *v);
void vpmu_save(struct vcpu *v);
/* Switch-in: puts v's state in the hardware, or clean state if v owns none. */
void vdebug_load(struct vcpu *v);
void vpmu_load(struct vcpu *v);
/* The MDCR_EL2 trap bits v runs with. */
uint64_t vdebug_traps(const struct vcpu *v);
uint64_t vpmu_traps(const struct vcpu *v);
enum sysreg_outcome {
	SYSREG_NOT_MINE, /* another register file's (or nobody's: UNDEF) */
	SYSREG_DONE, /* emulated: go on after the instruction */
	SYSREG_UNDEF, /* the guest gets an undefined-instruction exception */
	SYSREG_RETRY, /* the traps are off now: run the instruction again, on the hardware */
};

/* A trapped MRS/MSR (ESR_EL2.ISS) in the debug or PMU register space. */
enum sysreg_outcome vdebug_access(struct vcpu *v, struct trap_frame *f, uint64_t iss);
enum sysreg_outcome vpmu_access(struct vcpu *v, struct trap_frame *f, uint64_t iss);
/* Boot CPU once / every CPU: the PMU overflow interrupt. */
void vpmu_global_init(void);
void vpmu_cpu_init(void);

#endif
