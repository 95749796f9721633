/*
 * The PMU for guests: the cycle counter and the event counters the host
 * has, counting for one vCPU only while it runs and never at EL2.
 *
 * Every PMU access traps (MDCR_EL2.TPM, TPMCR) and is done by arx on the
 * hardware: with PMUv3 before v3.1 there is no MDCR_EL2.HPMD, so only
 * filtering what the guest writes to PMEVTYPER<n>/PMCCFILTR (NSH stays 0)
 * keeps EL2 out of its counts (where HPMD exists it is set as well), and the
 * overflow interrupt's mask must be seen to be lifted. What is lazy is the switch: a vCPU's first access makes
 * it the owner of the counters, and only owners are saved (and stopped) and
 * restored on a vCPU switch; a CPU going from an owner to a non-owner stops
 * and silences the hardware, and a non-owner's first access loads its own
 * zeroed state, so no domain reads or resets another's counts.
 *
 * The overflow interrupt (PPI 23, level) comes to arx; it masks the source
 * (PMINTENCLR, the guest's own mask kept aside) and injects virtual PPI 23.
 * When the guest clears the overflow (or touches the masks) the guest's mask
 * goes back, so an overflow still pending raises the line again.
 */
#include <arch/sysreg.h>
#include <arch/sysreg_iss.h>
#include <arch/vdebug.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/string.h>
#include <arx/vcpu.h>

#define PMU_INTID 23

#define PMCR_EL0 SYSREG(3, 3, 9, 12, 0)
#define PMCNTENSET_EL0 SYSREG(3, 3, 9, 12, 1)
#define PMCNTENCLR_EL0 SYSREG(3, 3, 9, 12, 2)
#define PMOVSCLR_EL0 SYSREG(3, 3, 9, 12, 3)
#define PMSWINC_EL0 SYSREG(3, 3, 9, 12, 4)
#define PMSELR_EL0 SYSREG(3, 3, 9, 12, 5)
#define PMCEID0_EL0 SYSREG(3, 3, 9, 12, 6)
#define PMCEID1_EL0 SYSREG(3, 3, 9, 12, 7)
#define PMCCNTR_EL0 SYSREG(3, 3, 9, 13, 0)
#define PMXEVTYPER_EL0 SYSREG(3, 3, 9, 13, 1)
#define PMXEVCNTR_EL0 SYSREG(3, 3, 9, 13, 2)
#define PMUSERENR_EL0 SYSREG(3, 3, 9, 14, 0)
#define PMINTENSET_EL1 SYSREG(3, 0, 9, 14, 1)
#define PMINTENCLR_EL1 SYSREG(3, 0, 9, 14, 2)
#define PMOVSSET_EL0 SYSREG(3, 3, 9, 14, 3)

#define PMCR_E BIT(0)
#define PMCR_P BIT(1)
#define PMCR_C BIT(2)
#define PMCR_WRITABLE 0x7fUL /* E P C D X DP LC */
#define CYCLE_COUNTER 31
#define PMUSERENR_WRITABLE 0xfUL /* EN SW CR ER */
/*
 * Event filters: P, U, NSK, NSU and the event number. NSH (bit 27: count at
 * EL2) and M (EL3) are never let through.
 */
#define EVTYPER_ALLOWED 0xf000ffffUL
#define CCFILTR_ALLOWED 0xf0000000UL

static bool hw_dirty[NR_CPUS];
static bool have_pmu;
static bool have_hpmd; /* PMUv3.1 and later: MDCR_EL2.HPMD stops EL2 counting outright */

#define PMUVER_V3P1 4
#define MDCR_HPMD BIT(17)

/* Bits of the SET/CLR registers: the event counters there are, and the cycle counter. */
static uint64_t counter_bits(void)
{
	return (BIT(pmu_nr_counters()) - 1) | BIT(CYCLE_COUNTER);
}

/* Event counter n through PMSELR (the named registers cannot be indexed). */
static void select_counter(unsigned int n)
{
	write_sysreg(pmselr_el0, n);
	isb();
}

/* Stops counting and lowers the interrupt: what a CPU without an owner looks like. */
static void silence(void)
{
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) & ~PMCR_E);
	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmintenclr_el1, ~0UL);
	write_sysreg(pmovsclr_el0, ~0UL);
	isb();
}

