/*
 * Trapped system register accesses (EC 0x18). arx provides only what a
 * guest needs to work: GICv3 SGI generation, and the EL1 physical timer as
 * a timer that reads as disabled and ignores writes (guests use the virtual
 * timer, which is theirs). Everything else is refused with UNDEF.
 */
#include <arch/esr.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/vgic.h>

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

bool sysreg_trap(struct vcpu *v, struct trap_frame *f)
{
	uint64_t iss = ESR_ISS(f->esr);
	unsigned int rt = (iss >> 5) & 0x1f;
	bool read = iss & 1;
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
	case CNTP_CVAL_EL0:
		if (read)
			set_guest_reg(f, rt, 0);
		return true;
	}
	return false;
}
