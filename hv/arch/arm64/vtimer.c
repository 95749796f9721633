/*
 * The guest's virtual timer runs on the real CNTV registers. When it fires,
 * the physical PPI comes to arx (HCR_EL2.IMO), which masks the timer output
 * (so the level-triggered line drops) and injects the virtual PPI. The
 * guest's handler reprograms the timer, which unmasks it.
 */
#include <arch/sysreg.h>
#include <arx/irq.h>
#include <arx/vcpu.h>
#include <arx/vtimer.h>

#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)
#define VTIMER_INTID 27

static void vtimer_fired(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	write_sysreg(cntv_ctl_el0, read_sysreg(cntv_ctl_el0) | CNT_CTL_IMASK);
	isb();
	struct vcpu *v = current_vcpu();
	if (v)
		vgic_inject(v, VTIMER_INTID);
}

uint64_t vtimer_deadline(const struct vcpu *v)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);
	(void)v;
	if ((ctl & CNT_CTL_ENABLE) && !(ctl & CNT_CTL_IMASK))
		return read_sysreg(cntv_cval_el0) | 1; /* never 0: 0 means "none" */
	return 0;
}

void vtimer_soft_fire(struct vcpu *v)
{
	v->arch.sys.cntv_ctl_el0 |= CNT_CTL_IMASK; /* as vtimer_fired does to the live one */
}

void vtimer_global_init(void)
{
	irq_register(VTIMER_INTID, vtimer_fired, NULL);
}

void vtimer_cpu_init(void)
{
	/* EL1 may read the physical counter; its physical timer traps to arx. */
	write_sysreg(cnthctl_el2, BIT(0));
	write_sysreg(cntvoff_el2, 0);
	irq_enable(VTIMER_INTID);
}
