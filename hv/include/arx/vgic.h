/*
 * The virtual GIC (hv/vdev/vgic*.c): an emulated distributor (and, for
 * GICv3, redistributors) per domain, with interrupts delivered through the
 * hardware list registers. The guest's CPU interface is the real virtual
 * CPU interface (GICV page or ICV system registers), so acknowledging and
 * ending interrupts never traps.
 */
#ifndef ARX_VGIC_H
#define ARX_VGIC_H

#include "guest_layout.h"
#include "spinlock.h"
#include "types.h"

#define VGIC_MAX_LRS 16
#define VGIC_NR_PRIVATE 32
#define VGIC_NR_SPIS (GUEST_NR_IRQS - VGIC_NR_PRIVATE)

struct vcpu;
struct domain;

/* One virtual interrupt's state, as the distributor registers show it. */
struct virq {
	uint8_t priority;
	uint8_t target; /* vCPU index it is delivered to */
	uint8_t targets; /* GICv2 GICD_ITARGETSR: the vCPUs the guest named (target: the lowest) */
	uint8_t sgi_sources; /* GICv2 SGIs: bitmap of sending vCPUs still pending */
	uint8_t lr_source; /* GICv2 SGIs: the sender of the one in a list register */
	bool enabled, pending, active;
	bool lr_pending; /* in a list register and not yet acknowledged */
	bool level; /* level-triggered (else edge) */
	bool line; /* current input level, for level-triggered device interrupts */
	bool has_line; /* driven by a device or timer (not injected): its end looks at the line */
	int8_t lr; /* list register holding it, or -1 */
};

struct vgic_cpu {
	struct virq private[VGIC_NR_PRIVATE]; /* SGIs and PPIs of this vCPU */
	uint16_t lr_irq[VGIC_MAX_LRS]; /* INTID held in each list register */
	uint32_t lr_used; /* bitmap of list registers in use */
	bool redist_asleep; /* GICv3 GICR_WAKER.ProcessorSleep */
	bool trap_acks; /* a timer interrupt was offered: check it at the guest's next ack */
	/* Virtual timer interrupts raised and acknowledged (for the crash watchdog). */
	uint32_t timer_raised, timer_taken;
	/* Something may have become deliverable since the last refill: look. */
	volatile bool dirty;
	/* The CPU interface's state while the vCPU is not loaded. */
	struct vgic_hw_state {
		uint64_t lr[VGIC_MAX_LRS];
		uint64_t vmcr;
		uint32_t apr0[4], apr1[4]; /* active priorities (GICv2 uses apr1[0]) */
	} saved;
};

struct vgic_dist {
	spinlock_t lock;
	unsigned int version;
	bool enabled; /* GICD_CTLR: any group enabled */
	uint32_t ctlr;
	struct virq spis[VGIC_NR_SPIS];
};

/* Per-host set-up: reads the number of list registers. */
void vgic_global_init(unsigned int gic_version, paddr_t gich_base, paddr_t gicv_base);
/* Per CPU: empty list registers, and the maintenance interrupt enabled. */
void vgic_cpu_init(unsigned int maint_irq);
/* Sets up the domain's distributor and MMIO regions (after its vCPUs exist). */
int vgic_domain_init(struct domain *d);
void vgic_vcpu_init(struct vcpu *v);

/* Makes an edge interrupt pending (SGIs/PPIs for vcpu v, SPIs for its domain). */
void vgic_inject(struct vcpu *v, unsigned int intid);
/* Drives a level-triggered SPI line of a domain. */
void vgic_set_level(struct domain *d, unsigned int intid, bool level);
/*
 * Drives a PPI line of v (a timer's output), v being loaded on this CPU or
 * not loaded anywhere. A line that drops takes back an interrupt the guest
 * has not acknowledged yet.
 */
void vgic_set_line(struct vcpu *v, unsigned int intid, bool level);
/* The guest trapped on a GICv3 group 1 CPU interface register while trap_acks was set. */
void vgic_ack_trapped(struct vcpu *v);
/* Brings v's interrupt state up to date (v loaded here), before a guest reads it. */
void vgic_sync_current(struct vcpu *v);
/* True when v has an interrupt it could take (for WFI). */
bool vgic_has_pending(struct vcpu *v);
/* Before entering the guest: list registers <- pending interrupts. */
void vgic_flush(struct vcpu *v);
/* For the distributor emulation (hv/vdev/vgic_*.c). */
struct virq *vgic_irq(struct vcpu *v, unsigned int intid);
void vgic_kick(struct vcpu *t);
void vgic_dist_reset(struct domain *d);

/* GICv3 guests: a trapped write to ICC_SGI1R_EL1 (or ASGI1R/SGI0R). */
void vgic_v3_send_sgi(struct vcpu *v, uint64_t value);

/* The GIC version every domain's vGIC has: the host's (2 or 3). */
unsigned int vgic_host_version(void);

#endif
