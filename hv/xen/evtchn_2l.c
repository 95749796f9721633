/*
 * Two-level event delivery: port p is bit p % 64 of word p / 64 of the
 * shared_info's pending and mask arrays; a vCPU's vcpu_info says which
 * words have work (evtchn_pending_sel) and that an upcall is due, and the
 * upcall itself is PPI 31 (GUEST_EVTCHN_PPI). The pages are the guest's
 * own RAM, which it may scribble on at any time: arx only ever sets and
 * clears bits there with atomic operations, so nothing it reads back can
 * mislead it.
 */
#include <arx/domain.h>
#include <arx/vpl011.h>
#include <arx/vgic.h>
#include <arx/xen.h>
#include <public/arch-arm.h>
#include <public/xen.h>

#define WORD_BITS 64

static struct shared_info *shared_info_of(struct domain *d)
{
	return (struct shared_info *)d->xen.shared_info; /* NULL until the guest placed it */
}

/* vCPU 0 starts with the slot in shared_info; each vCPU may register its own. */
static struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
	struct shared_info *s = shared_info_of(v->dom);
	if (v->xen.vcpu_info)
		return (struct vcpu_info *)v->xen.vcpu_info;
	return v->id == 0 && s ? &s->vcpu_info[0] : NULL;
}

/* Word w has a pending, unmasked port for v: flag it, and interrupt v if it is news. */
static void upcall(struct vcpu *v, unsigned int w)
{
	struct vcpu_info *vi = vcpu_info_of(v);
	if (!vi)
		return;
	if (__atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << w, __ATOMIC_SEQ_CST) & (1UL << w))
		return;
	if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) == 0)
		vgic_inject(v, GUEST_EVTCHN_PPI);
}

static struct vcpu *bound_vcpu(struct domain *d, uint32_t port)
{
	unsigned int n = d->xen.ports[port].vcpu;
	return n < d->nr_vcpus ? d->vcpus[n] : NULL;
}

void evtchn_raise(struct domain *d, uint32_t port)
{
	struct shared_info *s = shared_info_of(d);
	if (!port || port >= EVTCHN_MAX_PORTS || !d->xen.ports)
		return;
	if (d->xen.ports[port].arx_end) {
		vpl011_ring_event(d); /* arx serves this end: its vPL011's ring moved */
		return;
	}
	if (!s)
		return;
	uint64_t bit = 1UL << (port % WORD_BITS);
	unsigned int w = port / WORD_BITS;
	if (__atomic_fetch_or(&s->evtchn_pending[w], bit, __ATOMIC_SEQ_CST) & bit)
		return; /* already pending: the guest has not handled the last one */
	if (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit)
		return; /* masked: unmask delivers it */
	struct vcpu *v = bound_vcpu(d, port);
	if (v)
		upcall(v, w);
}

void evtchn_unmask_port(struct domain *d, uint32_t port)
{
	struct shared_info *s = shared_info_of(d);
	if (!s || !port || port >= EVTCHN_MAX_PORTS || !d->xen.ports)
		return;
	uint64_t bit = 1UL << (port % WORD_BITS);
	unsigned int w = port / WORD_BITS;
	__atomic_fetch_and(&s->evtchn_mask[w], ~bit, __ATOMIC_SEQ_CST);
	struct vcpu *v = bound_vcpu(d, port);
	if (v && (__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit))
		upcall(v, w);
}

bool evtchn_is_pending(struct domain *d, uint32_t port)
{
	struct shared_info *s = shared_info_of(d);
	return s && port < EVTCHN_MAX_PORTS &&
	       (__atomic_load_n(&s->evtchn_pending[port / WORD_BITS], __ATOMIC_SEQ_CST) &
		(1UL << (port % WORD_BITS)));
}

void evtchn_vcpu_info_moved(struct vcpu *v, paddr_t new_info)
{
	struct vcpu_info *old = vcpu_info_of(v);
	struct vcpu_info *vi = (struct vcpu_info *)new_info;
	if (old)
		*vi = *old;
	v->xen.vcpu_info = new_info;
	/* As Xen: every word may have work, so the guest looks at all of them once. */
	__atomic_store_n(&vi->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	vgic_inject(v, GUEST_EVTCHN_PPI);
}
