/*
 * The CPU's ID registers as guests see them: the feature ID space (op0 = 3,
 * op1 = 0, CRn = 0, CRm = 1..7) trapped by HCR_EL2.TID3. Each guest reads the
 * boot CPU's values with every feature arx does not virtualize removed
 * (id_regs.c, a pure filter the host unit tests drive), the same on every
 * vCPU; the read itself is id_regs_trap.c.
 */
#ifndef ARCH_ID_REGS_H
#define ARCH_ID_REGS_H

#include <arx/types.h>

/* Eight registers (op2) per CRm, CRm 1..7. */
#define ID_REGS_NR (7 * 8)
#define ID_REG_INDEX(crm, op2) (((crm) - 1) * 8 + (op2))

/* Registers the filter looks at by name. */
#define ID_AA64PFR0 ID_REG_INDEX(4, 0)
#define ID_AA64PFR1 ID_REG_INDEX(4, 1)
#define ID_AA64DFR0 ID_REG_INDEX(5, 0)
#define ID_AA64ISAR0 ID_REG_INDEX(6, 0)
#define ID_AA64ISAR1 ID_REG_INDEX(6, 1)
#define ID_AA64ISAR2 ID_REG_INDEX(6, 2)
#define ID_AA64MMFR0 ID_REG_INDEX(7, 0)
#define ID_AA64MMFR1 ID_REG_INDEX(7, 1)
#define ID_AA64MMFR2 ID_REG_INDEX(7, 2)

/* ID_AA64PFR0_EL1.GIC: the only field that depends on the domain (its vGIC). */
#define ID_AA64PFR0_GIC_SHIFT 24

/* Computes, once, what guests see from the host's values (host[i]: index i). */
void id_regs_filter(const uint64_t host[ID_REGS_NR]);

/*
 * What a guest reads at CRm/op2 of the ID space: the filtered value, with
 * the GIC system register interface only for a domain with a GICv3; zero
 * for every encoding the filter does not keep (reserved ones included).
 */
uint64_t id_reg_guest_value(unsigned int crm, unsigned int op2, bool gic_sysregs);

struct vcpu;
struct trap_frame;

/* Boot CPU, once: reads its ID registers and filters them (id_regs_trap.c). */
void id_regs_init(void);

/*
 * A trapped MRS/MSR (EC 0x18) in the ID space: a read gets the guest's
 * value. False for anything else, writes included (they are UNDEFINED).
 */
bool id_reg_trap(struct vcpu *v, struct trap_frame *f);

#endif
