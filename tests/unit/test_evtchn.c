/*
 * Host tests for the event channels (hv/xen/evtchn.c, evtchn_2l.c), driven
 * as a guest drives them: EVTCHNOP_* through evtchn_op with the argument
 * struct in the calling domain's (fake) RAM, so the copy in and out is
 * part of every test. Delivery is checked in the shared_info / vcpu_info
 * the guest reads and in the PPI 31 injections the vGIC stub records. The
 * rest of arx is faked by xen_stubs.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arx/domain.h>
#include <arx/xen.h>
#include <public/arch-arm.h>
#include <public/event_channel.h>
#include <public/xen.h>

#include "check.h"
#include "xen_stubs.h"

#define RAM_PAGES 8
#define ARG_PAGE 1 /* where the tests put hypercall arguments */
#define INFO_PAGE 2 /* registered vcpu_info structs */
#define RO_PAGE 3 /* copy_to_guest fails here */

static struct domain *d1, *d2, *d3;

static void setup(void)
{
	memset(&fake, 0, sizeof(fake));
	d1 = fake_domain_new(1, 2, RAM_PAGES);
	d2 = fake_domain_new(2, 2, RAM_PAGES);
	d3 = fake_domain_new(3, 1, RAM_PAGES);
}

static void teardown(void)
{
	CHECK_EQ(fake.bad_calls, 0);
	CHECK_EQ(fake.lock_depth, 0);
	CHECK_EQ(fake.heap_bytes, 0); /* evtchn allocates nothing */
	CHECK_EQ(fake.pages, 0);
	fake_domain_free(d1);
	fake_domain_free(d2);
	fake_domain_free(d3);
}

static struct shared_info *si(struct domain *d)
{
	return (struct shared_info *)d->xen.shared_info;
}

/* The vcpu_info arx delivers to for v, as the guest sees it. */
static struct vcpu_info *vi(struct vcpu *v)
{
	if (v->xen.vcpu_info)
		return (struct vcpu_info *)v->xen.vcpu_info;
	return v->id == 0 ? &si(v->dom)->vcpu_info[0] : NULL;
}

static bool pending(struct domain *d, uint32_t p)
{
	if (p >= EVTCHN_2L_NR_CHANNELS) { /* a port number a failed operation left behind */
		CHECKF(0, "port %u", p);
		return false;
	}
	return si(d)->evtchn_pending[p / 64] >> (p % 64) & 1;
}

static void set_mask(struct domain *d, uint32_t p, bool on)
{
	if (on)
		si(d)->evtchn_mask[p / 64] |= 1UL << (p % 64);
	else
		si(d)->evtchn_mask[p / 64] &= ~(1UL << (p % 64));
}

/* What Linux's upcall handler does: clear upcall_pending and the selector, handle every port. */
static void guest_ack(struct vcpu *v)
{
	struct vcpu_info *info = vi(v);
	if (info) {
		info->evtchn_upcall_pending = 0;
		info->evtchn_pending_sel = 0;
	}
	memset(si(v->dom)->evtchn_pending, 0, sizeof(si(v->dom)->evtchn_pending));
}

/* The argument area of d (zeroed), as a guest pointer. */
static void *arg(struct domain *d)
{
	void *a = fake_ram(d, ARG_PAGE, 0);
	memset(a, 0, 64);
	return a;
}

/* One hypercall from vCPU 0 of d; also checks xen_lock was let go. */
static long op(struct domain *d, uint64_t cmd, void *a)
{
	long r = evtchn_op(d->vcpus[0], cmd, fake_va(a));
	CHECK_EQ(fake.lock_depth, 0);
	return r;
}

static long alloc_unbound(struct domain *d, domid_t dom, domid_t remote, uint32_t *port)
{
	struct evtchn_alloc_unbound *a = arg(d);
	a->dom = dom;
	a->remote_dom = remote;
	a->port = 0xdeadbeef;
	long r = op(d, EVTCHNOP_alloc_unbound, a);
	if (port)
		*port = a->port;
	return r;
}

static long bind_interdomain(struct domain *d, domid_t remote, uint32_t rport, uint32_t *port)
{
	struct evtchn_bind_interdomain *a = arg(d);
	a->remote_dom = remote;
	a->remote_port = rport;
	a->local_port = 0xdeadbeef;
	long r = op(d, EVTCHNOP_bind_interdomain, a);
	if (port)
		*port = a->local_port;
	return r;
}

static long port_op(struct domain *d, uint64_t cmd, uint32_t port)
{
	struct evtchn_send *a = arg(d); /* close, send and unmask share the layout */
	a->port = port;
	return op(d, cmd, a);
}

static long bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_virq *a = arg(d);
	a->virq = virq;
	a->vcpu = vcpu;
	long r = op(d, EVTCHNOP_bind_virq, a);
	if (port)
		*port = a->port;
	return r;
}

