/*
 * The hardware side of the virtual GIC (hv/arch/arm64/vgic_hw.c): list
 * registers and hypervisor control, GICH (v2) or ICH_* (v3). Only the CPU
 * running a vCPU touches that vCPU's list registers.
 */
#ifndef ARX_VGIC_HW_H
#define ARX_VGIC_HW_H

#include "types.h"

#define LR_PENDING 1
#define LR_ACTIVE 2

struct lr_desc {
	uint32_t intid;
	uint8_t priority;
	uint8_t state; /* LR_PENDING | LR_ACTIVE; 0 = free */
	uint8_t source; /* GICv2 SGIs: the sending vCPU */
	bool group1;
	bool eoi_maint; /* maintenance interrupt when the guest ends it */
};

void vgic_hw_init(unsigned int version, paddr_t gich_base);
unsigned int vgic_hw_nr_lrs(void);
/* The implemented priority bits (high-order ones), as a mask of a priority byte. */
uint8_t vgic_hw_prio_mask(void);
void vgic_hw_read_lr(unsigned int n, struct lr_desc *lr);
void vgic_hw_write_lr(unsigned int n, const struct lr_desc *lr);
/* Enables the virtual CPU interface; underflow asks for a maintenance interrupt. */
void vgic_hw_set_control(bool underflow, bool trap_group1);
struct vgic_hw_state;
/* Moves the virtual CPU interface's state out of / back into the hardware. */
void vgic_hw_save(struct vgic_hw_state *st);
void vgic_hw_restore(const struct vgic_hw_state *st);
/* Per CPU: all list registers empty, virtual CPU interface on. */
void vgic_hw_cpu_init(void);

#endif
