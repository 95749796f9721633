/*
 * The hardware side of the ID register filter (id_regs.c): the boot CPU's
 * values, read once so that every vCPU of every domain sees the same ones
 * whichever physical CPU it runs on, and the trapped reads (HCR_EL2.TID3).
 */
#include <arch/esr.h>
#include <arch/id_regs.h>
#include <arch/sysreg.h>
#include <arx/domain.h>

/* The MRS/MSR syndrome (EC 0x18) fields that name a register. */
#define ISS_SYS_READ(iss) ((iss) & 1)
#define ISS_SYS_RT(iss) (((iss) >> 5) & 0x1f)
#define ISS_SYS_CRM(iss) (((iss) >> 1) & 0xf)
#define ISS_SYS_CRN(iss) (((iss) >> 10) & 0xf)
#define ISS_SYS_OP1(iss) (((iss) >> 14) & 7)
#define ISS_SYS_OP2(iss) (((iss) >> 17) & 7)
#define ISS_SYS_OP0(iss) (((iss) >> 20) & 3)

/* Only the registers the filter keeps fields of; the rest read as zero anyway. */
static uint64_t read_host(unsigned int index)
{
	switch (index) {
	case ID_AA64PFR0: return read_sysreg(id_aa64pfr0_el1);
	case ID_AA64PFR1: return read_sysreg(id_aa64pfr1_el1);
	case ID_AA64DFR0: return read_sysreg(id_aa64dfr0_el1);
	case ID_AA64ISAR0: return read_sysreg(id_aa64isar0_el1);
	case ID_AA64ISAR1: return read_sysreg(id_aa64isar1_el1);
	case ID_AA64ISAR2: return read_sysreg(s3_0_c0_c6_2); /* ID_AA64ISAR2_EL1 */
	case ID_AA64MMFR0: return read_sysreg(id_aa64mmfr0_el1);
	case ID_AA64MMFR1: return read_sysreg(id_aa64mmfr1_el1);
	case ID_AA64MMFR2: return read_sysreg(s3_0_c0_c7_2); /* ID_AA64MMFR2_EL1 */
	}
	return 0;
}

void id_regs_init(void)
{
	uint64_t host[ID_REGS_NR];
	for (unsigned int i = 0; i < ID_REGS_NR; i++)
		host[i] = read_host(i);
	id_regs_filter(host);
}

bool id_reg_trap(struct vcpu *v, struct trap_frame *f)
{
	uint64_t iss = ESR_ISS(f->esr);
	unsigned int crm = ISS_SYS_CRM(iss);
	if (ISS_SYS_OP0(iss) != 3 || ISS_SYS_OP1(iss) != 0 || ISS_SYS_CRN(iss) != 0 ||
	    crm < 1 || crm > 7 || !ISS_SYS_READ(iss))
		return false;
	set_guest_reg(f, ISS_SYS_RT(iss),
		      id_reg_guest_value(crm, ISS_SYS_OP2(iss), v->dom->vgic.version == 3));
	return true;
}