static long bind_ipi(struct domain *d, uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_ipi *a = arg(d);
	a->vcpu = vcpu;
	long r = op(d, EVTCHNOP_bind_ipi, a);
	if (port)
		*port = a->port;
	return r;
}

static long bind_vcpu(struct domain *d, uint32_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu *a = arg(d);
	a->port = port;
	a->vcpu = vcpu;
	return op(d, EVTCHNOP_bind_vcpu, a);
}

static long status(struct domain *d, domid_t dom, uint32_t port, struct evtchn_status *out)
{
	struct evtchn_status *a = arg(d);
	memset(a, 0xee, sizeof(*a));
	a->dom = dom;
	a->port = port;
	long r = op(d, EVTCHNOP_status, a);
	*out = *a;
	return r;
}

/* A connected channel: a port of `a` offered to b, bound by b. */
static void connect(struct domain *a, struct domain *b, uint32_t *pa, uint32_t *pb)
{
	CHECK_EQ(alloc_unbound(a, DOMID_SELF, (domid_t)b->id, pa), 0);
	CHECK_EQ(bind_interdomain(b, (domid_t)a->id, *pa, pb), 0);
	guest_ack(b->vcpus[0]); /* the bind raised b's new port */
	fake_irqs_clear();
}

static void test_alloc_and_bind(void)
{
	struct evtchn_status st;
	uint32_t p1, p2, p;
	setup();
	CHECK_EQ(alloc_unbound(d1, DOMID_SELF, 2, &p1), 0);
	CHECK_EQ(p1, 1);
	CHECK_EQ(d1->xen.ports[p1].state, ECS_UNBOUND);
	CHECK_EQ(status(d1, DOMID_SELF, p1, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, 2);
	/* Only for itself, and only for a real domain id. */
	CHECK_EQ(alloc_unbound(d1, 2, 3, NULL), -XEN_EPERM);
	CHECK_EQ(alloc_unbound(d1, 1, 3, &p), 0); /* its own id is itself */
	CHECK_EQ(p, 2);
	CHECK_EQ(alloc_unbound(d1, DOMID_SELF, DOMID_FIRST_RESERVED + 1, NULL), -XEN_EINVAL);
	CHECK_EQ(alloc_unbound(d1, DOMID_SELF, 0xffff, NULL), -XEN_EINVAL);
	CHECK_EQ(d1->xen.ports[3].state, ECS_FREE);

	/* The access control policy refuses: the offered port stays unbound. */
	fake.mac_deny_signal = true;
	CHECK_EQ(bind_interdomain(d2, 1, p1, NULL), -XEN_EACCES);
	CHECK_EQ(d1->xen.ports[p1].state, ECS_UNBOUND);
	fake.mac_deny_signal = false;

	/* Binding: only to a port offered to the binder. */
	CHECK_EQ(bind_interdomain(d3, 1, p1, NULL), -XEN_EINVAL); /* offered to 2 */
	CHECK_EQ(bind_interdomain(d2, 1, 2, NULL), -XEN_EINVAL); /* port 2 is offered to 3 */
	CHECK_EQ(bind_interdomain(d2, 1, 3, NULL), -XEN_EINVAL); /* free */
	CHECK_EQ(bind_interdomain(d2, 9, p1, NULL), -XEN_ESRCH);
	CHECK_EQ(bind_interdomain(d2, MAX_DOMAINS + 5, p1, NULL), -XEN_ESRCH);
	CHECK_EQ(bind_interdomain(d2, 0x7ff5, p1, NULL), -XEN_ESRCH);
	CHECK_EQ(bind_interdomain(d2, DOMID_SELF, p1, NULL), -XEN_EINVAL); /* d2's own port 1 */
	static const uint32_t hostile[] = { 0, 1023, 1024, 4096, UINT32_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++)
		CHECKF(bind_interdomain(d2, 1, hostile[i], NULL) == -XEN_EINVAL, "remote port %u",
		       hostile[i]);
	d1->state = DOMAIN_DYING;
	CHECK_EQ(bind_interdomain(d2, 1, p1, NULL), -XEN_ESRCH);
	d1->state = DOMAIN_RUNNING;
	CHECK_EQ(fake.nr_irqs, 0);
	for (uint32_t q = 1; q < EVTCHN_MAX_PORTS; q++)
		if (d2->xen.ports[q].state != ECS_FREE)
			CHECKF(0, "d2 port %u allocated by a failed bind", q);

	CHECK_EQ(bind_interdomain(d2, 1, p1, &p2), 0);
	CHECK_EQ(p2, 1);
	CHECK_EQ(status(d2, DOMID_SELF, p2, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, 1);
	CHECK_EQ(st.u.interdomain.port, p1);
	CHECK_EQ(status(d1, 1, p1, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, 2);
	CHECK_EQ(st.u.interdomain.port, p2);
	/* The binder's port is raised at once (nothing sent before is lost). */
	CHECK(pending(d2, p2));
	CHECK_EQ(fake_irqs_for(d2->vcpus[0]), 1);
	CHECK(!pending(d1, p1));
	/* Bound already: a second bind fails. */
	CHECK_EQ(bind_interdomain(d2, 1, p1, NULL), -XEN_EINVAL);
	CHECK_EQ(bind_interdomain(d3, 1, p1, NULL), -XEN_EINVAL);

	/* A domain with itself, by DOMID_SELF and by its id. */
	uint32_t a, b;
	CHECK_EQ(alloc_unbound(d3, DOMID_SELF, DOMID_SELF, &a), 0);
	CHECK_EQ(d3->xen.ports[a].remote_dom, 3);
	CHECK_EQ(bind_interdomain(d3, DOMID_SELF, a, &b), 0);
	CHECK(a != b);
	guest_ack(d3->vcpus[0]);
	fake_irqs_clear();
	CHECK_EQ(port_op(d3, EVTCHNOP_send, b), 0);
	CHECK(pending(d3, a) && !pending(d3, b));
	CHECK_EQ(port_op(d3, EVTCHNOP_send, a), 0);
	CHECK(pending(d3, b));
	CHECK_EQ(fake_irqs_for(d3->vcpus[0]), 1); /* same word, upcall still pending */
	CHECK_EQ(port_op(d3, EVTCHNOP_close, a), 0);
	CHECK_EQ(d3->xen.ports[b].state, ECS_UNBOUND);
	CHECK_EQ(d3->xen.ports[b].remote_dom, 3);
	CHECK_EQ(alloc_unbound(d3, DOMID_SELF, 3, &a), 0);
	CHECK_EQ(bind_interdomain(d3, 3, a, &b), 0);
	CHECK_EQ(d3->xen.ports[b].remote, a);
	teardown();
}

static void test_send_delivery(void)
{
	uint32_t p1, p2;
	setup();
	connect(d1, d2, &p1, &p2);
	struct vcpu *v = d1->vcpus[0];

	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK(pending(d1, p1));
	CHECK(!pending(d2, p2));
	CHECK_EQ(vi(v)->evtchn_pending_sel, 1UL << (p1 / 64));
	CHECK_EQ(vi(v)->evtchn_upcall_pending, 1);
	CHECK_EQ(fake.nr_irqs, 1);
	CHECK(fake.irqs[0].v == v);
	CHECK_EQ(fake.irqs[0].intid, GUEST_EVTCHN_PPI);
	CHECK_EQ(fake.irqs[0].lock_depth, 1); /* raised under xen_lock */
	/* Already pending: nothing more. */
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(fake.nr_irqs, 1);
	/* The guest handled the port but has not cleared upcall_pending: no new interrupt. */
	si(d1)->evtchn_pending[0] = 0;
	vi(v)->evtchn_pending_sel = 0;
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK(pending(d1, p1));
	CHECK_EQ(vi(v)->evtchn_pending_sel, 1);
	CHECK_EQ(fake.nr_irqs, 1);
	/*
	 * The guest has cleared upcall_pending but not yet taken the selector: the
	 * selector tells it, so no new upcall (as Xen, the 2-level ABI).
	 */
	si(d1)->evtchn_pending[0] = 0;
	vi(v)->evtchn_upcall_pending = 0;
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK(pending(d1, p1));
	CHECK_EQ(vi(v)->evtchn_upcall_pending, 0);
	CHECK_EQ(fake.nr_irqs, 1);
	/* Once it has taken both, the next event interrupts again. */
	guest_ack(v);
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(fake.nr_irqs, 2);
	CHECK_EQ(vi(v)->evtchn_upcall_pending, 1);

	/* A port in another word while the upcall is pending: its selector bit, no interrupt. */
	uint32_t q1, q2;
	for (uint32_t i = 0; i < 70; i++)
		CHECK_EQ(alloc_unbound(d1, DOMID_SELF, 2, &q1), 0);
	CHECK_EQ(q1, 71);
	CHECK_EQ(bind_interdomain(d2, 1, q1, &q2), 0);
	fake_irqs_clear();
	CHECK_EQ(port_op(d2, EVTCHNOP_send, q2), 0);
	CHECK(pending(d1, 71));
	CHECK_EQ(vi(v)->evtchn_pending_sel, 3);
	CHECK_EQ(fake.nr_irqs, 0);

	/* Masked: pending, no selector, no interrupt; unmask delivers once. */
	guest_ack(v);
	set_mask(d1, p1, true);
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK(pending(d1, p1));
	CHECK_EQ(vi(v)->evtchn_pending_sel, 0);
	CHECK_EQ(vi(v)->evtchn_upcall_pending, 0);
	CHECK_EQ(fake.nr_irqs, 0);
	CHECK_EQ(port_op(d1, EVTCHNOP_unmask, p1), 0);
	CHECK(!(si(d1)->evtchn_mask[0] & (1UL << p1)));
	CHECK_EQ(fake.nr_irqs, 1);
	CHECK_EQ(vi(v)->evtchn_pending_sel, 1);
	CHECK_EQ(port_op(d1, EVTCHNOP_unmask, p1), 0); /* selector already set */
	CHECK_EQ(fake.nr_irqs, 1);
	/* Unmasking a port with nothing pending delivers nothing. */
	guest_ack(v);
	fake_irqs_clear();
	set_mask(d1, p1, true);
	CHECK_EQ(port_op(d1, EVTCHNOP_unmask, p1), 0);
	CHECK_EQ(fake.nr_irqs, 0);
	CHECK_EQ(vi(v)->evtchn_upcall_pending, 0);

	/* No shared_info yet: nothing is written or injected, and nothing breaks. */
	paddr_t s = d1->xen.shared_info;
	d1->xen.shared_info = 0;
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(port_op(d1, EVTCHNOP_unmask, p1), 0);
	CHECK(!evtchn_is_pending(d1, p1));
	d1->xen.shared_info = s;
	CHECK(!pending(d1, p1));
	CHECK_EQ(fake.nr_irqs, 0);

	/* Sending on an unbound port is dropped; on a free one it is an error. */
	uint32_t u;
	CHECK_EQ(alloc_unbound(d2, DOMID_SELF, 3, &u), 0);
	CHECK_EQ(port_op(d2, EVTCHNOP_send, u), 0);
	CHECK_EQ(port_op(d2, EVTCHNOP_send, u + 1), -XEN_EINVAL);
	CHECK_EQ(fake.nr_irqs, 0);
	/* A VIRQ port cannot be sent on. */
	uint32_t vp;
	CHECK_EQ(bind_virq(d2, VIRQ_CONSOLE, 0, &vp), 0);
	CHECK_EQ(port_op(d2, EVTCHNOP_send, vp), -XEN_EINVAL);
	teardown();
}

static void test_close_and_destroy(void)
{
	struct evtchn_status st;
	uint32_t p1, p2, q1, q3;
	setup();
	connect(d1, d2, &p1, &p2);
	/* Closing one end: the other goes back to waiting for the closer. */
	CHECK_EQ(port_op(d1, EVTCHNOP_close, p1), 0);
	CHECK_EQ(d1->xen.ports[p1].state, ECS_FREE);
	CHECK_EQ(status(d2, DOMID_SELF, p2, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, 1);
	/* As in Xen, an explicit close does not raise the peer's port (only a domain's end does). */
	CHECK(!pending(d2, p2));
	CHECK_EQ(fake.nr_irqs, 0);
	CHECK_EQ(port_op(d1, EVTCHNOP_close, p1), -XEN_EINVAL); /* closed already */
	CHECK_EQ(port_op(d1, EVTCHNOP_send, p1), -XEN_EINVAL);
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0); /* unbound now: dropped */
	CHECK(!pending(d1, p1));
	/* The waiting end can be bound again by the same peer. */
	CHECK_EQ(bind_interdomain(d1, 2, p2, &p1), 0);
	CHECK_EQ(d2->xen.ports[p2].state, ECS_INTERDOMAIN);
	CHECK_EQ(d2->xen.ports[p2].remote, p1);

	/* d1 goes: its peers' ends are unbound and raised; an unbound offer to it stays. */
	connect(d1, d3, &q1, &q3);
	uint32_t offer;
	CHECK_EQ(alloc_unbound(d3, DOMID_SELF, 1, &offer), 0);
	guest_ack(d2->vcpus[0]);
	guest_ack(d3->vcpus[0]);
	fake_irqs_clear();
	evtchn_domain_destroy(d1);
	for (uint32_t p = 0; p < EVTCHN_MAX_PORTS; p++)
		if (d1->xen.ports[p].state != ECS_FREE)
			CHECKF(0, "d1 port %u still open", p);
	CHECK_EQ(d2->xen.ports[p2].state, ECS_UNBOUND);
	CHECK_EQ(d2->xen.ports[p2].remote_dom, 1);
	CHECK_EQ(d3->xen.ports[q3].state, ECS_UNBOUND);
	CHECK_EQ(d3->xen.ports[offer].state, ECS_UNBOUND);
	CHECK(pending(d2, p2));
	CHECK(pending(d3, q3));
	CHECK_EQ(fake_irqs_for(d2->vcpus[0]), 1);
	CHECK_EQ(fake_irqs_for(d3->vcpus[0]), 1);
	CHECK_EQ(fake_irqs_for(d1->vcpus[0]), 0);
	/* The peer's send on it is now dropped and its close works. */
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(port_op(d2, EVTCHNOP_close, p2), 0);
	/* A peer whose channel end no longer matches (stale) is left alone on destroy. */
	connect(d2, d3, &p2, &q3);
	d2->xen.ports[p2].remote = 77; /* inconsistent on purpose */
	evtchn_domain_destroy(d2);
	CHECK_EQ(d3->xen.ports[q3].state, ECS_INTERDOMAIN);
	teardown();
}

static void test_hostile_ports_and_args(void)
{
	struct evtchn_status st;
	static const uint32_t bad[] = { 0, 1024, 4096, 65536, 0x80000000u, UINT32_MAX };
	setup();
	uint32_t p1, p2;
	connect(d1, d2, &p1, &p2);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint32_t p = bad[i];
		CHECKF(port_op(d1, EVTCHNOP_send, p) == -XEN_EINVAL, "send %u", p);
		CHECKF(port_op(d1, EVTCHNOP_close, p) == -XEN_EINVAL, "close %u", p);
		CHECKF(port_op(d1, EVTCHNOP_unmask, p) == -XEN_EINVAL, "unmask %u", p);
		CHECKF(bind_vcpu(d1, p, 0) == -XEN_EINVAL, "bind_vcpu %u", p);
		if (p)
			CHECKF(status(d1, DOMID_SELF, p, &st) == -XEN_EINVAL, "status %u", p);
	}
	CHECK_EQ(status(d1, DOMID_SELF, 0, &st), 0); /* port 0 exists, always closed */
	CHECK_EQ(st.status, EVTCHNSTAT_closed);
	/* The last valid port: free, so closed / invalid to act on, but in bounds. */
	CHECK_EQ(status(d1, DOMID_SELF, 1023, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_closed);
	CHECK_EQ(port_op(d1, EVTCHNOP_send, 1023), -XEN_EINVAL);
	CHECK_EQ(port_op(d1, EVTCHNOP_close, 1023), -XEN_EINVAL);
	CHECK_EQ(port_op(d1, EVTCHNOP_unmask, 1023), 0);
	CHECK_EQ(fake.nr_irqs, 0);
	CHECK(!evtchn_is_pending(d1, 1024));
	CHECK(!evtchn_is_pending(d1, UINT32_MAX));
	/* evtchn_raise is public too: out-of-range ports are ignored. */
	evtchn_raise(d1, 0);
	evtchn_raise(d1, 1024);
	evtchn_raise(d1, UINT32_MAX);
	CHECK_EQ(fake.nr_irqs, 0);
	for (size_t w = 0; w < ARRAY_SIZE(si(d1)->evtchn_pending); w++)
		CHECKF(si(d1)->evtchn_pending[w] == 0, "pending word %zu", w);
	/* The channel survived all that. */
	CHECK_EQ(d1->xen.ports[p1].state, ECS_INTERDOMAIN);
	CHECK_EQ(d2->xen.ports[p2].state, ECS_INTERDOMAIN);

	/* Status of another domain: not allowed. */
	CHECK_EQ(status(d1, 2, p1, &st), -XEN_EPERM);

	/* Argument pointers outside the guest's RAM, or running off its end. */
	uint8_t *end = (uint8_t *)fake_ram(d1, RAM_PAGES - 1, 0) + FAKE_PAGE;
	static const uint64_t cmds[] = { EVTCHNOP_alloc_unbound, EVTCHNOP_bind_interdomain,
					 EVTCHNOP_bind_virq, EVTCHNOP_bind_ipi, EVTCHNOP_close,
					 EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_unmask,
					 EVTCHNOP_bind_vcpu };
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		uint64_t c = cmds[i];
		CHECKF(evtchn_op(d1->vcpus[0], c, 0) == -XEN_EFAULT, "cmd %lu arg 0", c);
		CHECKF(evtchn_op(d1->vcpus[0], c, fake_va(end - 2)) == -XEN_EFAULT, "cmd %lu end",
		       c);
		CHECKF(evtchn_op(d1->vcpus[0], c, UINT64_MAX) == -XEN_EFAULT, "cmd %lu max", c);
		CHECKF(evtchn_op(d1->vcpus[0], c, UINT64_MAX - 1) == -XEN_EFAULT, "cmd %lu max-1", c);
		CHECKF(evtchn_op(d1->vcpus[0], c, fake_va(d1) /* arx's memory */) == -XEN_EFAULT,
		       "cmd %lu host", c);
	}
	/* The last bytes of RAM are fine for a struct that fits. */
	struct evtchn_send *s = (struct evtchn_send *)(end - sizeof(*s));
	s->port = p1;
	CHECK_EQ(evtchn_op(d1->vcpus[0], EVTCHNOP_send, fake_va(s)), 0);
	CHECK(pending(d2, p2));
	/* Another domain's RAM is not this one's. */
	struct evtchn_send *other = arg(d2);
	other->port = p1;
	CHECK_EQ(evtchn_op(d1->vcpus[0], EVTCHNOP_send, fake_va(other)), -XEN_EFAULT);
	/* Unknown and unsupported operations. */
	static const uint64_t nosys[] = { EVTCHNOP_bind_pirq, EVTCHNOP_reset,
					  EVTCHNOP_init_control, EVTCHNOP_expand_array,
					  EVTCHNOP_set_priority, 14, 255, 256, UINT64_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(nosys); i++)
		CHECKF(evtchn_op(d1->vcpus[0], nosys[i], fake_va(arg(d1))) == -XEN_ENOSYS, "cmd %lu",
		       nosys[i]);
	/* The result cannot be written back: -EFAULT (the port is allocated, as in Xen). */
	fake_set_copy_ro(d1, RO_PAGE, true);
	struct evtchn_alloc_unbound *a = fake_ram(d1, RO_PAGE, 0);
	a->dom = DOMID_SELF;
	a->remote_dom = 2;
	CHECK_EQ(evtchn_op(d1->vcpus[0], EVTCHNOP_alloc_unbound, fake_va(a)), -XEN_EFAULT);
	CHECK_EQ(a->port, 0);
	CHECK_EQ(fake.lock_depth, 0);
	/* An op that writes nothing back works from a page it cannot write. */
	struct evtchn_send *ro_send = fake_ram(d1, RO_PAGE, 64);
	ro_send->port = p1;
	CHECK_EQ(evtchn_op(d1->vcpus[0], EVTCHNOP_send, fake_va(ro_send)), 0);
	teardown();
}

static void test_exhaustion(void)
{
	uint32_t p, first = 0, last = 0, n = 0;
	setup();
	for (;;) {
		long r = alloc_unbound(d1, DOMID_SELF, 2, &p);
		if (r) {
			CHECK_EQ(r, -XEN_ENOSPC);
			break;
		}
		if (!n)
			first = p;
		last = p;
		if (++n > EVTCHN_MAX_PORTS)
			break;
	}
	CHECK_EQ(n, EVTCHN_MAX_PORTS - 1);
	CHECK_EQ(first, 1);
	CHECK_EQ(last, EVTCHN_MAX_PORTS - 1);
	CHECK_EQ(bind_ipi(d1, 0, NULL), -XEN_ENOSPC);
	CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, NULL), -XEN_ENOSPC);
	CHECK_EQ(evtchn_alloc_arx_port(d1), 0);
	/* d2 offers a port to d1, which has no room to bind it: the offer is unharmed. */
	uint32_t offer, got;
	CHECK_EQ(alloc_unbound(d2, DOMID_SELF, 1, &offer), 0);
	CHECK_EQ(bind_interdomain(d1, 2, offer, NULL), -XEN_ENOSPC);
	CHECK_EQ(d2->xen.ports[offer].state, ECS_UNBOUND);
	CHECK_EQ(d2->xen.ports[offer].remote_dom, 1);
	/* The highest port works fully. */
	CHECK_EQ(bind_interdomain(d2, 1, last, &got), 0);
	guest_ack(d2->vcpus[0]);
	fake_irqs_clear();
	CHECK_EQ(port_op(d2, EVTCHNOP_send, got), 0);
	CHECK(pending(d1, last));
	CHECK(evtchn_is_pending(d1, last));
	CHECK_EQ(vi(d1->vcpus[0])->evtchn_pending_sel, 1UL << (last / 64));
	CHECK_EQ(fake.nr_irqs, 1);
	/* A closed port is the next one given out. */
	CHECK_EQ(port_op(d1, EVTCHNOP_close, 500), 0);
	CHECK_EQ(bind_interdomain(d1, 2, offer, &got), 0);
	CHECK_EQ(got, 500);
	CHECK_EQ(alloc_unbound(d1, DOMID_SELF, 2, NULL), -XEN_ENOSPC);
	teardown();
}

