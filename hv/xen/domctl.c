/*
 * XEN_DOMCTL_*: the control domain creates, builds, starts, pauses and
 * destroys domains, as Xen 4.17's libxl and libxenguest do it (the domain
 * builder runs in the control domain's user space; arx only gives it
 * memory, vCPU state and life cycle). The control domain may call it, and
 * others only for life cycle and looking (open_to_all); the policy decides
 * each op on each target (arx/mac.h). Privileged is not trusted: every field is checked, a
 * domain can never act on itself through here, and the table lock keeps
 * the domain it names from being freed during the call.
 */
#include <arx/cpu.h>
#include <arx/domain.h>
#include <arx/domain_build.h>
#include <arx/fmt.h>
#include <arx/frame_owner.h>
#include <arx/heap.h>
#include <arx/mac.h>
#include <arx/percpu.h>
#include <arx/sched.h>
#include <arx/stage2.h>
#include <arx/string.h>
#include <arx/vgic.h>
#include <arx/vpl011.h>
#include <arx/xen.h>
#include <public/domctl.h>
#include <public/xen.h>

#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_EL0t 0x0u
#define PSR_MODE_EL1t 0x4u
#define PSR_MODE_EL1h 0x5u
#define CACHEFLUSH_MAX_PFNS (1UL << 18) /* as Xen: at most 1 GiB per call */
#define RAM0_CHUNKS (GUEST_RAM0_SIZE / DOMAIN_RAM_CHUNK)
#define BITMAP_MAX_BYTES 512 /* CPU maps of up to 4096 CPUs */

struct domain *xen_target_domain(struct vcpu *v, uint16_t domid)
{
	struct domain *self = v->dom;
	if (domid == DOMID_SELF || domid == self->id)
		return self;
	if (!self->control || domid >= DOMID_FIRST_RESERVED)
		return NULL;
	return domain_by_id(domid);
}

/* The domains viewer may list, in ascending id order from `first`; how many went in out[]. */
unsigned int xen_domains_from(struct domain *viewer, unsigned int first, struct domain **out,
			      unsigned int max)
{
	unsigned int n = 0;
	for (unsigned int want = first; n < max;) {
		struct domain *best = NULL;
		for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
			struct domain *d = domains[i];
			if (d && d->id >= want && (!best || d->id < best->id))
				best = d;
		}
		if (!best)
			break;
		if (mac_may_list(viewer, best))
			out[n++] = best;
		want = best->id + 1;
	}
	return n;
}

static uint32_t state_flags(const struct domain *d)
{
	switch (d->state) {
	case DOMAIN_DYING:
		return XEN_DOMINF_dying;
	case DOMAIN_SHUTDOWN:
	case DOMAIN_CRASHED:
		return XEN_DOMINF_shutdown | (uint32_t)d->shutdown_code << XEN_DOMINF_shutdownshift;
	case DOMAIN_PAUSED:
		return XEN_DOMINF_paused;
	default:
		return 0;
	}
}

void xen_domain_info(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	memset(info, 0, sizeof(*info));
	info->domain = (domid_t)d->id;
	info->flags = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | state_flags(d);
	bool any_running = false, all_blocked = true;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];
		info->cpu_time += sched_runtime_ns(v);
		if (v->power != VCPU_ON)
			continue;
		info->nr_online_vcpus++;
		any_running |= sched_vcpu_running(v);
		all_blocked &= v->blocked;
	}
	if (info->nr_online_vcpus && d->state == DOMAIN_RUNNING)
		info->flags |= any_running ? XEN_DOMINF_running
					   : all_blocked ? XEN_DOMINF_blocked : 0;
	info->tot_pages = domain_tot_pages(d);
	info->max_pages = d->max_pages ? d->max_pages : info->tot_pages;
	info->max_vcpu_id = d->nr_vcpus ? d->nr_vcpus - 1 : ~0u;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->gpaddr_bits = (uint8_t)stage2_ipa_bits();
	info->ssidref = xen_sid_of_label(mac_label_of(d));
}

/* The id createdomain asked for (0, or one at or above DOMID_FIRST_RESERVED: any). */
static unsigned int new_id(domid_t asked)
{
	if (asked == 0 || asked >= DOMID_FIRST_RESERVED)
		return domain_alloc_id();
	return domain_reserve_id(asked) ? asked : 0;
}

