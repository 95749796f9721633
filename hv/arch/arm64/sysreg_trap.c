/*
 * Trapped system register accesses (EC 0x18). arx provides only what a
 * guest needs to work: the feature ID registers, filtered (id_regs_trap.c);
 * GICv3 SGI generation, and a look at the timers when a GICv3 guest
 * acknowledges a timer interrupt (vgic_ack_trapped); the EL1 physical timer
 * (emulated in vtimer.c); and the debug and PMU registers, until a vCPU
 * owns them (vdebug.c, vpmu.c). Everything else is refused with UNDEF.
 */
#include <arch/esr.h>
#include <arch/id_regs.h>
#include <arch/sysreg_iss.h>
#include <arch/vdebug.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/vgic.h>
#include <arx/vtimer.h>

#define ICC_SGI1R_EL1 SYSREG(3, 0, 12, 11, 5)
#define ICC_ASGI1R_EL1 SYSREG(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1 SYSREG(3, 0, 12, 11, 7)
#define CNTP_TVAL_EL0 SYSREG(3, 3, 14, 2, 0)
#define CNTP_CTL_EL0 SYSREG(3, 3, 14, 2, 1)
#define CNTP_CVAL_EL0 SYSREG(3, 3, 14, 2, 2)
/* ICH_HCR_EL2.TALL1 traps these: IAR1, EOIR1, HPPIR1, BPR1, IGRPEN1 (CRm 12), AP1Rn (CRm 9). */
#define ICC_GROUP1_MASK SYSREG(3, 7, 15, 15, 0)
#define ICC_GROUP1_CRM12 SYSREG(3, 0, 12, 12, 0)
#define ICC_GROUP1_CRM9 SYSREG(3, 0, 12, 9, 0)

/* Debug and PMU registers: false if the guest gets an UNDEF. */
static bool debug_or_pmu(struct vcpu *v, struct trap_frame *f, uint64_t iss, bool *mine)
{
	enum sysreg_outcome o = vdebug_access(v, f, iss);
	if (o == SYSREG_NOT_MINE)
		o = vpmu_access(v, f, iss);
	*mine = o != SYSREG_NOT_MINE;
	if (o == SYSREG_RETRY)
		f->elr -= 4; /* cancels the step past it: it runs again, untrapped */
	return o != SYSREG_UNDEF;
}

bool sysreg_trap(struct vcpu *v, struct trap_frame *f)
{
	uint64_t iss = ESR_ISS(f->esr);
	unsigned int rt = ISS_RT(iss);
	bool read = ISS_READ(iss);
	bool mine;
	if (id_reg_trap(v, f)) /* the feature ID registers, filtered */
		return true;
	bool ok = debug_or_pmu(v, f, iss, &mine);
	if (mine)
		return ok;
	switch (iss & SYSREG_MASK) {
	case ICC_SGI1R_EL1:
	case ICC_ASGI1R_EL1:
	case ICC_SGI0R_EL1:
		if (read || v->dom->vgic.version != 3)
			return false;
		vgic_v3_send_sgi(v, guest_reg(f, rt));
		return true;
	case CNTP_TVAL_EL0:
	case CNTP_CTL_EL0:
	case CNTP_CVAL_EL0: {
		uint64_t val = guest_reg(f, rt);
		vtimer_phys_access(v, (unsigned int)(iss >> 17) & 7, read, &val);
		if (read)
			set_guest_reg(f, rt, val);
		return true;
	}
	}
	uint64_t group1 = iss & ICC_GROUP1_MASK;
	if ((group1 == ICC_GROUP1_CRM12 || group1 == ICC_GROUP1_CRM9) && v->dom->vgic.version == 3) {
		vgic_ack_trapped(v);
		f->elr -= 4; /* run the access again, untrapped (the caller steps over it) */
		return true;
	}
	return false;
}
