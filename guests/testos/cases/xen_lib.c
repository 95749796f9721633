/*
 * Helpers for the Xen ABI cases (xen.h): the pages they use, set-up arx
 * remembers for the domain's life, the event upcall, and one way of
 * reporting a wrong answer ("call: got X, expected Y").
 */
#include <public/memory.h>
#include <public/version.h>
#include <testos/console.h>
#include <testos/exception.h>
#include <testos/gic.h>
#include <testos/hypercall.h>
#include <testos/irq.h>
#include <testos/mmio.h>
#include <testos/probe.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"
#include "xen.h"

#define UPCALL_WAIT_US 100000	/* an upcall is injected during the hypercall: it is quick */
#define QUIET_US 10000		/* how long "no upcall" is watched for */
#define DRAIN_US 2000

/* Ordinary bss: testos's own RAM, and nothing else lives in these pages. */
static uint8_t pages[NR_XEN_PAGES][XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static struct {
	bool shared_info_placed;
	domid_t domid;		/* 0: not learned yet (0 is never a domU's id under arx) */
	uint64_t vcpu_info;	/* IPA of vCPU 0's registered vcpu_info, 0: none */
	bool grant_frame0;
} xen;

uint64_t xen_page(enum xen_page p)
{
	return (uint64_t)(uintptr_t)pages[p];
}

int64_t xen_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return hypercall(nr, a0, a1, a2, 0, 0);
}

int64_t xen_op(uint64_t nr, uint64_t cmd, const void *arg)
{
	return hypercall(nr, cmd, (uint64_t)(uintptr_t)arg, 0, 0, 0);
}

bool xen_expect(const char *what, int64_t got, int64_t want)
{
	return case_check(got == want, "%s: got %ld, expected %ld", what, got, want);
}

static struct shared_info *shared_info(void)
{
	return (struct shared_info *)pages[XP_SHARED_INFO];
}

bool xen_ready(void)
{
	int64_t v = xen_call(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	struct xen_add_to_physmap a = { .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
					.idx = 0, .gpfn = xen_gfn(XP_SHARED_INFO) };
	int64_t r;

	if (v < 0) {
		case_skip("no Xen ABI here: xen_version answered %ld (a domain with xen = 1?)", v);
		return false;
	}
	if (xen.shared_info_placed)
		return true;
	r = xen_op(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &a);
	if (!xen_expect("add_to_physmap(shared_info) at set-up", r, 0))
		return false;
	xen.shared_info_placed = true;
	return true;
}

int64_t xen_alloc_unbound(domid_t dom, domid_t remote, uint32_t *port)
{
	struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote, .port = 0 };
	int64_t r = xen_op(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, &a);

	*port = a.port;
	return r;
}

int64_t xen_bind_interdomain(domid_t remote, uint32_t remote_port, uint32_t *local)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = remote_port };
	int64_t r = xen_op(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, &b);

	*local = b.local_port;
	return r;
}

int64_t xen_close(uint32_t port)
{
	struct evtchn_close c = { .port = port };

	return xen_op(__HYPERVISOR_event_channel_op, EVTCHNOP_close, &c);
}

int64_t xen_send(uint32_t port)
{
	struct evtchn_send s = { .port = port };

	return xen_op(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &s);
}

int64_t xen_status(uint32_t port, struct evtchn_status *st)
{
	*st = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
	return xen_op(__HYPERVISOR_event_channel_op, EVTCHNOP_status, st);
}

/* arx reports who may bind an unbound port: for one left open for "self", its own id. */
domid_t xen_domid(void)
{
	struct evtchn_status st;
	uint32_t port;

	if (xen.domid)
		return xen.domid;
	if (!xen_expect("alloc_unbound(self, self) to learn the domain id",
			xen_alloc_unbound(DOMID_SELF, DOMID_SELF, &port), 0))
		return DOMID_SELF;
	if (xen_expect("status of that port", xen_status(port, &st), 0) &&
	    case_check(st.status == EVTCHNSTAT_unbound, "status of port %u: %u, expected unbound",
		       port, st.status))
		xen.domid = st.u.unbound.dom;
	xen_expect("close of that port", xen_close(port), 0);
	return xen.domid ? xen.domid : DOMID_SELF;
}

domid_t xen_other_domid(void)
{
	return xen_domid() == 5 ? 6 : 5;
}

struct vcpu_info *xen_vcpu_info(void)
{
	if (xen.vcpu_info)
		return (struct vcpu_info *)(uintptr_t)xen.vcpu_info;
	return &shared_info()->vcpu_info[0];
}

void xen_vcpu_info_moved(uint64_t ipa)
{
	xen.vcpu_info = ipa;
}

static volatile uint64_t *pending_word(uint32_t port)
{
	return &shared_info()->evtchn_pending[port / 64];
}

static volatile uint64_t *mask_word(uint32_t port)
{
	return &shared_info()->evtchn_mask[port / 64];
}

bool xen_pending(uint32_t port)
{
	return *pending_word(port) & (1UL << (port % 64));
}

/*
 * Plain read-modify-write: arx sets these bits only inside this vCPU's own
 * hypercalls here (nothing else sends to testos), so nothing races with it.
 */
void xen_clear_pending(uint32_t port)
{
	*pending_word(port) &= ~(1UL << (port % 64));
}

bool xen_masked(uint32_t port)
{
	return *mask_word(port) & (1UL << (port % 64));
}

void xen_set_mask(uint32_t port, bool on)
{
	if (on)
		*mask_word(port) |= 1UL << (port % 64);
	else
		*mask_word(port) &= ~(1UL << (port % 64));
}

/* As Linux does first thing: the flags go back to 0 so the next event interrupts again. */
static void upcall(unsigned int intid)
{
	volatile struct vcpu_info *vi = xen_vcpu_info();

	(void)intid;
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
}

