/*
 * Host tests of the control interface's argument checks (hv/xen/domctl.c,
 * sysctl.c), under ASan/UBSan: the control domain is privileged, not
 * trusted, so every field it passes is checked; other domains are refused.
 * Calls go through domctl()/sysctl() with the struct in the caller's fake
 * RAM, as a guest makes them.
 */
#include <stdint.h>
#include <string.h>

#include <arx/domain.h>
#include <arx/domain_build.h>
#include <arx/mac.h>
#include <arx/xen.h>
#include <arx/guest_layout.h>
#include <public/domctl.h>
#include <public/hvm_params.h>
#include <public/sysctl.h>
#include <public/xen.h>

#include "check.h"
#include "control_stubs.h"

#define RAM_PAGES 8
#define E(x) (-(long)XEN_##x)

static struct domain *d0, *d2, *d5;

static void setup(void)
{
	memset(&fake, 0, sizeof(fake));
	memset(&cfake, 0, sizeof(cfake));
	cfake.log = "arx: hello\narx: world\n";
	d0 = fake_domain_new(0, 2, RAM_PAGES);
	d0->control = true;
	d2 = fake_domain_new(2, 1, RAM_PAGES);
	d5 = fake_domain_new(5, 2, RAM_PAGES);
}

static void teardown(void)
{
	CHECK_EQ(fake.bad_calls, 0);
	CHECK_EQ(cfake.table_depth, 0);
	CHECK_EQ(cfake.reserved, 0);
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		if (domains[i] && domains[i]->built_by_toolstack)
			domain_free(domains[i]); /* made by createdomain: its RAM table too */
		else if (domains[i])
			fake_domain_free(domains[i]);
	}
	CHECK_EQ(fake.heap_bytes, 0);
}

/* The argument area of d's RAM page 1, and page 2 for nested buffers. */
static void *arg(struct domain *d) { return fake_ram(d, 1, 0); }
static void *buf(struct domain *d) { return fake_ram(d, 2, 0); }

static long do_domctl(struct domain *d, struct xen_domctl *op)
{
	memcpy(arg(d), op, sizeof(*op));
	long r = domctl(d->vcpus[0], fake_va(arg(d)));
	memcpy(op, arg(d), sizeof(*op));
	return r;
}

static long do_sysctl(struct domain *d, struct xen_sysctl *op)
{
	memcpy(arg(d), op, sizeof(*op));
	long r = sysctl(d->vcpus[0], fake_va(arg(d)));
	memcpy(op, arg(d), sizeof(*op));
	return r;
}

static struct xen_domctl dctl(uint32_t cmd, domid_t dom)
{
	return (struct xen_domctl){ .cmd = cmd, .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
				    .domain = dom };
}