void vpmu_save(struct vcpu *v)
{
	struct vcpu_pmu *p = &v->arch.pmu;
	if (!p->owner)
		return;
	p->pmcr = read_sysreg(pmcr_el0) & PMCR_WRITABLE;
	write_sysreg(pmcr_el0, p->pmcr & ~PMCR_E); /* stop first: nothing counts arx */
	isb();
	p->selr = read_sysreg(pmselr_el0);
	for (unsigned int n = 0; n < pmu_nr_counters(); n++) {
		select_counter(n);
		p->evcntr[n] = read_sysreg(pmxevcntr_el0);
		p->evtyper[n] = read_sysreg(pmxevtyper_el0);
	}
	p->ccntr = read_sysreg(pmccntr_el0);
	p->ccfiltr = read_sysreg(pmccfiltr_el0);
	p->cntenset = read_sysreg(pmcntenset_el0);
	p->ovsset = read_sysreg(pmovsset_el0);
	p->userenr = read_sysreg(pmuserenr_el0);
	silence();
}

static void rearm_interrupt(const struct vcpu_pmu *p)
{
	write_sysreg(pmintenclr_el1, ~p->intenset);
	write_sysreg(pmintenset_el1, p->intenset);
	isb();
}

static void state_load(const struct vcpu_pmu *p)
{
	silence();
	for (unsigned int n = 0; n < pmu_nr_counters(); n++) {
		select_counter(n);
		write_sysreg(pmxevtyper_el0, p->evtyper[n]);
		write_sysreg(pmxevcntr_el0, p->evcntr[n]);
	}
	write_sysreg(pmselr_el0, p->selr);
	write_sysreg(pmccfiltr_el0, p->ccfiltr);
	write_sysreg(pmccntr_el0, p->ccntr);
	write_sysreg(pmovsset_el0, p->ovsset);
	write_sysreg(pmuserenr_el0, p->userenr);
	write_sysreg(pmcntenset_el0, p->cntenset);
	rearm_interrupt(p);
	write_sysreg(pmcr_el0, p->pmcr & ~(PMCR_P | PMCR_C)); /* last: counting starts */
	isb();
}

void vpmu_load(struct vcpu *v)
{
	unsigned int cpu = this_cpu()->id;
	if (v->arch.pmu.owner) {
		state_load(&v->arch.pmu);
		hw_dirty[cpu] = true;
	} else if (hw_dirty[cpu]) {
		silence();
		hw_dirty[cpu] = false;
	}
}

void vpmu_reset(struct vcpu *v)
{
	bool owner = v->arch.pmu.owner;
	memset(&v->arch.pmu, 0, sizeof(v->arch.pmu));
	v->arch.pmu.owner = owner;
}

uint64_t vpmu_traps(const struct vcpu *v)
{
	(void)v;
	return MDCR_TPM | MDCR_TPMCR | (have_hpmd ? MDCR_HPMD : 0);
}

/* PMXEV* and PMEV*<n> name counter n; 31 is the cycle counter's filter (types only). */
static bool counter_valid(unsigned int n, bool type)
{
	return n < pmu_nr_counters() || (type && n == CYCLE_COUNTER);
}

static uint64_t type_filter(unsigned int n, uint64_t val)
{
	return val & (n == CYCLE_COUNTER ? CCFILTR_ALLOWED : EVTYPER_ALLOWED);
}

/* An event counter or type register by number, the guest's PMSELR kept. */
static enum sysreg_outcome indexed(unsigned int n, bool type, bool read, uint64_t *val)
{
	if (!counter_valid(n, type))
		return SYSREG_UNDEF;
	uint64_t selr = read_sysreg(pmselr_el0);
	select_counter(n);
	if (type && read)
		*val = read_sysreg(pmxevtyper_el0);
	else if (type)
		write_sysreg(pmxevtyper_el0, type_filter(n, *val));
	else if (read)
		*val = read_sysreg(pmxevcntr_el0);
	else
		write_sysreg(pmxevcntr_el0, *val);
	write_sysreg(pmselr_el0, selr);
	isb();
	return SYSREG_DONE;
}

/* PMEVCNTR<n>_EL0 (CRm 8-11) and PMEVTYPER<n>_EL0 / PMCCFILTR_EL0 (CRm 12-15). */
static enum sysreg_outcome event_regs(uint64_t iss, uint64_t *val)
{
	unsigned int n = ((ISS_CRM(iss) & 3) << 3) | ISS_OP2(iss);
	return indexed(n, ISS_CRM(iss) >= 12, ISS_READ(iss), val);
}

static enum sysreg_outcome control_read(struct vcpu *v, uint64_t reg, uint64_t *val)
{
	switch (reg) {
	case PMCR_EL0: *val = read_sysreg(pmcr_el0); break;
	case PMCNTENSET_EL0:
	case PMCNTENCLR_EL0: *val = read_sysreg(pmcntenset_el0); break;
	case PMOVSSET_EL0:
	case PMOVSCLR_EL0: *val = read_sysreg(pmovsset_el0); break;
	case PMINTENSET_EL1:
	case PMINTENCLR_EL1: *val = v->arch.pmu.intenset; break;
	case PMSELR_EL0: *val = read_sysreg(pmselr_el0); break;
	case PMCEID0_EL0: *val = read_sysreg(pmceid0_el0); break;
	case PMCEID1_EL0: *val = read_sysreg(pmceid1_el0); break;
	case PMCCNTR_EL0: *val = read_sysreg(pmccntr_el0); break;
	case PMUSERENR_EL0: *val = read_sysreg(pmuserenr_el0); break;
	case PMXEVTYPER_EL0: return indexed(read_sysreg(pmselr_el0) & 0x1f, true, true, val);
	case PMXEVCNTR_EL0: return indexed(read_sysreg(pmselr_el0) & 0x1f, false, true, val);
	default: *val = 0; break; /* PMSWINC and anything newer than PMUv3 */
	}
	return SYSREG_DONE;
}

