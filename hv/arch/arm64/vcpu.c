/*
 * vCPU state on AArch64: reset values, loading a vCPU onto this CPU, the
 * first entry into the guest, and exceptions injected into it.
 *
 * While a vCPU runs, its EL1 system registers live in the hardware; they
 * are only copied to struct vcpu_arch when the CPU switches to something
 * else (vcpu_save). So injected exceptions write the live registers.
 */
#include <arch/sysreg.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/percpu.h>
#include <arx/string.h>
#include <arx/vgic_hw.h>
#include <arx/vtimer.h>

#define SPSR_EL1H 0x5UL
#define SPSR_DAIF_MASKED (0xfUL << 6)
#define SCTLR_EL1_RESET 0x30d00800UL /* RES1 bits; MMU, caches off */

#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | \
		   HCR_TWI | HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_RW | \
		   HCR_TID3)

/* vectors.S: copies f to the top of the stack, restores it and erets. */
NORETURN void guest_enter(const struct trap_frame *f, uint64_t stack_top);
extern uint8_t pcpu_stacks[NR_CPUS][STACK_REGION];

struct vcpu *current_vcpu(void)
{
	return this_cpu()->vcpu;
}

void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t arg0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = arg0;
	v->regs.elr = pc;
	v->regs.spsr = SPSR_EL1H | SPSR_DAIF_MASKED;
	memset(&v->arch.sys, 0, sizeof(v->arch.sys));
	memset(&v->arch.fp, 0, sizeof(v->arch.fp));
	v->arch.sys.sctlr_el1 = SCTLR_EL1_RESET;
	vtimer_reset(v);
	v->arch.vmpidr = BIT(31) | v->id; /* Aff0 = vCPU index; bit 31 is RES1 */
	vdebug_reset(v);
	vpmu_reset(v);
}

#define SAVE(r) s->r = read_sysreg(r)
#define LOAD(r) write_sysreg(r, s->r)

static void sysregs_load(const struct vcpu_sysregs *s)
{
	LOAD(sctlr_el1); LOAD(actlr_el1); LOAD(cpacr_el1);
	LOAD(ttbr0_el1); LOAD(ttbr1_el1); LOAD(tcr_el1); LOAD(mair_el1); LOAD(amair_el1);
	LOAD(vbar_el1); LOAD(contextidr_el1);
	LOAD(tpidr_el0); LOAD(tpidrro_el0); LOAD(tpidr_el1);
	LOAD(sp_el0); LOAD(sp_el1); LOAD(elr_el1); LOAD(spsr_el1);
	LOAD(esr_el1); LOAD(far_el1); LOAD(afsr0_el1); LOAD(afsr1_el1); LOAD(par_el1);
	LOAD(cntkctl_el1); LOAD(csselr_el1); LOAD(mdscr_el1);
	LOAD(cntv_cval_el0); LOAD(cntv_ctl_el0);
}

void vcpu_save_sysregs(struct vcpu *v);
void vcpu_save_sysregs(struct vcpu *v)
{
	struct vcpu_sysregs *s = &v->arch.sys;
	SAVE(sctlr_el1); SAVE(actlr_el1); SAVE(cpacr_el1);
	SAVE(ttbr0_el1); SAVE(ttbr1_el1); SAVE(tcr_el1); SAVE(mair_el1); SAVE(amair_el1);
	SAVE(vbar_el1); SAVE(contextidr_el1);
	SAVE(tpidr_el0); SAVE(tpidrro_el0); SAVE(tpidr_el1);
	SAVE(sp_el0); SAVE(sp_el1); SAVE(elr_el1); SAVE(spsr_el1);
	SAVE(esr_el1); SAVE(far_el1); SAVE(afsr0_el1); SAVE(afsr1_el1); SAVE(par_el1);
	SAVE(cntkctl_el1); SAVE(csselr_el1); SAVE(mdscr_el1);
	SAVE(cntv_ctl_el0); SAVE(cntv_cval_el0);
	fpsimd_save(&v->arch.fp);
	vdebug_save(v);
	vpmu_save(v);
}

/* Debug and PMU state (if v owns them) and the traps v runs with. */
static void debug_pmu_load(struct vcpu *v)
{
	vdebug_load(v);
	vpmu_load(v);
	/* HPMN: all counters are the guest's. */
	write_sysreg(mdcr_el2, pmu_nr_counters() | vdebug_traps(v) | vpmu_traps(v));
}

/* Everything but the general registers: EL2 controls for this guest, EL1 state. */
static void vcpu_load(struct vcpu *v)
{
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, v->arch.vmpidr);
	stage2_load(&v->dom->s2); /* TLB entries are tagged by VMID: no flush needed */
	sysregs_load(&v->arch.sys);
	fpsimd_restore(&v->arch.fp);
	debug_pmu_load(v);
	write_sysreg(hcr_el2, HCR_GUEST);
	isb();
	vtimer_load(v);
	v->vgic.dirty = true; /* the virtual CPU interface's controls are set at the next flush */
}