static long check_create(struct xen_domctl_createdomain *c)
{
	uint32_t flags = c->flags & ~XEN_DOMCTL_CDF_vpmu;
	if (flags != (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap))
		return -XEN_EINVAL; /* translated guests only; no IOMMU */
	if (c->max_vcpus < 1 || c->max_vcpus > GUEST_MAX_VCPUS)
		return -XEN_EINVAL;
	unsigned int host = vgic_host_version() == 2 ? XEN_DOMCTL_CONFIG_GIC_V2
						     : XEN_DOMCTL_CONFIG_GIC_V3;
	if (c->arch.gic_version != XEN_DOMCTL_CONFIG_GIC_NATIVE && c->arch.gic_version != host)
		return -XEN_EOPNOTSUPP; /* the vGIC is the host's kind */
	if (c->arch.nr_spis > GUEST_NR_IRQS - 32 || c->arch.tee_type != 0 || c->grant_opts > 1)
		return -XEN_EINVAL;
	c->arch.gic_version = (uint8_t)host;
	c->arch.clock_frequency = 0; /* the guest reads CNTFRQ_EL0 */
	return 0;
}

uint32_t xen_sid_of_label(uint32_t label)
{
	return XEN_SID_BASE + label;
}

bool xen_label_of_sid(uint32_t sid, uint32_t *label)
{
	char name[1];
	*label = sid - XEN_SID_BASE;
	return sid >= XEN_SID_BASE && mac_label_name(*label, name, sizeof(name)) > 0;
}

/*
 * The label createdomain asks for: a sid from xsm_op, or the default for
 * one of FLASK's initial sids (libxl passes SECINITSID_DOMU when the config
 * has no seclabel).
 */
static bool label_of_ssidref(uint32_t ssidref, uint32_t *label)
{
	if (ssidref < XEN_SID_BASE) {
		*label = mac_default_label(false);
		return true;
	}
	return xen_label_of_sid(ssidref, label);
}

/* Whether the caller may create a domain with this label, next to the ones running. */
static long may_create(struct vcpu *v, struct domain *d, uint32_t label)
{
	mac_set_label(d, label);
	if (!mac_may_control(v->dom, d, POL_CREATE))
		return -XEN_EACCES;
	domains_table_lock();
	bool may_run = mac_may_run(d->id, d->name, label);
	domains_table_unlock();
	return may_run ? 0 : -XEN_EPERM;
}

static long create(struct vcpu *v, struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	uint32_t label;
	long r = check_create(c);
	if (r)
		return r;
	if (!label_of_ssidref(c->ssidref, &label))
		return -XEN_EINVAL;
	unsigned int id = new_id(op->domain);
	if (!id)
		return op->domain && op->domain < DOMID_FIRST_RESERVED ? -XEN_EEXIST : -XEN_ENOMEM;
	char name[CONFIG_NAME_MAX];
	fmt_snprintf(name, sizeof(name), "domU-%u", id);
	struct domain_spec spec = { .id = id, .name = name, .type = DOMAIN_LINUX,
				    .vcpus = c->max_vcpus, .weight = CONFIG_WEIGHT_DEFAULT,
				    .xen = true, .toolstack = true };
	struct domain *d = domain_new(&spec);
	uint64_t cpus = domain_usable_cpus(~0UL);
	if (d)
		d->ram_chunks = heap_alloc(RAM0_CHUNKS * sizeof(paddr_t));
	r = !d || !d->ram_chunks || !cpus ? -XEN_ENOMEM : may_create(v, d, label);
	if (r) {
		if (d)
			domain_free(d);
		domain_release_id(id);
		return r;
	}
	d->nr_chunks = RAM0_CHUNKS; /* populated by the builder, chunk by chunk */
	memcpy(d->handle, c->handle, sizeof(d->handle));
	domain_place_vcpus(d, cpus);
	domain_publish(d);
	op->domain = (domid_t)id;
	return 0;
}

