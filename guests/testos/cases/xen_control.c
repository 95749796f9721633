/*
 * The Xen ABI's control interface, refused: only the control domain (domain
 * 0, Xen's toolstack) may use sysctl and most of domctl, fill or map another
 * domain's memory, open ports in another domain, bind VIRQ_DOM_EXC or read
 * HVM parameters of another domain. testos, an ordinary domain, tries each
 * with well-formed arguments (so only the privilege check can refuse them)
 * and must get Xen's answer: -EPERM, whichever domain it names.
 *
 * The domctl life cycle and looking (getdomaininfo, pause, unpause,
 * destroy) are not here: arx lets any domain ask for them and the access
 * control policy decides (attack_policy).
 */
#include <public/domctl.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/sysctl.h>
#include "cases.h"
#include "xen.h"

#define E(x) (-(int64_t)XEN_##x)

/* An op of the control domain's on domain t, answered r: -EPERM it must be. */
static void refused(const char *call, uint32_t cmd, domid_t t, int64_t r)
{
	case_check(r == E(EPERM), "%s %u naming domain %#x: got %ld, expected -1", call, cmd, t, r);
}

/* The domctl ops a domain other than the control domain may never make. */
static void domctl_refused(domid_t t)
{
	static struct xen_domctl op;
	static const uint32_t cmds[] = {
		XEN_DOMCTL_createdomain, XEN_DOMCTL_max_mem, XEN_DOMCTL_setvcpucontext,
		XEN_DOMCTL_getvcpuinfo, XEN_DOMCTL_max_vcpus, XEN_DOMCTL_cacheflush,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		op = (struct xen_domctl){ .cmd = cmds[i],
					  .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
					  .domain = t };
		refused("domctl", cmds[i], t,
			xen_call(__HYPERVISOR_domctl, (uint64_t)(uintptr_t)&op, 0, 0));
	}
}

void xen_sysctl_refused(void)
{
	static struct xen_sysctl op;
	static const uint32_t cmds[] = {
		XEN_SYSCTL_readconsole, XEN_SYSCTL_physinfo, XEN_SYSCTL_getdomaininfolist,
		XEN_SYSCTL_cpupool_op,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		op = (struct xen_sysctl){ .cmd = cmds[i],
					  .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
		xen_expect("sysctl", xen_call(__HYPERVISOR_sysctl, (uint64_t)(uintptr_t)&op, 0, 0),
			   E(EPERM));
	}
}

static void foreign_memory_refused(domid_t t)
{
	static xen_ulong_t idx = 0x40000;
	static xen_pfn_t gpfn, gfn = 0x40000;
	static int err;
	static struct xen_add_to_physmap_batch b;
	static struct xen_memory_reservation r;
	static struct xen_mem_acquire_resource a;

	gpfn = xen_gfn(XP_MAP_HOLE);
	b = (struct xen_add_to_physmap_batch){ .domid = DOMID_SELF,
					       .space = XENMAPSPACE_gmfn_foreign, .size = 1,
					       .foreign_domid = t, .idxs = (uintptr_t)&idx,
					       .gpfns = (uintptr_t)&gpfn, .errs = (uintptr_t)&err };
	refused("memory_op", XENMEM_add_to_physmap_batch, t,
		xen_op(__HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, &b));
	r = (struct xen_memory_reservation){ .extent_start = (uintptr_t)&gfn, .nr_extents = 1,
					     .domid = t };
	refused("memory_op", XENMEM_populate_physmap, t,
		xen_op(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &r));
	a = (struct xen_mem_acquire_resource){ .domid = t, .type = XENMEM_resource_grant_table,
					       .nr_frames = 1, .frame_list = (uintptr_t)&gpfn };
	refused("memory_op", XENMEM_acquire_resource, t,
		xen_op(__HYPERVISOR_memory_op, XENMEM_acquire_resource, &a));
}

void xen_privileged_refused(domid_t t)
{
	static struct xen_hvm_param p;
	uint32_t port;

	domctl_refused(t);
	foreign_memory_refused(t);
	refused("event_channel_op", EVTCHNOP_alloc_unbound, t,
		xen_alloc_unbound(t, DOMID_SELF, &port));
	p = (struct xen_hvm_param){ .domid = t, .index = HVM_PARAM_STORE_PFN };
	refused("hvm_op", HVMOP_get_param, t, xen_op(__HYPERVISOR_hvm_op, HVMOP_get_param, &p));
}

void case_xen_control_refused(void)
{
	static struct evtchn_bind_virq v;

	if (!xen_ready())
		return;
	xen_sysctl_refused();
	xen_privileged_refused(0);
	xen_privileged_refused(xen_other_domid());
	v = (struct evtchn_bind_virq){ .virq = VIRQ_DOM_EXC, .vcpu = 0 };
	xen_expect("bind_virq(VIRQ_DOM_EXC)",
		   xen_op(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, &v), E(EPERM));
}
