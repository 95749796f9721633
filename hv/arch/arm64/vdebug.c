/*
 * Self-hosted debug for guests: breakpoints, watchpoints and software step
 * on the real debug registers, each vCPU with its own.
 *
 * A vCPU starts with the debug registers trapped (MDCR_EL2.TDA). Its first
 * access makes it an owner: its (reset) state is loaded, TDA is dropped for
 * it and the instruction runs again, now on the hardware. Only owners pay
 * for a save and restore on a switch; a CPU going from an owner to a
 * non-owner clears the hardware, so no breakpoint set in one domain can fire
 * in another. Debug exceptions stay the guest's (MDCR_EL2.TDE is 0): they go
 * to its EL1 and are never generated at EL2.
 *
 * The OS lock, OS double lock, power-down and ROM address registers stay
 * trapped (TDOSA, TDRA) and are emulated: they are touched at boot and CPU
 * hotplug only, and OSDLR_EL1 in the hardware could otherwise disable debug
 * for whatever runs on the CPU next.
 */
#include <arch/sysreg.h>
#include <arch/sysreg_iss.h>
#include <arch/vdebug.h>
#include <arx/percpu.h>
#include <arx/string.h>
#include <arx/vcpu.h>

#define OSLAR_EL1 SYSREG(2, 0, 1, 0, 4)
#define OSLSR_EL1 SYSREG(2, 0, 1, 1, 4)
#define OSDLR_EL1 SYSREG(2, 0, 1, 3, 4)
#define DBGPRCR_EL1 SYSREG(2, 0, 1, 4, 4)
#define MDRAR_EL1 SYSREG(2, 0, 1, 0, 0)

#define OSLSR_OSLM_IMPLEMENTED BIT(3) /* OSLM = 0b10: the OS lock is implemented */
#define OSLSR_OSLK BIT(1)

/* Whether this CPU's debug registers may hold an owner's state (set on load, cleared by a clear). */
static bool hw_dirty[NR_CPUS];

static unsigned int nr_breakpoints(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static unsigned int nr_watchpoints(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

/* The registers are named, not indexed: one switch case per number. */
#define EACH_POINT(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) \
	X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

#define SAVE_BP(n) case n: \
	d->bcr[n] = read_sysreg(dbgbcr##n##_el1); d->bvr[n] = read_sysreg(dbgbvr##n##_el1); break;
#define LOAD_BP(n) case n: \
	write_sysreg(dbgbcr##n##_el1, d->bcr[n]); write_sysreg(dbgbvr##n##_el1, d->bvr[n]); break;
#define SAVE_WP(n) case n: \
	d->wcr[n] = read_sysreg(dbgwcr##n##_el1); d->wvr[n] = read_sysreg(dbgwvr##n##_el1); break;
#define LOAD_WP(n) case n: \
	write_sysreg(dbgwcr##n##_el1, d->wcr[n]); write_sysreg(dbgwvr##n##_el1, d->wvr[n]); break;

static void points_save(struct vcpu_debug *d)
{
	for (unsigned int i = 0; i < nr_breakpoints(); i++)
		switch (i) { EACH_POINT(SAVE_BP) }
	for (unsigned int i = 0; i < nr_watchpoints(); i++)
		switch (i) { EACH_POINT(SAVE_WP) }
	d->mdccint = read_sysreg(mdccint_el1);
}

static void points_load(const struct vcpu_debug *d)
{
	for (unsigned int i = 0; i < nr_breakpoints(); i++)
		switch (i) { EACH_POINT(LOAD_BP) }
	for (unsigned int i = 0; i < nr_watchpoints(); i++)
		switch (i) { EACH_POINT(LOAD_WP) }
	write_sysreg(mdccint_el1, d->mdccint);
	write_sysreg(oslar_el1, d->os_lock);
}

void vdebug_reset(struct vcpu *v)
{
	bool owner = v->arch.debug.owner;
	memset(&v->arch.debug, 0, sizeof(v->arch.debug));
	v->arch.debug.owner = owner; /* its traps are already off: keep them so */
	v->arch.debug.os_lock = true; /* as a cold reset leaves it */
}

void vdebug_save(struct vcpu *v)
{
	if (v->arch.debug.owner)
		points_save(&v->arch.debug);
}

void vdebug_load(struct vcpu *v)
{
	static const struct vcpu_debug clean;
	unsigned int cpu = this_cpu()->id;
	if (v->arch.debug.owner) {
		points_load(&v->arch.debug);
		hw_dirty[cpu] = true;
	} else if (hw_dirty[cpu]) {
		points_load(&clean);
		hw_dirty[cpu] = false;
	}
}

uint64_t vdebug_traps(const struct vcpu *v)
{
	return MDCR_TDOSA | MDCR_TDRA | (v->arch.debug.owner ? 0 : MDCR_TDA);
}

/* The emulated OS lock and friends; everything else in op0 = 2 is TDA's. */
static enum sysreg_outcome os_regs(struct vcpu *v, struct trap_frame *f, uint64_t iss)
{
	bool read = ISS_READ(iss);
	uint64_t val = 0;
	switch (iss & SYSREG_MASK) {
	case OSLAR_EL1:
		if (read)
			return SYSREG_UNDEF; /* write-only */
		v->arch.debug.os_lock = guest_reg(f, ISS_RT(iss)) & 1;
		if (v->arch.debug.owner)
			write_sysreg(oslar_el1, v->arch.debug.os_lock);
		return SYSREG_DONE;
	case OSLSR_EL1:
		if (!read)
			return SYSREG_UNDEF; /* read-only */
		val = OSLSR_OSLM_IMPLEMENTED | (v->arch.debug.os_lock ? OSLSR_OSLK : 0);
		break;
	case OSDLR_EL1:
	case DBGPRCR_EL1:
	case MDRAR_EL1:
		break; /* no double lock, no power-down requests, no memory-mapped view */
	default:
		return SYSREG_NOT_MINE;
	}
	if (read)
		set_guest_reg(f, ISS_RT(iss), val);
	return SYSREG_DONE;
}

/* The first access: v's state goes into the hardware and TDA comes off. */
static void take_ownership(struct vcpu *v)
{
	v->arch.debug.owner = true;
	vdebug_load(v);
	write_sysreg(mdcr_el2, (read_sysreg(mdcr_el2) & ~MDCR_TDA));
	isb();
}

enum sysreg_outcome vdebug_access(struct vcpu *v, struct trap_frame *f, uint64_t iss)
{
	if (ISS_OP0(iss) != 2)
		return SYSREG_NOT_MINE;
	enum sysreg_outcome o = os_regs(v, f, iss);
	if (o != SYSREG_NOT_MINE)
		return o;
	if (v->arch.debug.owner) {
		/* Trapped although TDA is off: nothing arx offers (read as zero). */
		if (ISS_READ(iss))
			set_guest_reg(f, ISS_RT(iss), 0);
		return SYSREG_DONE;
	}
	take_ownership(v);
	return SYSREG_RETRY;
}