static long set_paused(struct domain *d, bool pause)
{
	if (pause && d->state == DOMAIN_RUNNING)
		d->state = DOMAIN_PAUSED;
	else if (!pause && d->state == DOMAIN_PAUSED && !mac_may_run(d->id, d->name, mac_label_of(d)))
		return -XEN_EPERM; /* a domain in conflict with it runs */
	else if (!pause && d->state == DOMAIN_PAUSED)
		d->state = DOMAIN_RUNNING;
	else if (!pause)
		return -XEN_EINVAL; /* as Xen: it was not paused */
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		sched_kick_cpu(d->vcpus[i]->pcpu);
	return 0;
}

/* vCPU 0's first state, as libxenguest sets it (vcpu_arm64). */
static long set_vcpu_context(struct vcpu *v, struct domain *d, struct xen_domctl_vcpucontext *c)
{
	struct vcpu_guest_context ctx;
	if (c->vcpu >= d->nr_vcpus)
		return -XEN_EINVAL;
	if (d->state != DOMAIN_PAUSED)
		return -XEN_EBUSY; /* only before it runs */
	struct vcpu *t = d->vcpus[c->vcpu];
	if (!c->ctxt) {
		t->power = VCPU_OFF;
		return 0;
	}
	if (!copy_from_guest(v, &ctx, c->ctxt, sizeof(ctx)))
		return -XEN_EFAULT;
	uint32_t mode = ctx.user_regs.cpsr & PSR_MODE_MASK;
	if ((ctx.user_regs.cpsr >> 32) || (mode != PSR_MODE_EL1h && mode != PSR_MODE_EL1t &&
					   mode != PSR_MODE_EL0t))
		return -XEN_EINVAL; /* AArch64 EL1 or EL0 only */
	vcpu_reset(t, ctx.user_regs.pc64, ctx.user_regs.x[0]);
	t->power = (ctx.flags & VGCF_online) ? VCPU_ON : VCPU_OFF;
	return 0;
}

static long get_vcpu_info(struct domain *d, struct xen_domctl_getvcpuinfo *i)
{
	if (i->vcpu >= d->nr_vcpus)
		return -XEN_EINVAL;
	const struct vcpu *t = d->vcpus[i->vcpu];
	i->online = t->power == VCPU_ON;
	i->blocked = t->blocked;
	i->running = sched_vcpu_running(t);
	i->cpu_time = sched_runtime_ns(t);
	i->cpu = t->pcpu;
	return 0;
}

long xen_copy_bitmap_out(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t bits)
{
	static const uint8_t zeros[64];
	uint8_t low[8];
	uint32_t n = (uint32_t)(((uint64_t)b->nr_bits + 7) / 8);
	if (n > BITMAP_MAX_BYTES)
		return -XEN_EINVAL; /* far more CPUs than any machine: a bound on the work */
	for (unsigned int i = 0; i < sizeof(low); i++)
		low[i] = (uint8_t)(bits >> (8 * i));
	uint32_t head = MIN(n, (uint32_t)sizeof(low));
	if (head && !copy_to_guest(v, b->bitmap, low, head))
		return -XEN_EFAULT;
	for (uint32_t off = head; off < n; off += sizeof(zeros)) /* CPUs arx does not have */
		if (!copy_to_guest(v, b->bitmap + off, zeros, MIN(n - off, (uint32_t)sizeof(zeros))))
			return -XEN_EFAULT;
	return 0;
}

static long copy_bitmap_in(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t *bits)
{
	uint8_t bytes[8] = { 0 };
	uint32_t n = MIN((b->nr_bits + 7) / 8, (uint32_t)sizeof(bytes));
	if (n && !copy_from_guest(v, bytes, b->bitmap, n))
		return -XEN_EFAULT;
	*bits = 0;
	for (uint32_t i = 0; i < n; i++)
		*bits |= (uint64_t)bytes[i] << (8 * i);
	return 0;
}

static uint64_t online_cpus(void)
{
	return nr_cpus_online >= 64 ? ~0UL : (1UL << nr_cpus_online) - 1;
}

