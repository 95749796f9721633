/*
 * Virtual PSCI. A vCPU powered off waits on its own physical CPU; CPU_ON
 * only records where it starts and kicks that CPU, which resets itself,
 * so no CPU ever touches another's live registers.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/irq.h>
#include <arx/psci.h>
#include <arx/sched.h>
#include <arx/vpsci.h>

#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_INVALID_ADDRESS -9

static bool is_guest_ram(const struct domain *d, uint64_t ipa)
{
	return ipa >= GUEST_RAM_BASE && ipa - GUEST_RAM_BASE < d->ram_size;
}

static int64_t cpu_on(struct vcpu *v, uint64_t mpidr, uint64_t pc, uint64_t ctx)
{
	struct domain *d = v->dom;
	struct vcpu *t = domain_vcpu_by_mpidr(d, mpidr);
	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (!is_guest_ram(d, pc))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&d->lock);
	int64_t r = PSCI_SUCCESS;
	if (t->power == VCPU_ON)
		r = PSCI_ALREADY_ON;
	else if (t->power == VCPU_ON_PENDING)
		r = PSCI_ON_PENDING;
	else {
		t->start_pc = pc;
		t->start_ctx = ctx;
		t->power = VCPU_ON_PENDING;
	}
	spin_unlock(&d->lock);
	if (r == PSCI_SUCCESS)
		sched_wake(t);
	return r;
}

static int64_t affinity_info(struct vcpu *v, uint64_t mpidr, uint64_t level)
{
	struct vcpu *t = domain_vcpu_by_mpidr(v->dom, mpidr);
	if (!t || level != 0)
		return PSCI_INVALID_PARAMETERS;
	if (t->power == VCPU_ON)
		return 0;
	return t->power == VCPU_ON_PENDING ? 2 : 1;
}

static void cpu_off(struct vcpu *v)
{
	struct domain *d = v->dom;
	unsigned int on = 0;
	spin_lock(&d->lock);
	v->power = VCPU_OFF;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		on += d->vcpus[i]->power != VCPU_OFF;
	spin_unlock(&d->lock);
	if (on == 0)
		domain_poweroff(d, "all its vCPUs are off");
}

static bool is_known(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF: case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
	case SMCCC_VERSION: case SMCCC_ARCH_FEATURES:
		return true;
	}
	return false;
}

/* 32-bit calls take 32-bit arguments: the upper halves are not the caller's to set. */
static uint64_t arg(const struct trap_frame *f, int n, bool is32)
{
	return is32 ? (uint32_t)f->x[n] : f->x[n];
}

static int64_t dispatch(struct vcpu *v, struct trap_frame *f, uint32_t fid)
{
	bool is32 = !(fid & 0x40000000u);
	switch (fid) {
	case PSCI_VERSION: return 0x10000; /* 1.0 */
	case SMCCC_VERSION: return 0x10001; /* 1.1 */
	case PSCI_FEATURES: return is_known((uint32_t)f->x[1]) ? 0 : PSCI_NOT_SUPPORTED;
	case SMCCC_ARCH_FEATURES: return PSCI_NOT_SUPPORTED; /* no firmware workarounds needed */
	case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
		return cpu_on(v, arg(f, 1, is32), arg(f, 2, is32), arg(f, 3, is32));
	case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64:
		return affinity_info(v, arg(f, 1, is32), arg(f, 2, is32));
	case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
		vcpu_wait_for_interrupt(v); /* a standby state: as WFI */
		return PSCI_SUCCESS;
	case PSCI_CPU_OFF: cpu_off(v); return PSCI_DENIED; /* seen only if it did not stop */
	case PSCI_MIGRATE_INFO_TYPE: return 2; /* no trusted OS to migrate */
	case PSCI_SYSTEM_OFF: domain_poweroff(v->dom, "powered off (PSCI SYSTEM_OFF)"); return 0;
	case PSCI_SYSTEM_RESET: domain_reboot(v->dom, "asked for a reset (PSCI SYSTEM_RESET)"); return 0;
	}
	return PSCI_NOT_SUPPORTED;
}

void vpsci_call(struct vcpu *v, struct trap_frame *f)
{
	f->x[0] = (uint64_t)dispatch(v, f, (uint32_t)f->x[0]);
}
