/* Shared per-interrupt register banks of the emulated GIC frames (vdev/vgic_regs.c). */
#ifndef ARX_VGIC_REGS_H
#define ARX_VGIC_REGS_H

#include "mmio.h"
#include "vcpu.h"

enum { VGIC_HANDLED, VGIC_NOT_MINE, VGIC_BAD_ACCESS };

/*
 * Handles an access at `offset` if it falls in one of the banks (laid out
 * as in GICD); interrupts outside [first, limit) are RAZ/WI.
 */
int vgic_bank_access(struct vcpu *v, uint32_t offset, struct mmio_access *a, unsigned int first,
		     unsigned int limit);
void vgic_kick_all(struct domain *d);

#endif