static struct xen_sysctl sctl(uint32_t cmd)
{
	return (struct xen_sysctl){ .cmd = cmd, .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
}

static void test_privilege_and_version(void)
{
	setup();
	struct xen_domctl op = dctl(XEN_DOMCTL_max_mem, 5);
	CHECK_EQ(do_domctl(d2, &op), E(EPERM)); /* an ordinary domain: life cycle and looking only */
	op = dctl(XEN_DOMCTL_getdomaininfo, 0);
	struct xen_sysctl sop = sctl(XEN_SYSCTL_physinfo);
	CHECK_EQ(do_sysctl(d2, &sop), E(EPERM));
	op.interface_version = 0x14;
	CHECK_EQ(do_domctl(d0, &op), E(EACCES));
	sop.interface_version = 0x16;
	CHECK_EQ(do_sysctl(d0, &sop), E(EACCES));
	/* The struct itself outside the caller's memory. */
	CHECK_EQ(domctl(d0->vcpus[0], 0x1000), E(EFAULT));
	CHECK_EQ(sysctl(d0->vcpus[0], ~0UL), E(EFAULT));
	op = dctl(9999, 2);
	CHECK_EQ(do_domctl(d0, &op), E(ENOSYS));
	sop = sctl(9999);
	CHECK_EQ(do_sysctl(d0, &sop), E(ENOSYS));
	teardown();
}

static void test_getdomaininfo_walks_ids_upwards(void)
{
	setup();
	struct xen_domctl op = dctl(XEN_DOMCTL_getdomaininfo, 1);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(op.domain, 2); /* the next domain at or above the id asked */
	CHECK_EQ(op.u.getdomaininfo.domain, 2);
	CHECK_EQ(op.u.getdomaininfo.max_vcpu_id, 0);
	CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_hvm_guest);
	op = dctl(XEN_DOMCTL_getdomaininfo, 3);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(op.domain, 5);
	op = dctl(XEN_DOMCTL_getdomaininfo, 6);
	CHECK_EQ(do_domctl(d0, &op), E(ESRCH));
	op = dctl(XEN_DOMCTL_getdomaininfo, DOMID_SELF);
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	d5->state = DOMAIN_SHUTDOWN;
	d5->shutdown_code = 3;
	op = dctl(XEN_DOMCTL_getdomaininfo, 5);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(op.u.getdomaininfo.flags >> 16 & 0xff, 3);
	CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_shutdown);
	teardown();
}

static void test_domain_list(void)
{
	setup();
	struct xen_sysctl op = sctl(XEN_SYSCTL_getdomaininfolist);
	op.u.getdomaininfolist = (struct xen_sysctl_getdomaininfolist){
		.first_domain = 0, .max_domains = 0xffffffff, .buffer = fake_va(buf(d0)) };
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.getdomaininfolist.num_domains, 3);
	struct xen_domctl_getdomaininfo *info = buf(d0);
	CHECK_EQ(info[0].domain, 0);
	CHECK_EQ(info[1].domain, 2);
	CHECK_EQ(info[2].domain, 5);
	op.u.getdomaininfolist.first_domain = 3;
	op.u.getdomaininfolist.max_domains = 1;
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.getdomaininfolist.num_domains, 1);
	CHECK_EQ(info[0].domain, 5);
	/* A buffer that runs off the caller's RAM: refused, nothing written beyond. */
	op.u.getdomaininfolist.first_domain = 0;
	op.u.getdomaininfolist.max_domains = 3;
	op.u.getdomaininfolist.buffer = fake_va(fake_ram(d0, RAM_PAGES - 1, 4000));
	CHECK_EQ(do_sysctl(d0, &op), E(EFAULT));
	teardown();
}

