/*
 * Exceptions taken from a guest. ESR_EL2's exception class indexes a table
 * of handlers; each returns what the dispatcher should do with the guest's
 * PC. Anything without a handler is the guest's own problem: it gets an
 * undefined-instruction exception, never a hypervisor fault.
 */
#include <arch/esr.h>
#include <arch/sysreg.h>
#include <arch/trap_frame.h>
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/xen.h>
#include <public/xen.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/sched.h>
#include <arx/vpsci.h>

enum trap_result {
	TRAP_DONE_NEXT, /* handled: continue after the trapping instruction */
	TRAP_DONE_SAME, /* handled: PC already set (ELR points where it should) */
	TRAP_UNDEF, /* inject an undefined-instruction exception */
};

#define SPSR_SS BIT(21)

typedef enum trap_result (*trap_handler_t)(struct vcpu *v, struct trap_frame *f);

static enum trap_result trap_wfx(struct vcpu *v, struct trap_frame *f)
{
	if (ESR_ISS(f->esr) & 1)
		sched_yield(v); /* WFE: likely spinning on a lock another vCPU holds */
	else
		vcpu_wait_for_interrupt(v);
	return TRAP_DONE_NEXT;
}

static enum trap_result trap_hvc(struct vcpu *v, struct trap_frame *f)
{
	uint32_t imm = ESR_ISS(f->esr) & 0xffff;
	if (imm == 0) {
		vpsci_call(v, f); /* ELR already points after the HVC */
		return TRAP_DONE_SAME;
	}
	if (imm == XEN_HYPERCALL_TAG) {
		hypercall_dispatch(v, f);
		return TRAP_DONE_SAME; /* ELR already points after the HVC */
	}
	f->elr -= 4; /* an UNDEF is reported at the instruction itself, not after it */
	return TRAP_UNDEF;
}

static enum trap_result trap_smc(struct vcpu *v, struct trap_frame *f)
{
	vpsci_call(v, f); /* SMCCC through SMC, as through HVC; ELR is at the SMC itself */
	return TRAP_DONE_NEXT;
}

/* HPFAR_EL2 holds IPA[47:12] in bits [43:4]; the page offset comes from FAR_EL2. */
static paddr_t fault_ipa(const struct trap_frame *f)
{
	uint64_t hpfar = read_sysreg(hpfar_el2);
	return ((hpfar >> 4) << 12) | (f->far & 0xfff);
}

#define ISS_ISV BIT(24)
#define ISS_SAS(iss) (((iss) >> 22) & 3)
#define ISS_SSE BIT(21)
#define ISS_SRT(iss) (((iss) >> 16) & 0x1f)
#define ISS_SF BIT(15)
#define ISS_WNR BIT(6)
#define ISS_S1PTW BIT(7)

static uint64_t sign_extend(uint64_t val, unsigned int size, bool to_64)
{
	unsigned int bits = size * 8;
	if (bits < 64 && (val & (1UL << (bits - 1))))
		val |= ~0UL << bits;
	return to_64 ? val : (val & 0xffffffffUL);
}

/*
 * A translation fault on a page that is mapped by now: another vCPU's
 * hypercall changed the page (break before make) while this one touched it.
 * Returning retries the access.
 */
static bool stale_fault(struct vcpu *v, const struct trap_frame *f, paddr_t ipa)
{
	unsigned int fsc = ESR_ISS(f->esr) & 0x3c;
	return fsc == 0x04 && domain_ipa_may_change(v->dom, ipa) &&
	       stage2_fault_is_stale(&v->dom->s2, ipa);
}

/*
 * Emulates the access if a device claims it; false if none does or the
 * device refuses it. Without ISV the access is not described (e.g. load
 * pair): refused, not decoded. A fault on the guest's own page-table walk
 * (S1PTW) is not an access by the instruction at all: its tables are
 * outside its RAM.
 */
static bool emulate_mmio(struct vcpu *v, struct trap_frame *f, paddr_t ipa)
{
	uint64_t iss = ESR_ISS(f->esr);
	if (!(iss & ISS_ISV) || (iss & ISS_S1PTW))
		return false;
	struct mmio_access a = { .ipa = ipa, .size = 1u << ISS_SAS(iss), .write = iss & ISS_WNR };
	unsigned int rt = ISS_SRT(iss);
	if (a.write)
		a.value = guest_reg(f, rt) & (a.size == 8 ? ~0UL : (1UL << (a.size * 8)) - 1);
	if (!mmio_dispatch(&v->dom->mmio, v, &a))
		return false;
	if (!a.write) {
		uint64_t val = a.value;
		if (iss & ISS_SSE)
			val = sign_extend(val, a.size, iss & ISS_SF);
		set_guest_reg(f, rt, val);
	}
	return true;
}

/*
 * Devices first: they are what traps all the time (a driver polling a
 * status register), and the stale-translation check, which may take the
 * stage-2 lock, only concerns RAM and the grant window, where no device is.
 */
static enum trap_result trap_dabt(struct vcpu *v, struct trap_frame *f)
{
	paddr_t ipa = fault_ipa(f);
	if (emulate_mmio(v, f, ipa))
		return TRAP_DONE_NEXT;
	if (!stale_fault(v, f, ipa))
		vcpu_inject_dabt(v, f, f->far);
	return TRAP_DONE_SAME;
}

static enum trap_result trap_iabt(struct vcpu *v, struct trap_frame *f)
{
	if (stale_fault(v, f, fault_ipa(f)))
		return TRAP_DONE_SAME;
	vcpu_inject_pabt(v, f, f->far);
	return TRAP_DONE_SAME;
}

static enum trap_result trap_sysreg(struct vcpu *v, struct trap_frame *f)
{
	return sysreg_trap(v, f) ? TRAP_DONE_NEXT : TRAP_UNDEF;
}

static const trap_handler_t handlers[64] = {
	[0x01] = trap_wfx,
	[0x16] = trap_hvc,
	[0x17] = trap_smc,
	[0x18] = trap_sysreg,
	[0x20] = trap_iabt,
	[0x24] = trap_dabt,
};

static void guest_sync(struct vcpu *v, struct trap_frame *f)
{
	trap_handler_t h = handlers[ESR_EC(f->esr)];
	enum trap_result r = h ? h(v, f) : TRAP_UNDEF;
	if (r == TRAP_DONE_NEXT) {
		f->elr += (f->esr & BIT(25)) ? 4 : 2; /* IL: 32- or 16-bit (AArch32 EL0) */
		f->spsr &= ~SPSR_SS; /* a guest single-stepping it has now stepped it */
	} else if (r == TRAP_UNDEF) {
		vcpu_inject_undef(v, f);
	}
}

void guest_trap(struct trap_frame *f, unsigned int vector)
{
	struct vcpu *v = this_cpu()->vcpu; /* current_vcpu(), without a call on every exit */
	v->exits++;
	switch (vector & 3) {
	case VEC_SYNC:
		guest_sync(v, f);
		break;
	case VEC_IRQ:
		irq_dispatch();
		break;
	case VEC_SERROR:
		domain_crash(v->dom, "SError caused by the guest");
		break;
	default:
		break; /* FIQs are not used */
	}
	vcpu_before_return(v, f);
}