static void test_status_states(void)
{
	struct evtchn_status st;
	uint32_t u, p1, p2, virq, ipi, cons;
	setup();
	CHECK_EQ(status(d1, DOMID_SELF, 5, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_closed);
	CHECK_EQ(alloc_unbound(d1, DOMID_SELF, 3, &u), 0);
	connect(d2, d1, &p2, &p1);
	CHECK_EQ(bind_virq(d1, VIRQ_CONSOLE, 0, &virq), 0);
	CHECK_EQ(bind_ipi(d1, 1, &ipi), 0);
	cons = evtchn_alloc_arx_port(d1);
	CHECK(cons != 0);

	CHECK_EQ(status(d1, DOMID_SELF, u, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, 3);
	CHECK_EQ(st.vcpu, 0);
	CHECK_EQ(status(d1, DOMID_SELF, p1, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, 2);
	CHECK_EQ(st.u.interdomain.port, p2);
	CHECK_EQ(status(d1, DOMID_SELF, virq, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_virq);
	CHECK_EQ(st.u.virq, VIRQ_CONSOLE);
	CHECK_EQ(status(d1, DOMID_SELF, ipi, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_ipi);
	CHECK_EQ(st.vcpu, 1);
	CHECK_EQ(status(d1, 1, cons, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, 0);
	CHECK_EQ(st.u.interdomain.port, 0);
	CHECK_EQ(status(d1, 3, u, &st), -XEN_EPERM);

	/* The console port: a send is a kick of arx's console; closing it forgets it. */
	d1->xen.console_port = cons;
	CHECK_EQ(port_op(d1, EVTCHNOP_send, cons), 0);
	CHECK_EQ(fake.console_kicks[1], 1);
	CHECK(fake.last_kick == d1);
	CHECK_EQ(port_op(d1, EVTCHNOP_close, cons), 0);
	CHECK_EQ(d1->xen.console_port, 0);
	CHECK_EQ(status(d1, DOMID_SELF, cons, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_closed);
	CHECK_EQ(port_op(d1, EVTCHNOP_send, cons), -XEN_EINVAL);
	CHECK_EQ(fake.console_kicks[1], 1);
	teardown();
}

static void test_virq_ipi_vcpu(void)
{
	uint32_t t0, t1, c0, ipi, p;
	setup();
	/* VIRQs: per-vCPU timer/debug on any vCPU, global ones on vCPU 0, each once. */
	CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &t0), 0);
	CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, NULL), -XEN_EEXIST);
	CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 1, &t1), 0);
	CHECK(t0 != t1);
	CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 2, NULL), -XEN_ENOENT);
	CHECK_EQ(bind_virq(d1, VIRQ_TIMER, UINT32_MAX, NULL), -XEN_ENOENT);
	CHECK_EQ(bind_virq(d1, VIRQ_DEBUG, 1, NULL), 0);
	CHECK_EQ(bind_virq(d1, VIRQ_CONSOLE, 1, NULL), -XEN_EINVAL);
	CHECK_EQ(bind_virq(d1, VIRQ_CONSOLE, 0, &c0), 0);
	CHECK_EQ(bind_virq(d1, VIRQ_CONSOLE, 0, NULL), -XEN_EEXIST);
	/* VIRQ_DOM_EXC is the control domain's alone. */
	CHECK_EQ(bind_virq(d1, VIRQ_DOM_EXC, 0, NULL), -XEN_EPERM);
	CHECK_EQ(bind_virq(d1, 4, 0, NULL), -XEN_EINVAL);
	CHECK_EQ(bind_virq(d1, NR_VIRQS, 0, NULL), -XEN_EINVAL);
	CHECK_EQ(bind_virq(d1, UINT32_MAX, 0, NULL), -XEN_EINVAL);
	CHECK_EQ(d1->xen.ports[t1].vcpu, 1);
	CHECK_EQ(port_op(d1, EVTCHNOP_close, t0), 0);
	CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &p), 0);
	CHECK_EQ(p, t0);
	/* Another domain's VIRQs are its own. */
	CHECK_EQ(bind_virq(d2, VIRQ_TIMER, 0, NULL), 0);

	/* IPIs: to an existing vCPU; sending raises the domain's own port on that vCPU. */
	CHECK_EQ(bind_ipi(d1, 2, NULL), -XEN_ENOENT);
	CHECK_EQ(bind_ipi(d1, 1, &ipi), 0);
	CHECK_EQ(d1->xen.ports[ipi].vcpu, 1);
	/* vCPU 1 has no vcpu_info yet: pending, but nobody to tell. */
	CHECK_EQ(port_op(d1, EVTCHNOP_send, ipi), 0);
	CHECK(pending(d1, ipi));
	CHECK_EQ(fake.nr_irqs, 0);
	CHECK_EQ(si(d1)->vcpu_info[0].evtchn_upcall_pending, 0);

	/* bind_vcpu: not for IPIs or per-vCPU VIRQs; fine for global VIRQs and channels. */
	CHECK_EQ(bind_vcpu(d1, ipi, 0), -XEN_EINVAL);
	CHECK_EQ(bind_vcpu(d1, t0, 1), -XEN_EINVAL);
	CHECK_EQ(bind_vcpu(d1, c0, 1), 0);
	CHECK_EQ(d1->xen.ports[c0].vcpu, 1);
	CHECK_EQ(bind_vcpu(d1, c0, 2), -XEN_ENOENT);
	CHECK_EQ(bind_vcpu(d1, c0, UINT32_MAX), -XEN_ENOENT);
	CHECK_EQ(d1->xen.ports[c0].vcpu, 1);
	CHECK_EQ(bind_vcpu(d1, 100, 0), -XEN_EINVAL); /* free */
	uint32_t p1, p2;
	connect(d1, d2, &p1, &p2);
	CHECK_EQ(bind_vcpu(d1, p1, 1), 0);
	uint32_t u;
	CHECK_EQ(alloc_unbound(d1, DOMID_SELF, 2, &u), 0);
	CHECK_EQ(bind_vcpu(d1, u, 1), 0);

	/* vCPU 1 registers its vcpu_info: one upcall at once, with every selector bit. */
	struct vcpu *v1 = d1->vcpus[1];
	struct vcpu_info *info1 = fake_ram(d1, INFO_PAGE, 64);
	memset(info1, 0x55, sizeof(*info1));
	fake_irqs_clear();
	evtchn_vcpu_info_moved(v1, fake_ram_pa(d1, INFO_PAGE) + 64);
	CHECK_EQ(v1->xen.vcpu_info, fake_ram_pa(d1, INFO_PAGE) + 64);
	CHECK_EQ(info1->evtchn_pending_sel, ~0UL);
	CHECK_EQ(info1->evtchn_upcall_pending, 1);
	CHECK_EQ(fake_irqs_for(v1), 1);
	CHECK_EQ(fake.irqs[0].intid, GUEST_EVTCHN_PPI);
	/* The channel bound to vCPU 1 is delivered there, not to vCPU 0. */
	guest_ack(v1);
	fake_irqs_clear();
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(fake_irqs_for(v1), 1);
	CHECK_EQ(fake_irqs_for(d1->vcpus[0]), 0);
	CHECK_EQ(info1->evtchn_pending_sel, 1UL << (p1 / 64));
	CHECK_EQ(si(d1)->vcpu_info[0].evtchn_upcall_pending, 0);
	CHECK_EQ(si(d1)->vcpu_info[0].evtchn_pending_sel, 0);
	/* Moved back to vCPU 0. */
	guest_ack(v1);
	CHECK_EQ(bind_vcpu(d1, p1, 0), 0);
	fake_irqs_clear();
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(fake_irqs_for(d1->vcpus[0]), 1);
	CHECK_EQ(fake_irqs_for(v1), 0);
	/* IPI to vCPU 1 now interrupts it. */
	guest_ack(v1);
	fake_irqs_clear();
	CHECK_EQ(port_op(d1, EVTCHNOP_send, ipi), 0);
	CHECK_EQ(fake_irqs_for(v1), 1);
	teardown();
}