/* Where a vCPU may run; one pinned away from its CPU moves there (sched.c). */
static long vcpu_affinity(struct vcpu *v, struct domain *d, struct xen_domctl_vcpuaffinity *a,
			  bool set)
{
	if (a->vcpu >= d->nr_vcpus)
		return -XEN_EINVAL;
	struct vcpu *t = d->vcpus[a->vcpu];
	if (set && (a->flags & XEN_VCPUAFFINITY_HARD)) {
		uint64_t hard;
		long r = copy_bitmap_in(v, &a->cpumap_hard, &hard);
		if (r)
			return r;
		if (!(hard & online_cpus()))
			return -XEN_EINVAL;
		if (sched_set_affinity(t, hard & online_cpus()))
			return -XEN_EBUSY; /* every CPU it may use has its run queue full */
	}
	long r = 0;
	if (!set || (a->flags & XEN_VCPUAFFINITY_HARD))
		r = xen_copy_bitmap_out(v, &a->cpumap_hard, t->affinity & online_cpus());
	if (!r && (!set || (a->flags & XEN_VCPUAFFINITY_SOFT)))
		r = xen_copy_bitmap_out(v, &a->cpumap_soft, online_cpus());
	return r;
}

/* The builder wrote kernel, ramdisk and device tree through cacheable mappings. */
static long cache_flush(struct domain *d, const struct xen_domctl_cacheflush *c)
{
	if (c->nr_pfns > CACHEFLUSH_MAX_PFNS || c->start_pfn >= (1UL << 36))
		return -XEN_EINVAL;
	for (uint64_t i = 0; i < c->nr_pfns; i++) {
		paddr_t pa;
		if (domain_own_page(d, (c->start_pfn + i) << XEN_PAGE_SHIFT, false, &pa))
			arch_clean_inval_dcache(pa, XEN_PAGE_SIZE);
	}
	return 0;
}

/*
 * vuart = "sbsa_uart": a PL011 at Xen's GUEST_PL011_BASE whose console ring
 * is the page the builder gives (one of the domain's own) and whose port
 * console_domid (xenconsoled) binds. Only before the domain first runs.
 */
static long vuart_init(struct domain *d, struct xen_domctl_vuart_op *u)
{
	paddr_t ring;
	if (u->cmd != XEN_DOMCTL_VUART_OP_INIT || u->type != XEN_DOMCTL_VUART_TYPE_VPL011)
		return -XEN_EOPNOTSUPP;
	if (!d->built_by_toolstack || d->state != DOMAIN_PAUSED || d->uart)
		return -XEN_EINVAL;
	if (u->console_domid >= DOMID_FIRST_RESERVED || u->gfn >= (1UL << 36) ||
	    !domain_own_page(d, u->gfn << XEN_PAGE_SHIFT, true, &ring))
		return -XEN_EINVAL;
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	uint32_t port = evtchn_alloc_arx_unbound(d, u->console_domid);
	spin_unlock_irqrestore(&xen_lock, flags);
	if (!port)
		return -XEN_ENOSPC;
	if (vpl011_init_ring(d, XEN_GUEST_PL011_BASE, XEN_GUEST_VPL011_INTID, ring, port))
		return -XEN_ENOMEM;
	u->evtchn = port;
	return 0;
}

/* Ops on a domain other than the caller; the table lock is held. */
static long on_domain(struct vcpu *v, struct domain *d, struct xen_domctl *op, bool *out)
{
	switch (op->cmd) {
	case XEN_DOMCTL_destroydomain:
		if (d->state != DOMAIN_DYING)
			domain_end(d, ACTION_DESTROY, v->dom->control ? "destroyed by the control domain"
								     : "destroyed by a managing domain");
		return 0;
	case XEN_DOMCTL_pausedomain:
		return set_paused(d, true);
	case XEN_DOMCTL_unpausedomain:
		return set_paused(d, false);
	case XEN_DOMCTL_max_mem:
		d->max_pages = MIN(op->u.max_mem.max_memkb / 4, GUEST_RAM0_SIZE / XEN_PAGE_SIZE);
		return 0;
	case XEN_DOMCTL_setvcpucontext:
		return set_vcpu_context(v, d, &op->u.vcpucontext);
	case XEN_DOMCTL_getvcpuinfo:
		*out = true;
		return get_vcpu_info(d, &op->u.getvcpuinfo);
	case XEN_DOMCTL_max_vcpus:
		return op->u.max_vcpus.max == d->nr_vcpus ? 0 : -XEN_EINVAL;
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getvcpuaffinity:
		*out = op->cmd == XEN_DOMCTL_setvcpuaffinity;
		return vcpu_affinity(v, d, &op->u.vcpuaffinity, *out);
	case XEN_DOMCTL_set_address_size:
		return op->u.address_size.size == 64 ? 0 : -XEN_EINVAL;
	case XEN_DOMCTL_setnodeaffinity:
	case XEN_DOMCTL_set_paging_mempool_size:
		return 0; /* one node; stage-2 tables come from arx's own pages */
	case XEN_DOMCTL_cacheflush:
		return cache_flush(d, &op->u.cacheflush);
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_vuart_op:
		*out = true;
		return vuart_init(d, &op->u.vuart_op);
	default:
		return -XEN_ENOSYS;
	}
}

