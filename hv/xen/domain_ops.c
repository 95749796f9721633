/*
 * Per-domain and per-vCPU hypercalls: HVM parameters (where the PV console
 * is), vcpu_op (where each vCPU's vcpu_info lives) and sched_op (yield,
 * block, poll, shutdown). A domain only ever names itself or its own vCPUs.
 */
#include <arx/domain.h>
#include <arx/guest_layout.h>
#include <arx/guest_trap.h>
#include <arx/mac.h>
#include <arx/sched.h>
#include <arx/xen.h>
#include <public/event_channel.h>
#include <public/hvm_params.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define POLL_MAX_PORTS 128 /* as Xen */

static uint64_t get_param(struct domain *d, uint32_t index)
{
	if (!d->built_by_toolstack) { /* arx built it: the PV console is arx's */
		if (index == HVM_PARAM_CONSOLE_PFN)
			return d->xen.console_port ? GUEST_XENCONS_BASE >> XEN_PAGE_SHIFT : 0;
		if (index == HVM_PARAM_CONSOLE_EVTCHN)
			return d->xen.console_port;
	}
	/* No xenstore for arx's own domains (0): Linux starts no frontends there. */
	return d->xen.params[index];
}

/* The parameters the domain builder sets for a domain it made (Xen's libxl does). */
static bool builder_param(uint32_t index)
{
	return index == HVM_PARAM_STORE_PFN || index == HVM_PARAM_STORE_EVTCHN ||
	       index == HVM_PARAM_CONSOLE_PFN || index == HVM_PARAM_CONSOLE_EVTCHN ||
	       index == HVM_PARAM_MONITOR_RING_PFN;
}

/*
 * The store of a domain arx built with disks or vifs, set up by the control
 * domain's toolstack in two steps. Debian's init-dom0less sets STORE_PFN (the
 * xenstore page of the magic area, which it populated) before it introduces
 * the domain to xenstored; but xenstored 4.17 clears the ring's indexes after
 * it has bound the store port, so a request the guest made in between would
 * be lost. So the guest is woken only when STORE_PFN is set again, to the same
 * page, once the port is bound (dom0's arx-dom0less does, after
 * init-dom0less): Linux waits for that event to use its store.
 */
static long store_ready(struct domain *d, uint64_t gfn)
{
	const uint64_t store_gfn = (GUEST_MAGIC_BASE >> XEN_PAGE_SHIFT) + GUEST_MAGIC_XENSTORE;
	if (gfn != store_gfn || !d->magic[GUEST_MAGIC_XENSTORE])
		return -XEN_EINVAL;
	if (xen_store_awaited(d)) {
		d->xen.params[HVM_PARAM_STORE_PFN] = gfn;
		return 0;
	}
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	long r = evtchn_raise_if_bound(d, (uint32_t)d->xen.params[HVM_PARAM_STORE_EVTCHN]) ? 0
												: -XEN_EBUSY;
	spin_unlock_irqrestore(&xen_lock, flags);
	return r;
}

/* Whether the caller sets up the store of d, a domain arx built with devices. */
static bool sets_late_store(struct vcpu *v, struct domain *d, uint32_t index)
{
	return v->dom->control && d != v->dom && !d->built_by_toolstack &&
	       index == HVM_PARAM_STORE_PFN && d->xen.params[HVM_PARAM_STORE_EVTCHN] &&
	       (xen_store_awaited(d) || d->xen.params[HVM_PARAM_STORE_PFN]);
}

