/*
 * XEN_SYSCTL_*: what the control domain's toolstack asks about the machine
 * (`xl info`, `xl list`, placement, `xl dmesg`). arx has one CPU pool, one
 * NUMA node and reports Xen's "null" scheduler, so libxl never asks for
 * scheduler parameters it has no meaning for here. Only the control domain
 * may call this; every buffer it names is written through its own stage-1.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/page_alloc.h>
#include <arx/percpu.h>
#include <arx/string.h>
#include <arx/timer.h>
#include <arx/xen.h>
#include <public/sysctl.h>
#include <public/xen.h>

#define READCONSOLE_CHUNK 256

static uint64_t online_cpus(void)
{
	return nr_cpus_online >= 64 ? ~0UL : (1UL << nr_cpus_online) - 1;
}

static void physinfo(struct xen_sysctl_physinfo *p)
{
	struct palloc_stats st;
	palloc_get_stats(&st);
	memset(p, 0, sizeof(*p));
	p->threads_per_core = 1;
	p->cores_per_socket = nr_cpus_online;
	p->nr_cpus = nr_cpus_online;
	p->max_cpu_id = nr_cpus_online - 1;
	p->nr_nodes = 1;
	p->cpu_khz = (uint32_t)(timer_freq() / 1000); /* the counter's: arx knows no CPU clock */
	p->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
			  XEN_SYSCTL_PHYSCAP_gnttab_v1;
	p->total_pages = st.total_pages;
	p->free_pages = st.free_pages;
	p->max_mfn = st.total_pages; /* no host frame number is ever shown to a guest */
}

static long domain_list(struct vcpu *v, struct xen_sysctl_getdomaininfolist *l)
{
	struct domain *found[MAX_DOMAINS];
	struct xen_domctl_getdomaininfo info;
	domains_table_lock();
	unsigned int n = xen_domains_from(v->dom, l->first_domain, found, MIN(l->max_domains, MAX_DOMAINS));
	long r = 0;
	for (unsigned int i = 0; i < n && !r; i++) {
		xen_domain_info(found[i], &info);
		if (!copy_to_guest(v, l->buffer + i * sizeof(info), &info, sizeof(info)))
			r = -XEN_EFAULT;
	}
	domains_table_unlock();
	l->num_domains = n;
	return r;
}

static long cpupool(struct vcpu *v, struct xen_sysctl_cpupool_op *c)
{
	struct domain *all[MAX_DOMAINS];
	switch (c->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		if (c->cpupool_id != 0)
			return -XEN_ENOENT; /* pool 0 is the only one: xen-init-dom0 stops here */
		domains_table_lock();
		c->n_dom = xen_domains_from(v->dom, 0, all, MAX_DOMAINS);
		domains_table_unlock();
		c->sched_id = XEN_SCHEDULER_NULL;
		return xen_copy_bitmap_out(v, &c->cpumap, online_cpus());
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return xen_copy_bitmap_out(v, &c->cpumap, 0); /* every CPU is in pool 0 */
	default:
		return -XEN_EOPNOTSUPP; /* pools cannot be made or changed */
	}
}

static long numainfo(struct vcpu *v, struct xen_sysctl_numainfo *n)
{
	struct xen_sysctl_meminfo mem;
	uint32_t distance = 10; /* local, in ACPI SLIT units */
	struct palloc_stats st;
	if (n->meminfo == 0 && n->distance == 0) {
		n->num_nodes = 1; /* a size query */
		return 0;
	}
	if (n->num_nodes < 1)
		return -XEN_ENOBUFS;
	palloc_get_stats(&st);
	mem.memsize = st.total_pages * PAGE_SIZE;
	mem.memfree = st.free_pages * PAGE_SIZE;
	if ((n->meminfo && !copy_to_guest(v, n->meminfo, &mem, sizeof(mem))) ||
	    (n->distance && !copy_to_guest(v, n->distance, &distance, sizeof(distance))))
		return -XEN_EFAULT;
	n->num_nodes = 1;
	return 0;
}

static long cputopoinfo(struct vcpu *v, struct xen_sysctl_cputopoinfo *t)
{
	uint32_t n = MIN(t->num_cpus, nr_cpus_online);
	for (uint32_t i = 0; t->cputopo && i < n; i++) {
		struct xen_sysctl_cputopo c = { .core = i, .socket = 0, .node = 0 };
		if (!copy_to_guest(v, t->cputopo + i * sizeof(c), &c, sizeof(c)))
			return -XEN_EFAULT;
	}
	t->num_cpus = nr_cpus_online;
	return 0;
}

/* arx's log for `xl dmesg`: from the oldest kept, or on from index if incremental. */
static long readconsole(struct vcpu *v, struct xen_sysctl_readconsole *rc)
{
	char chunk[READCONSOLE_CHUNK];
	uint64_t pos = rc->incremental ? rc->index : 0;
	uint32_t done = 0;
	while (done < rc->count) {
		size_t n = console_log_read(&pos, chunk, MIN(sizeof(chunk), rc->count - done));
		if (!n)
			break;
		if (!copy_to_guest(v, rc->buffer + done, chunk, n))
			return -XEN_EFAULT;
		done += (uint32_t)n;
	}
	rc->count = done;
	rc->index = (uint32_t)pos;
	return 0;
}

static long dispatch(struct vcpu *v, struct xen_sysctl *op)
{
	switch (op->cmd) {
	case XEN_SYSCTL_physinfo:
		physinfo(&op->u.physinfo);
		return 0;
	case XEN_SYSCTL_sched_id:
		op->u.sched_id.sched_id = XEN_SCHEDULER_NULL;
		return 0;
	case XEN_SYSCTL_getdomaininfolist:
		return domain_list(v, &op->u.getdomaininfolist);
	case XEN_SYSCTL_cpupool_op:
		return cpupool(v, &op->u.cpupool_op);
	case XEN_SYSCTL_numainfo:
		return numainfo(v, &op->u.numainfo);
	case XEN_SYSCTL_cputopoinfo:
		return cputopoinfo(v, &op->u.cputopoinfo);
	case XEN_SYSCTL_readconsole:
		return readconsole(v, &op->u.readconsole);
	default:
		return -XEN_ENOSYS;
	}
}

long sysctl(struct vcpu *v, uint64_t arg)
{
	struct xen_sysctl op;
	if (!v->dom->control)
		return -XEN_EPERM;
	if (!copy_from_guest(v, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	long r = dispatch(v, &op);
	if (r == 0 && !copy_to_guest(v, arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return r;
}
