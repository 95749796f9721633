/* Virtual CPUs (hv/core/vcpu.c, hv/arch/arm64/vcpu.c). */
#ifndef ARX_VCPU_H
#define ARX_VCPU_H

#include <arch/trap_frame.h>
#include <arch/vcpu_arch.h>
#include "vgic.h"
#include "xen.h"

enum vcpu_power { VCPU_OFF, VCPU_ON_PENDING, VCPU_ON };

struct domain;

struct vcpu {
	struct domain *dom;
	unsigned int id; /* index in the domain; its MPIDR Aff0 */
	unsigned int pcpu; /* the physical CPU it runs on */
	volatile enum vcpu_power power;
	/* Where a pending PSCI CPU_ON starts it. */
	uint64_t start_pc, start_ctx;
	struct trap_frame regs; /* initial registers (the live ones are on the EL2 stack) */
	struct vcpu_arch arch;
	struct vgic_cpu vgic;
	uint64_t exits; /* traps taken, for statistics */
	struct xen_vcpu xen; /* Xen guest ABI state (hv/xen) */
	/* Scheduling (hv/core/sched.c). */
	volatile bool blocked; /* in WFI with nothing pending: not runnable */
	uint64_t runtime; /* counter ticks spent running */
	uint64_t vruntime; /* runtime scaled by weight: who is furthest behind */
	uint64_t recent; /* the same, halved at each balance period: who had more of a CPU lately */
	unsigned int recent_epoch; /* the balance period `recent` was last brought to */
	unsigned int weight;
	uint64_t timer_deadline; /* its virtual timer fires then while not loaded (0: none) */
	uint64_t timer_pending_since; /* runtime when its timer interrupt was last delivered */
	uint32_t watchdog_taken, watchdog_raised; /* timer interrupt counts the watchdog saw */
	uint64_t affinity; /* the physical CPUs it may run on (bitmap) */
	volatile int move_to; /* a CPU it is to move to (xl vcpu-pin), or -1 */
};

/* Puts v in its reset state, to start at pc with x0 = arg0 (EL1h, MMU off). */
void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t arg0);
/* Loads v's state on this CPU and enters the guest; does not return. */
NORETURN void vcpu_enter_first(struct vcpu *v);
/* The vCPU this physical CPU runs (NULL when idle). */
struct vcpu *current_vcpu(void);

/* Exceptions injected into the guest (they take effect on return). */
void vcpu_inject_undef(struct vcpu *v, struct trap_frame *f);
void vcpu_inject_dabt(struct vcpu *v, struct trap_frame *f, uint64_t far);
void vcpu_inject_pabt(struct vcpu *v, struct trap_frame *f, uint64_t far);

/* The guest's general-purpose register n (31 reads as zero / is ignored). */
static inline uint64_t guest_reg(const struct trap_frame *f, unsigned int n)
{
	return n < 31 ? f->x[n] : 0;
}

static inline void set_guest_reg(struct trap_frame *f, unsigned int n, uint64_t val)
{
	if (n < 31)
		f->x[n] = val;
}

#endif