static void test_createdomain_checks(void)
{
	setup();
	struct xen_domctl op = dctl(XEN_DOMCTL_createdomain, 0xffff);
	struct xen_domctl_createdomain good = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, .max_vcpus = 2,
		.max_evtchn_port = 1023, .max_grant_frames = -1, .grant_opts = 1,
	};
	struct { const char *what; struct xen_domctl_createdomain c; long want; } bad[] = {
		{ "no flags", { .max_vcpus = 1 }, E(EINVAL) },
		{ "iommu", { .flags = 3 | XEN_DOMCTL_CDF_iommu, .max_vcpus = 1 }, E(EINVAL) },
		{ "0 vCPUs", { .flags = 3, .max_vcpus = 0 }, E(EINVAL) },
		{ "9 vCPUs", { .flags = 3, .max_vcpus = 9 }, E(EINVAL) },
		{ "2^32-1 vCPUs", { .flags = 3, .max_vcpus = 0xffffffff }, E(EINVAL) },
		{ "GICv2 on GICv3", { .flags = 3, .max_vcpus = 1, .arch.gic_version = 1 }, E(EOPNOTSUPP) },
		{ "1000 SPIs", { .flags = 3, .max_vcpus = 1, .arch.nr_spis = 1000 }, E(EINVAL) },
		{ "OP-TEE", { .flags = 3, .max_vcpus = 1, .arch.tee_type = 1 }, E(EINVAL) },
		{ "grant v2", { .flags = 3, .max_vcpus = 1, .grant_opts = 2 }, E(EINVAL) },
		{ "a sid no label has", { .flags = 3, .max_vcpus = 1, .ssidref = XEN_SID_BASE + 2 },
		  E(EINVAL) },
		{ "a sid past 2^32", { .flags = 3, .max_vcpus = 1, .ssidref = 0xffffffff }, E(EINVAL) },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		op = dctl(XEN_DOMCTL_createdomain, 0xffff);
		op.u.createdomain = bad[i].c;
		CHECK_EQ(do_domctl(d0, &op), bad[i].want);
	}
	op = dctl(XEN_DOMCTL_createdomain, 2); /* an id in use */
	op.u.createdomain = good;
	CHECK_EQ(do_domctl(d0, &op), E(EEXIST));
	/* libxl's SECINITSID_DOMU (12) for a config without seclabel: the default label. */
	op = dctl(XEN_DOMCTL_createdomain, 0xffff);
	op.u.createdomain = good;
	op.u.createdomain.ssidref = 12;
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(op.domain, 1);
	CHECK_EQ(mac_label_of(domains[1]), mac_default_label(false));
	CHECK_EQ(op.u.createdomain.arch.gic_version, XEN_DOMCTL_CONFIG_GIC_V3); /* NATIVE resolved */
	CHECK(domains[1] && domains[1]->built_by_toolstack && domains[1]->nr_vcpus == 2);
	/* max_vcpus must repeat what createdomain said. */
	op = dctl(XEN_DOMCTL_max_vcpus, 1);
	op.u.max_vcpus.max = 3;
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.max_vcpus.max = 2;
	CHECK_EQ(do_domctl(d0, &op), 0);
	/* A sid from xsm_op: that label, and getdomaininfo says it back. */
	op = dctl(XEN_DOMCTL_createdomain, 0xffff);
	op.u.createdomain = good;
	op.u.createdomain.ssidref = XEN_SID_BASE + 0;
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(op.domain, 3);
	CHECK_EQ(mac_label_of(domains[3]), 0);
	op = dctl(XEN_DOMCTL_getdomaininfo, 3);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(op.u.getdomaininfo.ssidref, XEN_SID_BASE + 0);
	teardown();
}

