/* Decoding the ISS of a trapped MSR/MRS (ESR_EL2.EC 0x18). */
#ifndef ARCH_SYSREG_ISS_H
#define ARCH_SYSREG_ISS_H

/* ISS encoding of an MSR/MRS: Op0, Op2, Op1, CRn, CRm (Rt and direction masked off). */
#define SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_MASK SYSREG(3, 7, 15, 15, 7)

#define ISS_OP0(iss) (((iss) >> 20) & 3)
#define ISS_OP2(iss) (((iss) >> 17) & 7)
#define ISS_OP1(iss) (((iss) >> 14) & 7)
#define ISS_CRN(iss) (((iss) >> 10) & 0xf)
#define ISS_CRM(iss) (((iss) >> 1) & 0xf)
#define ISS_RT(iss) (((iss) >> 5) & 0x1f)
#define ISS_READ(iss) ((iss) & 1)

#endif