long hvm_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	struct xen_hvm_param p;
	if (cmd != HVMOP_get_param && cmd != HVMOP_set_param)
		return -XEN_ENOSYS;
	if (!copy_from_guest(v, &p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (p.index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	domains_table_lock(); /* the control domain may name a domain that is going */
	struct domain *d = xen_target_domain(v, p.domid);
	long r = d ? 0 : (v->dom->control ? -XEN_ESRCH : -XEN_EPERM);
	if (d && d != v->dom && !mac_may_control(v->dom, d, cmd == HVMOP_set_param ? POL_CREATE
											    : POL_LIST))
		r = -XEN_EACCES;
	else if (d && cmd == HVMOP_set_param) {
		bool by_builder = d != v->dom && d->built_by_toolstack && builder_param(p.index);
		if (p.index == HVM_PARAM_CALLBACK_IRQ || by_builder)
			d->xen.params[p.index] = p.value;
		else if (sets_late_store(v, d, p.index))
			r = store_ready(d, p.value);
		else
			r = -XEN_EPERM; /* the rest describe what arx or the builder set up */
	} else if (d) {
		p.value = get_param(d, p.index);
	}
	domains_table_unlock();
	if (r == 0 && cmd == HVMOP_get_param && !copy_to_guest(v, arg, &p, sizeof(p)))
		return -XEN_EFAULT;
	return r;
}

static long register_vcpu_info(struct vcpu *v, struct vcpu *t, uint64_t arg)
{
	struct vcpu_register_vcpu_info r;
	paddr_t page;
	if (!copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	/* Whole in one page, and 8-aligned: arx updates it with atomic 64-bit operations. */
	if (r.offset > XEN_PAGE_SIZE - sizeof(struct vcpu_info) || r.offset % 8 ||
	    !xen_own_frame(v->dom, r.mfn, true, &page))
		return -XEN_EINVAL;
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	long ret = t->xen.vcpu_info_registered ? -XEN_EBUSY : 0;
	if (!ret) {
		t->xen.vcpu_info_registered = true;
		evtchn_vcpu_info_moved(t, page + r.offset);
	}
	spin_unlock_irqrestore(&xen_lock, flags);
	return ret;
}

long vcpu_op(struct vcpu *v, uint64_t cmd, uint64_t vcpuid, uint64_t arg)
{
	struct domain *d = v->dom;
	struct vcpu_register_runstate_memory_area rs;
	if (vcpuid >= d->nr_vcpus)
		return -XEN_ENOENT;
	struct vcpu *t = d->vcpus[vcpuid];
	switch (cmd) {
	case VCPUOP_is_up:
		return t->power == VCPU_ON;
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, t, arg);
	case VCPUOP_register_runstate_memory_area:
		/* Kept, not written: the guest then sees no steal time (docs/xen-abi.md). */
		if (!copy_from_guest(v, &rs, arg, sizeof(rs)))
			return -XEN_EFAULT;
		t->xen.runstate_va = rs.addr.p;
		return 0;
	default:
		return -XEN_ENOSYS; /* vCPUs are started and stopped with PSCI */
	}
}

static long shutdown_op(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->dom;
	struct sched_shutdown s;
	if (!copy_from_guest(v, &s, arg, sizeof(s)))
		return -XEN_EFAULT;
	switch (s.reason) {
	case SHUTDOWN_poweroff:
		domain_poweroff(d, "powered off (SCHEDOP_shutdown)");
		return 0;
	case SHUTDOWN_reboot:
		domain_reboot(d, "rebooted (SCHEDOP_shutdown)");
		return 0;
	case SHUTDOWN_crash:
		domain_crash(d, "the guest reported a crash (SCHEDOP_shutdown)");
		return 0;
	case SHUTDOWN_watchdog:
		domain_crash(d, "its watchdog expired (SCHEDOP_shutdown)");
		return 0;
	default:
		return -XEN_EINVAL; /* suspend needs a toolstack to resume it */
	}
}

/* Waits until an interrupt is due (an event raises PPI 31) unless a port is pending now. */
static long poll_op(struct vcpu *v, uint64_t arg)
{
	struct sched_poll p;
	if (!copy_from_guest(v, &p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	for (uint32_t i = 0; i < p.nr_ports; i++) {
		evtchn_port_t port;
		if (!copy_from_guest(v, &port, p.ports + i * sizeof(port), sizeof(port)))
			return -XEN_EFAULT;
		if (port >= EVTCHN_MAX_PORTS)
			return -XEN_EINVAL;
		if (evtchn_is_pending(v->dom, port))
			return 0;
	}
	vcpu_wait_for_interrupt(v);
	return 0;
}

long sched_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case SCHEDOP_yield:
		sched_yield(v);
		return 0;
	case SCHEDOP_block:
		vcpu_wait_for_interrupt(v);
		return 0;
	case SCHEDOP_shutdown:
		return shutdown_op(v, arg);
	case SCHEDOP_poll:
		return poll_op(v, arg);
	default:
		return -XEN_ENOSYS;
	}
}