static void test_ops_on_a_domain(void)
{
	setup();
	/* The control domain does not pause or end itself here, but may read its own vCPUs. */
	struct xen_domctl op = dctl(XEN_DOMCTL_pausedomain, 0);
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op = dctl(XEN_DOMCTL_destroydomain, DOMID_SELF);
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op = dctl(XEN_DOMCTL_getvcpuinfo, 0);
	op.u.getvcpuinfo.vcpu = 1;
	CHECK_EQ(do_domctl(d0, &op), 0);
	op.u.getvcpuinfo.vcpu = 2;
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op = dctl(XEN_DOMCTL_destroydomain, 7);
	CHECK_EQ(do_domctl(d0, &op), E(ESRCH));
	op = dctl(XEN_DOMCTL_destroydomain, 2);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK(cfake.ended == d2 && cfake.end_action == ACTION_DESTROY);
	/* Unpausing what is not paused is an error, as on Xen. */
	op = dctl(XEN_DOMCTL_unpausedomain, 5);
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op = dctl(XEN_DOMCTL_pausedomain, 5);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(d5->state, DOMAIN_PAUSED);
	op = dctl(XEN_DOMCTL_unpausedomain, 5);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(d5->state, DOMAIN_RUNNING);
	/* vCPU context: only while paused, vCPUs in range, EL1/EL0 AArch64 only. */
	struct vcpu_guest_context *ctx = buf(d0);
	memset(ctx, 0, sizeof(*ctx));
	ctx->flags = VGCF_online;
	ctx->user_regs.pc64 = 0x40080000;
	ctx->user_regs.cpsr = 0x1c5;
	op = dctl(XEN_DOMCTL_setvcpucontext, 5);
	op.u.vcpucontext = (struct xen_domctl_vcpucontext){ .vcpu = 0, .ctxt = fake_va(ctx) };
	CHECK_EQ(do_domctl(d0, &op), E(EBUSY)); /* it runs */
	d5->state = DOMAIN_PAUSED;
	op.u.vcpucontext.vcpu = 2;
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.vcpucontext.vcpu = 0;
	ctx->user_regs.cpsr = 0x1c9; /* EL2h */
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	ctx->user_regs.cpsr = 0x1c5 | (1UL << 32);
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	ctx->user_regs.cpsr = 0x1c5;
	op.u.vcpucontext.ctxt = 0x10;
	CHECK_EQ(do_domctl(d0, &op), E(EFAULT));
	op.u.vcpucontext.ctxt = fake_va(ctx);
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(d5->vcpus[0]->start_pc, 0x40080000);
	CHECK_EQ(d5->vcpus[0]->power, VCPU_ON);
	/* Cache flushes and CPU maps are bounded. */
	op = dctl(XEN_DOMCTL_cacheflush, 5);
	op.u.cacheflush = (struct xen_domctl_cacheflush){ .start_pfn = 0, .nr_pfns = 1UL << 19 };
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.cacheflush = (struct xen_domctl_cacheflush){ .start_pfn = GUEST_RAM_BASE >> 12,
							  .nr_pfns = 1UL << 18 };
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(cfake.flushed_bytes, RAM_PAGES * 4096); /* only its own pages */
	op = dctl(XEN_DOMCTL_getvcpuaffinity, 5);
	op.u.vcpuaffinity = (struct xen_domctl_vcpuaffinity){
		.vcpu = 1, .cpumap_hard = { fake_va(buf(d0)), 0xffffffff },
		.cpumap_soft = { fake_va(buf(d0)), 8 } };
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.vcpuaffinity.cpumap_hard.nr_bits = 4096 * 8 + 1; /* runs off its RAM page */
	op.u.vcpuaffinity.cpumap_hard.bitmap = fake_va(fake_ram(d0, RAM_PAGES - 1, 4095));
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
	CHECK_EQ(do_domctl(d0, &op), E(EFAULT));
	op.u.vcpuaffinity.cpumap_hard.bitmap = fake_va(buf(d0));
	CHECK_EQ(do_domctl(d0, &op), 0);
	teardown();
}

static void test_vuart(void)
{
	setup();
	struct xen_domctl op = dctl(XEN_DOMCTL_vuart_op, 5);
	op.u.vuart_op = (struct xen_domctl_vuart_op){ .cmd = 0, .type = 0,
		.gfn = fake_gfn(3), .console_domid = 0 };
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL)); /* not built by the toolstack */
	d5->built_by_toolstack = true;
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL)); /* it runs */
	d5->state = DOMAIN_PAUSED;
	op.u.vuart_op.type = 1;
	CHECK_EQ(do_domctl(d0, &op), E(EOPNOTSUPP));
	op.u.vuart_op.type = 0;
	op.u.vuart_op.gfn = 0x10000; /* not its page */
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.vuart_op.gfn = ~0UL;
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.vuart_op.gfn = fake_gfn(3);
	op.u.vuart_op.console_domid = DOMID_SELF;
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL));
	op.u.vuart_op.console_domid = 0;
	CHECK_EQ(do_domctl(d0, &op), 0);
	CHECK_EQ(op.u.vuart_op.evtchn, 7);
	CHECK_EQ(cfake.vuart_ring, fake_ram_pa(d5, 3));
	CHECK_EQ(cfake.vuart_base, 0x22000000);
	CHECK_EQ(cfake.vuart_intid, 32);
	CHECK_EQ(do_domctl(d0, &op), E(EINVAL)); /* it has one */
	d5->uart = NULL;
	d5->built_by_toolstack = false;
	teardown();
}