void vcpu_enter_first(struct vcpu *v)
{
	struct pcpu *c = this_cpu();
	c->vcpu = v;
	vcpu_load(v);
	vgic_hw_restore(&v->vgic.saved);
	vgic_flush(v);
	/* From now on the guest's registers live at the top of this CPU's stack. */
	guest_enter(&v->regs, (uint64_t)pcpu_stacks[c->id] + STACK_REGION);
}

/*
 * Takes v's state out of the hardware: registers, EL1 system registers,
 * FP/SIMD, its timers (the virtual one stops here; arx fires both in
 * software at their deadline until v is back) and then the virtual CPU
 * interface, from which the timers may have withdrawn an interrupt.
 */
static void vcpu_save(struct vcpu *v, const struct trap_frame *f)
{
	v->regs = *f;
	vcpu_save_sysregs(v);
	v->timer_deadline = vtimer_save(v);
	vgic_hw_save(&v->vgic.saved);
}

void vcpu_switch(struct vcpu *prev, struct vcpu *next, struct trap_frame *f)
{
	if (prev)
		vcpu_save(prev, f);
	next->timer_deadline = 0; /* loaded, its timers are watched as the loaded vCPU's */
	vcpu_load(next);
	vgic_hw_restore(&next->vgic.saved);
	*f = next->regs;
}

void vcpu_park(struct vcpu *v, const struct trap_frame *f)
{
	vcpu_save(v, f);
	write_sysreg(vttbr_el2, 0);
	isb();
}

void vcpu_unload(struct vcpu *v)
{
	(void)v;
	vgic_hw_save(&(struct vgic_hw_state){ 0 }); /* empties the list registers */
	write_sysreg(cntv_ctl_el0, 0);
	vtimer_load(NULL);
	write_sysreg(vttbr_el2, 0);
	isb();
}

/* Vector offsets in VBAR_EL1 by where the exception came from. */
static uint64_t vector_offset(uint64_t spsr)
{
	uint64_t mode = spsr & 0x1f;
	if (mode == 0x5)
		return 0x200; /* EL1 using SP_EL1 */
	if (mode == 0x4)
		return 0x000; /* EL1 using SP_EL0 */
	if (mode & 0x10)
		return 0x600; /* AArch32 EL0 */
	return 0x400; /* AArch64 EL0 */
}

/*
 * A fault at the guest's own exception vectors (or with none set up) would
 * only fault again at the vector, forever: the guest cannot handle
 * exceptions, so it has crashed.
 */
static bool faulted_in_vectors(const struct trap_frame *f)
{
	uint64_t vbar = read_sysreg(vbar_el1);
	return f->elr - vbar < 0x800;
}

static void inject(struct trap_frame *f, uint64_t esr, uint64_t far, bool set_far)
{
	struct vcpu *v = current_vcpu();
	if (faulted_in_vectors(f)) {
		domain_crash(v->dom, "an exception it cannot handle (a fault in its own "
				     "exception vectors)");
		return;
	}
	write_sysreg(elr_el1, f->elr);
	write_sysreg(spsr_el1, f->spsr);
	write_sysreg(esr_el1, esr);
	if (set_far)
		write_sysreg(far_el1, far);
	f->elr = read_sysreg(vbar_el1) + vector_offset(f->spsr);
	f->spsr = SPSR_EL1H | SPSR_DAIF_MASKED;
}

static bool from_el0(const struct trap_frame *f)
{
	return (f->spsr & 0xf) == 0;
}

#define ESR_IL BIT(25)
#define EC_SHIFT 26

void vcpu_inject_undef(struct vcpu *v, struct trap_frame *f)
{
	(void)v;
	inject(f, ESR_IL, 0, false);
}

/* A synchronous external abort, as real hardware reports an access to nothing. */
#define FSC_SYNC_EXTERNAL 0x10

void vcpu_inject_dabt(struct vcpu *v, struct trap_frame *f, uint64_t far)
{
	(void)v;
	uint64_t ec = from_el0(f) ? 0x24 : 0x25;
	uint64_t wnr = f->esr & BIT(6); /* write, as the access that faulted at stage 2 */
	inject(f, (ec << EC_SHIFT) | ESR_IL | wnr | FSC_SYNC_EXTERNAL, far, true);
}

void vcpu_inject_pabt(struct vcpu *v, struct trap_frame *f, uint64_t far)
{
	(void)v;
	uint64_t ec = from_el0(f) ? 0x20 : 0x21;
	inject(f, (ec << EC_SHIFT) | ESR_IL | FSC_SYNC_EXTERNAL, far, true);
}

void vcpu_restart(struct vcpu *v, struct trap_frame *f, uint64_t pc, uint64_t arg)
{
	vcpu_reset(v, pc, arg);
	sysregs_load(&v->arch.sys);
	fpsimd_restore(&v->arch.fp);
	debug_pmu_load(v);
	isb();
	*f = v->regs;
}
