/*
 * Trapped system register accesses (EC 0x18). arx provides only what a
 * guest needs to work: GICv3 SGI generation, and a look at the timers when
 * a GICv3 guest acknowledges a timer interrupt (vgic_ack_trapped); the EL1
 * physical timer (emulated in vtimer.c); and the debug and PMU registers as registers
 * that read as zero and ignore writes. Those two are trapped because they
 * are not switched between vCPUs: left to guests, one domain's breakpoints,
 * watchpoints and counters would be seen (and could fire) in another.
 * Everything else is refused with UNDEF.
 */
#include <arch/esr.h>
#include <arch/id_regs.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/vgic.h>
#include <arx/vtimer.h>

/* ISS encoding of an MSR/MRS: Op0, Op2, Op1, CRn, CRm (Rt and direction masked off). */
#define SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_MASK SYSREG(3, 7, 15, 15, 7)

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

#define ISS_OP0(iss) (((iss) >> 20) & 3)
#define ISS_OP1(iss) (((iss) >> 14) & 7)
#define ISS_CRN(iss) (((iss) >> 10) & 0xf)
#define ISS_CRM(iss) (((iss) >> 1) & 0xf)

/* Debug (op0 = 2) and PMU (PMCR_EL0 & co in CRn 9, event counters in CRn 14) registers. */
static bool is_debug_or_pmu(uint64_t iss)
{
	if (ISS_OP0(iss) == 2)
		return true;
	if (ISS_OP0(iss) != 3)
		return false;
	if (ISS_CRN(iss) == 9 && ISS_CRM(iss) >= 12)
		return true;
	return ISS_OP1(iss) == 3 && ISS_CRN(iss) == 14 && ISS_CRM(iss) >= 8;
}

bool sysreg_trap(struct vcpu *v, struct trap_frame *f)
{
	uint64_t iss = ESR_ISS(f->esr);
	unsigned int rt = (iss >> 5) & 0x1f;
	bool read = iss & 1;
	if (id_reg_trap(v, f)) /* the feature ID registers, filtered */
		return true;
	if (is_debug_or_pmu(iss)) {
		if (read)
			set_guest_reg(f, rt, 0);
		return true;
	}
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