/* Ops the control domain may make on itself: they report, or pin its own vCPUs. */
static bool allowed_on_self(uint32_t cmd)
{
	return cmd == XEN_DOMCTL_getvcpuinfo || cmd == XEN_DOMCTL_getvcpuaffinity ||
	       cmd == XEN_DOMCTL_setvcpuaffinity;
}

/* getdomaininfo names the first domain the caller may list at or above the id asked for. */
static long get_info(struct vcpu *v, struct xen_domctl *op)
{
	struct domain *d;
	if (op->domain >= DOMID_FIRST_RESERVED)
		return -XEN_EINVAL;
	if (!xen_domains_from(v->dom, op->domain, &d, 1))
		return -XEN_ESRCH;
	xen_domain_info(d, &op->u.getdomaininfo);
	op->domain = (domid_t)d->id;
	return 0;
}

/*
 * What an op does to its target, for the policy: life cycle and looking
 * are their own; everything else builds or configures the domain.
 */
static enum policy_op policy_op_of(uint32_t cmd)
{
	switch (cmd) {
	case XEN_DOMCTL_destroydomain:
		return POL_DESTROY;
	case XEN_DOMCTL_pausedomain:
	case XEN_DOMCTL_unpausedomain:
		return POL_PAUSE;
	case XEN_DOMCTL_getvcpuinfo:
	case XEN_DOMCTL_getvcpuaffinity:
		return POL_LIST;
	default:
		return POL_CREATE;
	}
}

/*
 * Ops a domain other than the control domain may make, if the policy lets
 * it (a manager domain restarting its app domains): life cycle and looking.
 */
static bool open_to_all(uint32_t cmd)
{
	return cmd == XEN_DOMCTL_getdomaininfo || cmd == XEN_DOMCTL_destroydomain ||
	       cmd == XEN_DOMCTL_pausedomain || cmd == XEN_DOMCTL_unpausedomain;
}

static long dispatch(struct vcpu *v, struct xen_domctl *op, bool *out)
{
	if (op->cmd == XEN_DOMCTL_getdomaininfo) {
		*out = true;
		return get_info(v, op);
	}
	struct domain *d = NULL;
	if (op->domain == DOMID_SELF || op->domain == v->dom->id)
		d = v->dom;
	else if (op->domain < DOMID_FIRST_RESERVED)
		d = domain_by_id(op->domain);
	if (!d || !mac_may_list(v->dom, d))
		return -XEN_ESRCH;
	if (d == v->dom && !(v->dom->control && allowed_on_self(op->cmd)))
		return -XEN_EINVAL; /* no domain pauses, rebuilds or ends itself here */
	if (d != v->dom && !mac_may_control(v->dom, d, policy_op_of(op->cmd)))
		return -XEN_EACCES;
	return on_domain(v, d, op, out);
}

long domctl(struct vcpu *v, uint64_t arg)
{
	struct xen_domctl op;
	if (!copy_from_guest(v, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (!v->dom->control && !open_to_all(op.cmd))
		return -XEN_EPERM;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	bool out = op.cmd == XEN_DOMCTL_createdomain;
	long r;
	if (out) {
		r = create(v, &op); /* builds and publishes a domain: takes the table lock itself */
	} else {
		domains_table_lock();
		r = dispatch(v, &op, &out);
		domains_table_unlock();
	}
	if (r == 0 && out && !copy_to_guest(v, arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return r;
}
