/*
 * The Xen ABI's control interface, refused: only the control domain (domain
 * 0, Xen's toolstack) may use domctl and sysctl, fill or map another
 * domain's memory, open ports in another domain, bind VIRQ_DOM_EXC or read
 * HVM parameters of another domain. testos, an ordinary domain, tries each
 * with well-formed arguments (so only the privilege check can refuse them)
 * and must get Xen's answer: -EPERM.
 */
#include <public/domctl.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/sysctl.h>
#include "cases.h"
#include "xen.h"

#define E(x) (-(int64_t)XEN_##x)

static void domctl_refused(void)
{
	static struct xen_domctl op;
	static const uint32_t cmds[] = {
		XEN_DOMCTL_createdomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain,
		XEN_DOMCTL_unpausedomain, XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_max_mem,
		XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpuinfo, XEN_DOMCTL_max_vcpus,
		XEN_DOMCTL_cacheflush,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		op = (struct xen_domctl){ .cmd = cmds[i],
					  .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
					  .domain = 0 };
		xen_expect("domctl", xen_call(__HYPERVISOR_domctl, (uint64_t)(uintptr_t)&op, 0, 0),
			   E(EPERM));
	}
}

static void sysctl_refused(void)
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

static void foreign_memory_refused(void)
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
					       .foreign_domid = 0, .idxs = (uintptr_t)&idx,
					       .gpfns = (uintptr_t)&gpfn, .errs = (uintptr_t)&err };
	xen_expect("add_to_physmap_batch(gmfn_foreign of domain 0)",
		   xen_op(__HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, &b), E(EPERM));
	r = (struct xen_memory_reservation){ .extent_start = (uintptr_t)&gfn, .nr_extents = 1,
					     .domid = 0 };
	xen_expect("populate_physmap for domain 0",
		   xen_op(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &r), E(EPERM));
	r.domid = xen_other_domid();
	xen_expect("populate_physmap for another domain",
		   xen_op(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &r), E(EPERM));
	a = (struct xen_mem_acquire_resource){ .domid = 0, .type = XENMEM_resource_grant_table,
					       .nr_frames = 1, .frame_list = (uintptr_t)&gpfn };
	xen_expect("acquire_resource(grant table of domain 0)",
		   xen_op(__HYPERVISOR_memory_op, XENMEM_acquire_resource, &a), E(EPERM));
}

void case_xen_control_refused(void)
{
	static struct evtchn_bind_virq v;
	static struct xen_hvm_param p;
	uint32_t port;

	if (!xen_ready())
		return;
	domctl_refused();
	sysctl_refused();
	foreign_memory_refused();
	xen_expect("alloc_unbound in domain 0",
		   xen_alloc_unbound(0, DOMID_SELF, &port), E(EPERM));
	v = (struct evtchn_bind_virq){ .virq = VIRQ_DOM_EXC, .vcpu = 0 };
	xen_expect("bind_virq(VIRQ_DOM_EXC)",
		   xen_op(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, &v), E(EPERM));
	p = (struct xen_hvm_param){ .domid = 0, .index = HVM_PARAM_STORE_PFN };
	xen_expect("hvm_op(get_param) of domain 0",
		   xen_op(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), E(EPERM));
}