static enum sysreg_outcome control_write(struct vcpu *v, uint64_t reg, uint64_t val)
{
	uint64_t bits = val & counter_bits();
	switch (reg) {
	case PMCR_EL0: write_sysreg(pmcr_el0, val & PMCR_WRITABLE); break;
	case PMCNTENSET_EL0: write_sysreg(pmcntenset_el0, bits); break;
	case PMCNTENCLR_EL0: write_sysreg(pmcntenclr_el0, bits); break;
	case PMOVSSET_EL0: write_sysreg(pmovsset_el0, bits); break;
	case PMOVSCLR_EL0: write_sysreg(pmovsclr_el0, bits); break;
	case PMINTENSET_EL1: v->arch.pmu.intenset |= bits; break;
	case PMINTENCLR_EL1: v->arch.pmu.intenset &= ~bits; break;
	case PMSWINC_EL0: write_sysreg(pmswinc_el0, bits & ~BIT(CYCLE_COUNTER)); break;
	case PMSELR_EL0: write_sysreg(pmselr_el0, val & 0x1f); break;
	case PMCCNTR_EL0: write_sysreg(pmccntr_el0, val); break;
	case PMUSERENR_EL0: write_sysreg(pmuserenr_el0, val & PMUSERENR_WRITABLE); break;
	case PMXEVTYPER_EL0: return indexed(read_sysreg(pmselr_el0) & 0x1f, true, false, &val);
	case PMXEVCNTR_EL0: return indexed(read_sysreg(pmselr_el0) & 0x1f, false, false, &val);
	default: return SYSREG_DONE; /* read-only (PMCEID*) or newer than PMUv3: ignored */
	}
	rearm_interrupt(&v->arch.pmu); /* an overflow cleared or a mask changed */
	return SYSREG_DONE;
}

/* Debug-and-PMU space as the architecture lays it out (CRn 9 CRm 12-14, CRn 14 CRm 8-15). */
static bool is_pmu_reg(uint64_t iss)
{
	if (ISS_OP0(iss) != 3)
		return false;
	if (ISS_CRN(iss) == 9 && ISS_CRM(iss) >= 12)
		return true;
	return ISS_OP1(iss) == 3 && ISS_CRN(iss) == 14 && ISS_CRM(iss) >= 8;
}

enum sysreg_outcome vpmu_access(struct vcpu *v, struct trap_frame *f, uint64_t iss)
{
	if (!is_pmu_reg(iss))
		return SYSREG_NOT_MINE;
	uint64_t val = ISS_READ(iss) ? 0 : guest_reg(f, ISS_RT(iss));
	enum sysreg_outcome o = SYSREG_DONE;
	if (!have_pmu) {
		/* No PMUv3 to give: read as zero, writes ignored. */
	} else {
		if (!v->arch.pmu.owner) {
			v->arch.pmu.owner = true;
			vpmu_load(v);
		}
		if (ISS_CRN(iss) == 14)
			o = event_regs(iss, &val);
		else if (ISS_READ(iss))
			o = control_read(v, iss & SYSREG_MASK, &val);
		else
			o = control_write(v, iss & SYSREG_MASK, val);
	}
	if (o == SYSREG_DONE && ISS_READ(iss))
		set_guest_reg(f, ISS_RT(iss), val);
	return o;
}

/* The counters overflowed while an owner ran: mask at the source, tell the guest. */
static void overflow_fired(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	write_sysreg(pmintenclr_el1, ~0UL);
	isb();
	struct vcpu *v = current_vcpu();
	if (v && v->arch.pmu.owner)
		vgic_inject(v, PMU_INTID);
}

void vpmu_global_init(void)
{
	unsigned int ver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;
	have_pmu = ver != 0 && ver != 0xf; /* 0xf: IMPLEMENTATION DEFINED, not PMUv3 */
	have_hpmd = have_pmu && ver >= PMUVER_V3P1;
	if (have_pmu)
		irq_register(PMU_INTID, overflow_fired, NULL);
}

void vpmu_cpu_init(void)
{
	if (!have_pmu)
		return;
	silence();
	irq_enable(PMU_INTID);
}
