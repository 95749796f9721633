/*
 * Event channels: the ports of each domain and how they connect (Xen's
 * EVTCHNOP_*). A port is a small integer the guest names; every one it
 * passes is range-checked, and a domain acts only on its own ports, on
 * ports left open for it (alloc_unbound names the peer allowed to bind),
 * or on the far end of a channel it is part of. Delivery into the guest's
 * shared_info is evtchn_2l.c's.
 *
 * Only the 2-level ABI is offered (init_control answers -ENOSYS, and Linux
 * falls back to it). VIRQs can be bound as Linux asks; arx raises only the
 * control domain's: VIRQ_CONSOLE (typed input) and VIRQ_DOM_EXC (a domain
 * shut down or died). The guest's timer is the architected one.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/mac.h>
#include <arx/xen.h>
#include <public/event_channel.h>
#include <public/xen.h>

static bool is_self(const struct domain *d, domid_t dom)
{
	return dom == DOMID_SELF || dom == d->id;
}

/* Port p of d, or NULL (port 0 is never valid). */
static struct evtchn *port_of(struct domain *d, uint32_t p)
{
	return p && p < EVTCHN_MAX_PORTS && d->xen.ports ? &d->xen.ports[p] : NULL;
}

/* A domain another one may connect to: it exists, speaks Xen and is not being torn down. */
static struct domain *peer_domain(struct domain *d, domid_t id)
{
	struct domain *peer = id == DOMID_SELF ? d : domain_by_id(id);
	return peer && peer->xen.ports && peer->state != DOMAIN_DYING ? peer : NULL;
}

/* A free port of d, set to the given state; 0 if there is none. */
static uint32_t new_port(struct domain *d, struct evtchn e)
{
	for (uint32_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
		if (d->xen.ports[p].state == ECS_FREE) {
			d->xen.ports[p] = e;
			return p;
		}
	}
	return 0;
}

uint32_t evtchn_alloc_arx_port(struct domain *d)
{
	return new_port(d, (struct evtchn){ .state = ECS_CONSOLE });
}

uint32_t evtchn_alloc_arx_unbound(struct domain *d, uint16_t remote)
{
	return new_port(d, (struct evtchn){ .state = ECS_UNBOUND, .remote_dom = remote,
					    .arx_end = true });
}

uint32_t evtchn_alloc_unbound_for(struct domain *d, uint16_t remote)
{
	return new_port(d, (struct evtchn){ .state = ECS_UNBOUND, .remote_dom = remote });
}

/*
 * A port in a->dom's space that a->remote_dom may bind. Only the control
 * domain opens ports in another domain (libxl's store and console ports).
 */
static long alloc_unbound(struct vcpu *v, struct evtchn_alloc_unbound *a)
{
	struct domain *self = v->dom;
	if (!is_self(self, a->dom) && !self->control)
		return -XEN_EPERM;
	struct domain *d = is_self(self, a->dom) ? self : peer_domain(self, a->dom);
	if (!d)
		return -XEN_ESRCH;
	domid_t remote = a->remote_dom == DOMID_SELF ? (domid_t)self->id : a->remote_dom;
	if (remote >= DOMID_FIRST_RESERVED)
		return -XEN_EINVAL;
	a->port = evtchn_alloc_unbound_for(d, remote);
	return a->port ? 0 : -XEN_ENOSPC;
}

static long bind_interdomain(struct vcpu *v, struct evtchn_bind_interdomain *a)
{
	struct domain *d = v->dom;
	struct domain *peer = peer_domain(d, a->remote_dom);
	if (!peer)
		return -XEN_ESRCH;
	if (!mac_may_signal(d, peer))
		return -XEN_EACCES;
	struct evtchn *rp = port_of(peer, a->remote_port);
	if (!rp || rp->state != ECS_UNBOUND || rp->remote_dom != d->id)
		return -XEN_EINVAL; /* not left open for this domain */
	uint32_t lp = new_port(d, (struct evtchn){ .state = ECS_INTERDOMAIN,
						   .remote_dom = (uint16_t)peer->id,
						   .remote = a->remote_port });
	if (!lp)
		return -XEN_ENOSPC;
	rp->state = ECS_INTERDOMAIN;
	rp->remote = lp;
	a->local_port = lp;
	evtchn_raise(d, lp); /* as Xen: whatever was sent before the bind is not lost */
	return 0;
}

static bool virq_is_global(uint32_t virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG;
}

/* The control domain's VIRQs: console input and domains ending. */
static bool virq_is_control(uint32_t virq)
{
	return virq == VIRQ_DOM_EXC;
}