static void test_sysctl_answers(void)
{
	setup();
	struct xen_sysctl op = sctl(XEN_SYSCTL_physinfo);
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.physinfo.nr_cpus, 2);
	CHECK_EQ(op.u.physinfo.free_pages, 600);
	CHECK(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_hap);
	op = sctl(XEN_SYSCTL_cpupool_op);
	op.u.cpupool_op = (struct xen_sysctl_cpupool_op){
		.op = XEN_SYSCTL_CPUPOOL_OP_INFO, .cpupool_id = 1,
		.cpumap = { fake_va(buf(d0)), 8 } };
	CHECK_EQ(do_sysctl(d0, &op), E(ENOENT)); /* one pool only: xen-init-dom0 stops */
	op.u.cpupool_op.cpupool_id = 0;
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.cpupool_op.sched_id, XEN_SCHEDULER_NULL);
	CHECK_EQ(op.u.cpupool_op.n_dom, 3);
	CHECK_EQ(*(uint8_t *)buf(d0), 3);
	op = sctl(XEN_SYSCTL_numainfo);
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.numainfo.num_nodes, 1);
	op.u.numainfo = (struct xen_sysctl_numainfo){ .num_nodes = 0, .meminfo = fake_va(buf(d0)) };
	CHECK_EQ(do_sysctl(d0, &op), E(ENOBUFS));
	op = sctl(XEN_SYSCTL_cputopoinfo);
	op.u.cputopoinfo = (struct xen_sysctl_cputopoinfo){ .num_cpus = 0xffffffff,
							    .cputopo = fake_va(buf(d0)) };
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.cputopoinfo.num_cpus, 2);
	/* The log: the whole of it, then on from an index; never more than asked. */
	op = sctl(XEN_SYSCTL_readconsole);
	op.u.readconsole = (struct xen_sysctl_readconsole){ .buffer = fake_va(buf(d0)),
							    .count = 5 };
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.readconsole.count, 5);
	CHECK(memcmp(buf(d0), "arx: ", 5) == 0);
	op.u.readconsole = (struct xen_sysctl_readconsole){ .incremental = 1, .index = 11,
							    .buffer = fake_va(buf(d0)),
							    .count = 4096 };
	CHECK_EQ(do_sysctl(d0, &op), 0);
	CHECK_EQ(op.u.readconsole.count, 11);
	CHECK(memcmp(buf(d0), "arx: world\n", 11) == 0);
	op.u.readconsole.buffer = fake_va(fake_ram(d0, RAM_PAGES - 1, 4090));
	op.u.readconsole.incremental = 0;
	op.u.readconsole.count = 100;
	CHECK_EQ(do_sysctl(d0, &op), E(EFAULT));
	teardown();
}

static long set_param(struct domain *d, domid_t dom, uint32_t index, uint64_t value)
{
	struct xen_hvm_param *p = arg(d);
	*p = (struct xen_hvm_param){ .domid = dom, .index = index, .value = value };
	return hvm_op(d->vcpus[0], HVMOP_set_param, fake_va(p));
}

/*
 * The store of a domain arx built with disks or vifs: the control domain sets its
 * STORE_PFN while it waits, to its populated xenstore page only; a second set of the same
 * page wakes it through its store port, once that port is bound. Nobody else may, and a
 * domain without devices has no such parameter to set.
 */
