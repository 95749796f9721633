/*
 * The guest's two EL1 timers. Each drives a level-triggered PPI, and arx
 * keeps that virtual line equal to the timer's condition (enabled, not
 * masked, compare value reached): as soon as the guest disables or masks a
 * timer or moves its compare value ahead, the line drops and an interrupt
 * it has not acknowledged yet is withdrawn (vgic_set_line).
 *
 * The virtual timer runs on the real CNTV registers, which the guest uses
 * without trapping. When it fires, the physical PPI comes to arx, which
 * masks that PPI at the GIC (masking the timer itself would show the guest
 * an IMASK it never set) and raises the virtual line. The line is sampled
 * again whenever it is high and arx gets control (every exit, the end of
 * the interrupt through EOI maintenance); when it drops, the PPI is
 * unmasked for the next deadline.
 *
 * The physical timer is emulated: CNTP_* trap (CNTHCTL_EL2.EL1PCEN = 0),
 * arx keeps the registers and compares with the physical counter the guest
 * reads (CNTVOFF is 0, so both timers count the same time), and the
 * scheduler asks for a timer event at its deadline.
 */
#include <arch/sysreg.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/sched.h>
#include <arx/timer.h>
#include <arx/vcpu.h>
#include <arx/vtimer.h>

#define CTL_ENABLE BIT(0)
#define CTL_IMASK BIT(1)
#define CTL_ISTATUS BIT(2)

/* Whether this CPU's virtual timer PPI is masked at the GIC (its vCPU's line is high). */
static bool host_masked[NR_CPUS];

static void mask_host_ppi(bool masked)
{
	unsigned int cpu = this_cpu()->id;
	if (host_masked[cpu] == masked)
		return;
	host_masked[cpu] = masked;
	irq_set_enabled(VTIMER_VIRT_INTID, !masked);
}

static bool asserts(uint64_t ctl, uint64_t cval, uint64_t now)
{
	return (ctl & CTL_ENABLE) && !(ctl & CTL_IMASK) && now >= cval;
}

/* When a timer will assert its interrupt; 0 if it does already or never will. */
static uint64_t deadline_of(uint64_t ctl, uint64_t cval, uint64_t now)
{
	if (!(ctl & CTL_ENABLE) || (ctl & CTL_IMASK) || now >= cval)
		return 0;
	return cval;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return !a || (b && b < a) ? b : a;
}

static void vtimer_fired(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	mask_host_ppi(true); /* until the guest has dealt with it */
	struct vcpu *v = current_vcpu();
	if (v)
		vgic_set_line(v, VTIMER_VIRT_INTID, true);
}

void vtimer_sync(struct vcpu *v)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);
	bool virt = (ctl & CTL_ENABLE) && (ctl & CTL_ISTATUS) && !(ctl & CTL_IMASK);
	vgic_set_line(v, VTIMER_VIRT_INTID, virt);
	mask_host_ppi(virt);
	vgic_set_line(v, VTIMER_PHYS_INTID, asserts(v->arch.cntp_ctl, v->arch.cntp_cval, timer_now()));
}

uint64_t vtimer_phys_deadline(const struct vcpu *v)
{
	return deadline_of(v->arch.cntp_ctl, v->arch.cntp_cval, timer_now());
}

static uint64_t saved_deadline(const struct vcpu *v, uint64_t now)
{
	const struct vcpu_sysregs *s = &v->arch.sys;
	return earliest(deadline_of(s->cntv_ctl_el0, s->cntv_cval_el0, now),
			deadline_of(v->arch.cntp_ctl, v->arch.cntp_cval, now));
}

uint64_t vtimer_save(struct vcpu *v)
{
	vtimer_sync(v); /* leaves with exact lines: time alone can only raise them */
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	mask_host_ppi(false);
	return saved_deadline(v, timer_now());
}

void vtimer_load(struct vcpu *v)
{
	mask_host_ppi(v && v->vgic.private[VTIMER_VIRT_INTID].line);
}

uint64_t vtimer_expire(struct vcpu *v, uint64_t now)
{
	const struct vcpu_sysregs *s = &v->arch.sys;
	if (asserts(s->cntv_ctl_el0, s->cntv_cval_el0, now))
		vgic_set_line(v, VTIMER_VIRT_INTID, true);
	if (asserts(v->arch.cntp_ctl, v->arch.cntp_cval, now))
		vgic_set_line(v, VTIMER_PHYS_INTID, true);
	return saved_deadline(v, now);
}

void vtimer_reset(struct vcpu *v)
{
	v->arch.cntp_ctl = 0;
	v->arch.cntp_cval = 0;
}

/*
 * A trapped CNTP_CTL/CVAL/TVAL access (reg: 0 TVAL, 1 CTL, 2 CVAL, as CNTP's
 * Op2). TVAL is the signed 32-bit distance from the counter to CVAL.
 */
void vtimer_phys_access(struct vcpu *v, unsigned int reg, bool read, uint64_t *val)
{
	uint64_t now = timer_now();
	uint64_t *ctl = &v->arch.cntp_ctl, *cval = &v->arch.cntp_cval;
	if (read) {
		if (reg == 0)
			*val = (uint32_t)(*cval - now);
		else if (reg == 1)
			*val = *ctl | ((*ctl & CTL_ENABLE) && now >= *cval ? CTL_ISTATUS : 0);
		else
			*val = *cval;
		return;
	}
	if (reg == 0)
		*cval = now + (uint64_t)(int64_t)(int32_t)*val;
	else if (reg == 1)
		*ctl = *val & (CTL_ENABLE | CTL_IMASK);
	else
		*cval = *val;
	vtimer_sync(v);
	sched_timers_changed();
}

void vtimer_global_init(void)
{
	irq_register(VTIMER_VIRT_INTID, vtimer_fired, NULL);
}

void vtimer_cpu_init(void)
{
	/* EL1 may read the physical counter; its physical timer traps to arx. */
	write_sysreg(cnthctl_el2, BIT(0));
	write_sysreg(cntvoff_el2, 0);
	host_masked[this_cpu()->id] = false;
	irq_enable(VTIMER_VIRT_INTID);
}