static long bind_virq(struct vcpu *v, struct evtchn_bind_virq *a)
{
	struct domain *d = v->dom;
	if (a->virq != VIRQ_TIMER && a->virq != VIRQ_DEBUG && a->virq != VIRQ_CONSOLE &&
	    a->virq != VIRQ_DOM_EXC)
		return -XEN_EINVAL;
	if (virq_is_control(a->virq) && !d->control)
		return -XEN_EPERM;
	if (a->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (virq_is_global(a->virq) && a->vcpu != 0)
		return -XEN_EINVAL;
	for (uint32_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
		const struct evtchn *e = &d->xen.ports[p];
		if (e->state == ECS_VIRQ && e->remote == a->virq && e->vcpu == a->vcpu)
			return -XEN_EEXIST;
	}
	a->port = new_port(d, (struct evtchn){ .state = ECS_VIRQ, .vcpu = (uint8_t)a->vcpu,
					       .remote = a->virq });
	return a->port ? 0 : -XEN_ENOSPC;
}

static long bind_ipi(struct vcpu *v, struct evtchn_bind_ipi *a)
{
	struct domain *d = v->dom;
	if (a->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	a->port = new_port(d, (struct evtchn){ .state = ECS_IPI, .vcpu = (uint8_t)a->vcpu });
	return a->port ? 0 : -XEN_ENOSPC;
}

/* The peer's end of d's interdomain port e, if it is still connected to it. */
static struct evtchn *far_end(struct domain *d, uint32_t p, const struct evtchn *e,
			      struct domain **peer)
{
	*peer = e->remote_dom == d->id ? d : domain_by_id(e->remote_dom);
	struct evtchn *r = *peer ? port_of(*peer, e->remote) : NULL;
	if (r && r->state == ECS_INTERDOMAIN && r->remote_dom == d->id && r->remote == p)
		return r;
	return NULL;
}

/* Closes port p of d; the far end of a channel goes back to waiting for d. */
static void close_port(struct domain *d, uint32_t p, bool notify_peer)
{
	struct evtchn *e = &d->xen.ports[p];
	struct domain *peer;
	struct evtchn *r = e->state == ECS_INTERDOMAIN ? far_end(d, p, e, &peer) : NULL;
	if (r) {
		r->state = ECS_UNBOUND;
		r->remote = 0;
		if (notify_peer)
			evtchn_raise(peer, (uint32_t)(r - peer->xen.ports));
	}
	if (e->state == ECS_CONSOLE)
		d->xen.console_port = 0;
	*e = (struct evtchn){ .state = ECS_FREE };
}

static long close_op(struct vcpu *v, struct evtchn_close *a)
{
	struct evtchn *e = port_of(v->dom, a->port);
	if (!e || e->state == ECS_FREE)
		return -XEN_EINVAL;
	close_port(v->dom, a->port, false);
	return 0;
}

static long send_op(struct vcpu *v, struct evtchn_send *a)
{
	struct domain *d = v->dom, *peer;
	struct evtchn *e = port_of(d, a->port), *r;
	switch (e ? e->state : ECS_FREE) {
	case ECS_INTERDOMAIN:
		r = far_end(d, a->port, e, &peer);
		if (r)
			evtchn_raise(peer, e->remote);
		return 0;
	case ECS_IPI:
		evtchn_raise(d, a->port);
		return 0;
	case ECS_UNBOUND:
		return 0; /* nobody listens yet: dropped, as Xen does */
	case ECS_CONSOLE:
		xen_console_kick(d);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

static long status_op(struct vcpu *v, struct evtchn_status *a)
{
	static const uint32_t stat[] = {
		[ECS_FREE] = EVTCHNSTAT_closed, [ECS_UNBOUND] = EVTCHNSTAT_unbound,
		[ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain, [ECS_VIRQ] = EVTCHNSTAT_virq,
		[ECS_IPI] = EVTCHNSTAT_ipi, [ECS_CONSOLE] = EVTCHNSTAT_interdomain,
	};
	struct domain *d = v->dom;
	if (!is_self(d, a->dom))
		return -XEN_EPERM;
	if (a->port >= EVTCHN_MAX_PORTS)
		return -XEN_EINVAL;
	const struct evtchn *e = &d->xen.ports[a->port]; /* port 0: always closed */
	a->status = stat[e->state];
	a->vcpu = e->vcpu;
	a->u.interdomain.dom = 0;
	a->u.interdomain.port = 0;
	if (e->state == ECS_UNBOUND)
		a->u.unbound.dom = e->remote_dom;
	else if (e->state == ECS_INTERDOMAIN) {
		a->u.interdomain.dom = e->remote_dom;
		a->u.interdomain.port = e->remote;
	} else if (e->state == ECS_VIRQ)
		a->u.virq = e->remote;
	/* ECS_CONSOLE: connected to domain 0, which is arx itself here. */
	return 0;
}

static long unmask_op(struct vcpu *v, struct evtchn_unmask *a)
{
	if (!port_of(v->dom, a->port))
		return -XEN_EINVAL;
	evtchn_unmask_port(v->dom, a->port);
	return 0;
}

static long bind_vcpu(struct vcpu *v, struct evtchn_bind_vcpu *a)
{
	struct domain *d = v->dom;
	struct evtchn *e = port_of(d, a->port);
	if (!e || e->state == ECS_FREE)
		return -XEN_EINVAL;
	if (a->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (e->state == ECS_IPI || (e->state == ECS_VIRQ && !virq_is_global(e->remote)))
		return -XEN_EINVAL; /* these belong to one vCPU by nature */
	e->vcpu = (uint8_t)a->vcpu;
	return 0;
}

typedef long (*evtchn_fn)(struct vcpu *v, void *arg);

static const struct {
	evtchn_fn fn;
	uint8_t size; /* of the argument struct */
	bool out; /* it is copied back */
} ops[] = {
#define OP(nr, fn, type, out) [nr] = { (evtchn_fn)fn, sizeof(struct type), out }
	OP(EVTCHNOP_alloc_unbound, alloc_unbound, evtchn_alloc_unbound, true),
	OP(EVTCHNOP_bind_interdomain, bind_interdomain, evtchn_bind_interdomain, true),
	OP(EVTCHNOP_bind_virq, bind_virq, evtchn_bind_virq, true),
	OP(EVTCHNOP_bind_ipi, bind_ipi, evtchn_bind_ipi, true),
	OP(EVTCHNOP_close, close_op, evtchn_close, false),
	OP(EVTCHNOP_send, send_op, evtchn_send, false),
	OP(EVTCHNOP_status, status_op, evtchn_status, true),
	OP(EVTCHNOP_unmask, unmask_op, evtchn_unmask, false),
	OP(EVTCHNOP_bind_vcpu, bind_vcpu, evtchn_bind_vcpu, false),
#undef OP
};

long evtchn_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	uint64_t buf[4]; /* the largest argument, evtchn_status, is 24 bytes */
	if (cmd >= ARRAY_SIZE(ops) || !ops[cmd].fn)
		return -XEN_ENOSYS; /* FIFO ABI, reset, pirqs */
	if (!copy_from_guest(v, buf, arg, ops[cmd].size))
		return -XEN_EFAULT;
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	long r = ops[cmd].fn(v, buf);
	spin_unlock_irqrestore(&xen_lock, flags);
	if (r == 0 && ops[cmd].out && !copy_to_guest(v, arg, buf, ops[cmd].size))
		return -XEN_EFAULT;
	return r;
}

bool evtchn_raise_if_bound(struct domain *d, uint32_t port)
{
	struct evtchn *e = d->xen.ports ? port_of(d, port) : NULL;
	if (!e || e->state != ECS_INTERDOMAIN)
		return false;
	evtchn_raise(d, port);
	return true;
}

void xen_notify_port(struct domain *d, uint32_t port)
{
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	struct evtchn *e = d->xen.ports ? port_of(d, port) : NULL, *r;
	struct domain *peer;
	if (e && e->state == ECS_INTERDOMAIN && (r = far_end(d, port, e, &peer)))
		evtchn_raise(peer, e->remote);
	spin_unlock_irqrestore(&xen_lock, flags);
}

void evtchn_raise_virq(struct domain *d, uint32_t virq)
{
	for (uint32_t p = 1; d->xen.ports && p < EVTCHN_MAX_PORTS; p++) {
		const struct evtchn *e = &d->xen.ports[p];
		if (e->state == ECS_VIRQ && e->remote == virq) {
			evtchn_raise(d, p);
			return;
		}
	}
}

void xen_notify_dom_exc(void)
{
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	struct domain *d0 = control_domain();
	if (d0)
		evtchn_raise_virq(d0, VIRQ_DOM_EXC);
	spin_unlock_irqrestore(&xen_lock, flags);
}

/*
 * A new policy is in force: channels it no longer allows are cut. Each end
 * goes back to unbound (waiting for the other, which the policy now
 * refuses) and is raised once so its owner looks: its sends are dropped,
 * and closing it works as ever (Linux treats a failed close as a bug).
 * Table lock and xen_lock held.
 */
void evtchn_revoke_forbidden(void)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = domains[i];
		for (uint32_t p = 1; d && d->xen.ports && p < EVTCHN_MAX_PORTS; p++) {
			struct evtchn *e = &d->xen.ports[p];
			struct domain *peer;
			struct evtchn *r = e->state == ECS_INTERDOMAIN ? far_end(d, p, e, &peer) : NULL;
			if (!r || peer == d || mac_may_signal_quietly(d, peer))
				continue;
			uint32_t rp = e->remote;
			e->state = r->state = ECS_UNBOUND;
			e->remote = r->remote = 0;
			evtchn_raise(d, p);
			evtchn_raise(peer, rp);
			printk("arx: policy: channel between domain %u port %u and domain %u port %u "
			       "closed\n", d->id, p, peer->id, rp);
		}
	}
}

void evtchn_domain_destroy(struct domain *d)
{
	for (uint32_t p = 1; p < EVTCHN_MAX_PORTS; p++)
		if (d->xen.ports[p].state != ECS_FREE)
			close_port(d, p, true); /* the peer hears of it, and finds the channel gone */
}