static void test_late_store(void)
{
	setup();
	const uint64_t gfn = (GUEST_MAGIC_BASE >> XEN_PAGE_SHIFT) + GUEST_MAGIC_XENSTORE;
	d2->xen.params[HVM_PARAM_STORE_EVTCHN] = 3;
	d2->xen.params[HVM_PARAM_STORE_PFN] = XEN_STORE_AWAITED;
	CHECK(xen_store_awaited(d2));
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, gfn), E(EINVAL)); /* not populated yet */
	d2->magic[GUEST_MAGIC_XENSTORE] = fake_ram_pa(d2, 3);
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, gfn + 1), E(EINVAL));
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, 0), E(EINVAL));
	CHECK_EQ(set_param(d5, 2, HVM_PARAM_STORE_PFN, gfn), E(EPERM)); /* not the control domain */
	CHECK_EQ(set_param(d2, DOMID_SELF, HVM_PARAM_STORE_PFN, gfn), E(EPERM));
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_EVTCHN, 7), E(EPERM));
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_CONSOLE_PFN, gfn), E(EPERM));
	CHECK_EQ(d2->xen.params[HVM_PARAM_STORE_PFN], XEN_STORE_AWAITED);
	/* The first set records the page and wakes nobody. */
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, gfn), 0);
	CHECK_EQ(d2->xen.params[HVM_PARAM_STORE_PFN], gfn);
	CHECK(!xen_store_awaited(d2));
	CHECK_EQ(cfake.raised, 0);
	/* The second wakes it once xenstored has bound the port; the page cannot change. */
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, gfn), E(EBUSY));
	cfake.store_bound = true;
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, gfn + 2), E(EINVAL));
	CHECK_EQ(cfake.raised, 0);
	CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, gfn), 0);
	CHECK_EQ(cfake.raised, 1);
	CHECK_EQ(cfake.raised_port, 3);
	CHECK_EQ(d2->xen.params[HVM_PARAM_STORE_PFN], gfn);
	/* A domain arx built without devices has no store to set. */
	d5->magic[GUEST_MAGIC_XENSTORE] = fake_ram_pa(d5, 3);
	CHECK_EQ(set_param(d0, 5, HVM_PARAM_STORE_PFN, gfn), E(EPERM));
	CHECK_EQ(d5->xen.params[HVM_PARAM_STORE_PFN], 0);
	d2->magic[GUEST_MAGIC_XENSTORE] = d5->magic[GUEST_MAGIC_XENSTORE] = 0;
	teardown();
}

/* The policy decides each op on each target, for the control domain and for others. */
static void test_policy_gates(void)
{
	setup();
	struct xen_domctl op = dctl(XEN_DOMCTL_pausedomain, 5);
	fake.mac_deny_control = true; /* d0 may neither see nor control d5 */
	CHECK_EQ(do_domctl(d0, &op), E(ESRCH));
	op = dctl(XEN_DOMCTL_getdomaininfo, 1);
	CHECK_EQ(do_domctl(d0, &op), E(ESRCH)); /* d2 and d5 are not listed */
	op = dctl(XEN_DOMCTL_getdomaininfo, 2);
	CHECK_EQ(do_domctl(d2, &op), 0); /* itself, always */
	CHECK_EQ(op.domain, 2);
	fake.mac_deny_control = false;
	unsigned long before = fake.mac_checks;
	op = dctl(XEN_DOMCTL_pausedomain, 5); /* a managing domain, allowed by the policy */
	CHECK_EQ(do_domctl(d2, &op), 0);
	CHECK(fake.mac_checks > before);
	CHECK_EQ(d5->state, DOMAIN_PAUSED);
	op = dctl(XEN_DOMCTL_unpausedomain, 5);
	CHECK_EQ(do_domctl(d2, &op), 0);
	op = dctl(XEN_DOMCTL_max_vcpus, 5);
	CHECK_EQ(do_domctl(d2, &op), E(EPERM)); /* building is the control domain's */
	teardown();
}

int main(void)
{
	test_policy_gates();
	test_privilege_and_version();
	test_getdomaininfo_walks_ids_upwards();
	test_domain_list();
	test_createdomain_checks();
	test_ops_on_a_domain();
	test_sysctl_answers();
	test_late_store();
	test_vuart();
	return check_summary();
}