uint32_t xen_irq_start(void)
{
	volatile struct vcpu_info *vi;

	irq_set_handler(XEN_EVTCHN_PPI, upcall);
	gic_enable(XEN_EVTCHN_PPI);
	irq_unmask();
	udelay(DRAIN_US); /* an upcall left pending by an earlier case arrives now */
	vi = xen_vcpu_info();
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	return xen_upcalls();
}

uint32_t xen_upcalls(void)
{
	return irq_count(0, XEN_EVTCHN_PPI);
}

bool xen_upcall_came(uint32_t before)
{
	return WAIT_UNTIL(xen_upcalls() != before, UPCALL_WAIT_US);
}

bool xen_no_upcall(uint32_t before)
{
	udelay(QUIET_US);
	return xen_upcalls() == before;
}

static int64_t reservation(unsigned int cmd, uint64_t gfn)
{
	uint64_t list = gfn;
	struct xen_memory_reservation r = { .extent_start = (uint64_t)(uintptr_t)&list,
					    .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF };

	return xen_op(__HYPERVISOR_memory_op, cmd, &r);
}

int64_t xen_release(uint64_t gfn)
{
	return reservation(XENMEM_decrease_reservation, gfn);
}

int64_t xen_populate(uint64_t gfn)
{
	return reservation(XENMEM_populate_physmap, gfn);
}

bool xen_grant_frame0(void)
{
	struct xen_add_to_physmap a = { .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
					.idx = 0, .gpfn = XEN_GNTTAB_WINDOW >> XEN_PAGE_SHIFT };

	if (xen.grant_frame0)
		return true;
	if (!xen_expect("add_to_physmap(grant frame 0 at 0x38000)",
			xen_op(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &a), 0))
		return false;
	xen.grant_frame0 = true;
	return true;
}

static uint64_t entry_addr(grant_ref_t ref)
{
	return XEN_GNTTAB_WINDOW + ref * sizeof(struct grant_entry_v1);
}

void xen_grant(grant_ref_t ref, uint16_t flags, domid_t domid, uint32_t frame)
{
	/* As a granter must: the frame is in place before the flags say it may be used. */
	writel(entry_addr(ref) + 4, frame);
	dsb(sy);
	writel(entry_addr(ref), flags | (uint32_t)domid << 16);
}

uint16_t xen_grant_flags(grant_ref_t ref)
{
	return (uint16_t)readl(entry_addr(ref));
}

int64_t xen_gnttab_op(uint64_t cmd, void *arg, uint64_t count)
{
	return xen_call(__HYPERVISOR_grant_table_op, cmd, (uint64_t)(uintptr_t)arg, count);
}

int64_t xen_map_grant(uint64_t host, uint32_t flags, grant_ref_t ref, domid_t dom,
		      struct gnttab_map_grant_ref *m)
{
	*m = (struct gnttab_map_grant_ref){ .host_addr = host, .flags = flags, .ref = ref,
					    .dom = dom, .status = 0x7777 };
	return xen_gnttab_op(GNTTABOP_map_grant_ref, m, 1);
}

int64_t xen_unmap_grant(uint64_t host, grant_handle_t handle, int16_t *status)
{
	struct gnttab_unmap_grant_ref u = { .host_addr = host, .handle = handle,
					    .status = 0x7777 };
	int64_t r = xen_gnttab_op(GNTTABOP_unmap_grant_ref, &u, 1);

	*status = u.status;
	return r;
}

static void copy_ptr(struct gnttab_copy_ptr *p, bool gref, uint64_t v, domid_t dom, uint16_t off)
{
	*p = (struct gnttab_copy_ptr){ .domid = dom, .offset = off };
	if (gref)
		p->u.ref = (grant_ref_t)v;
	else
		p->u.gmfn = v;
}

int16_t xen_grant_copy(const char *what, uint16_t flags, uint64_t src, domid_t sdom,
		       uint16_t soff, uint64_t dst, domid_t ddom, uint16_t doff, uint16_t len)
{
	struct gnttab_copy c;

	copy_ptr(&c.source, flags & GNTCOPY_source_gref, src, sdom, soff);
	copy_ptr(&c.dest, flags & GNTCOPY_dest_gref, dst, ddom, doff);
	c.len = len;
	c.flags = flags;
	c.status = 0x7777;
	if (!xen_expect(what, xen_gnttab_op(GNTTABOP_copy, &c, 1), 0))
		return 0x7777;
	return c.status;
}

bool xen_make_hole(enum xen_page p)
{
	if (xen_read_faults(xen_page(p)))
		return true;
	return xen_expect("decrease_reservation for a hole", xen_release(xen_gfn(p)), 1);
}

void xen_fill_hole(enum xen_page p)
{
	if (xen_read_faults(xen_page(p)))
		xen_expect("populate_physmap of the hole", xen_populate(xen_gfn(p)), 1);
}

bool xen_read_faults(uint64_t addr)
{
	struct fault f;

	fault_expect();
	probe_read32(addr);
	return fault_taken(&f) && ESR_EC(f.esr) == EC_DABT_CUR;
}

bool xen_write_faults(uint64_t addr, uint32_t value)
{
	struct fault f;

	fault_expect();
	probe_write32(addr, value);
	return fault_taken(&f) && ESR_EC(f.esr) == EC_DABT_CUR;
}

void xen_put_bytes(uint64_t addr, const void *src, size_t n)
{
	const uint8_t *s = src;

	for (size_t i = 0; i < n; i++)
		writeb(addr + i, s[i]);
}

void xen_get_bytes(void *dst, uint64_t addr, size_t n)
{
	uint8_t *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = readb(addr + i);
}