static void test_vcpu_info_move(void)
{
	uint32_t p1, p2;
	setup();
	connect(d1, d2, &p1, &p2);
	struct vcpu *v = d1->vcpus[0];
	struct vcpu_info *old = &si(d1)->vcpu_info[0];
	/* Something pending in the old place: the state is carried over. */
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(old->evtchn_upcall_pending, 1);
	old->pad0 = 0x42;
	old->time.version = 7;
	fake_irqs_clear();
	struct vcpu_info *nw = fake_ram(d1, INFO_PAGE, 128);
	evtchn_vcpu_info_moved(v, fake_ram_pa(d1, INFO_PAGE) + 128);
	CHECK_EQ(nw->evtchn_upcall_pending, 1);
	CHECK_EQ(nw->evtchn_pending_sel, ~0UL);
	CHECK_EQ(nw->pad0, 0x42);
	CHECK_EQ(nw->time.version, 7);
	CHECK_EQ(fake_irqs_for(v), 1);
	/* From now on delivery goes to the new place only. */
	memset(old, 0, sizeof(*old));
	nw->evtchn_upcall_pending = 0;
	nw->evtchn_pending_sel = 0;
	si(d1)->evtchn_pending[0] = 0;
	fake_irqs_clear();
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(nw->evtchn_upcall_pending, 1);
	CHECK_EQ(nw->evtchn_pending_sel, 1);
	CHECK_EQ(old->evtchn_upcall_pending, 0);
	CHECK_EQ(old->evtchn_pending_sel, 0);
	CHECK_EQ(fake_irqs_for(v), 1);
	/* Unmask also delivers to the new place. */
	guest_ack(v);
	set_mask(d1, p1, true);
	CHECK_EQ(port_op(d2, EVTCHNOP_send, p2), 0);
	CHECK_EQ(nw->evtchn_upcall_pending, 0);
	CHECK_EQ(port_op(d1, EVTCHNOP_unmask, p1), 0);
	CHECK_EQ(nw->evtchn_upcall_pending, 1);
	CHECK_EQ(old->evtchn_upcall_pending, 0);

	/* A vCPU other than 0 with nothing registered starts from a clean slate. */
	struct vcpu *v1 = d1->vcpus[1];
	struct vcpu_info *n1 = fake_ram(d1, INFO_PAGE, 0);
	memset(n1, 0x77, sizeof(*n1));
	fake_irqs_clear();
	evtchn_vcpu_info_moved(v1, fake_ram_pa(d1, INFO_PAGE));
	CHECK_EQ(n1->evtchn_upcall_pending, 1);
	CHECK_EQ(n1->evtchn_pending_sel, ~0UL);
	CHECK_EQ(fake_irqs_for(v1), 1);
	CHECK_EQ(fake_irqs_for(v), 0);
	teardown();
}

int main(void)
{
	test_alloc_and_bind();
	test_send_delivery();
	test_close_and_destroy();
	test_hostile_ports_and_args();
	test_exhaustion();
	test_status_states();
	test_virq_ipi_vcpu();
	test_vcpu_info_move();
	return check_summary();
}
