/*
 * A domain's Xen ABI state: set up when it is built, torn down before its
 * memory is freed, and the copies to and from its memory that hypercalls
 * make. Guests pass virtual addresses; each page is translated through the
 * guest's stage-1 and then checked to be the domain's own RAM, so a guest
 * can never make arx read or write anything else, including pages other
 * domains granted it.
 */
#include <arx/domain.h>
#include <arx/guest_va.h>
#include <arx/heap.h>
#include <arx/string.h>
#include <arx/xen.h>
#include <public/xen.h>

spinlock_t xen_lock = SPINLOCK_INIT;

bool xen_own_frame(struct domain *d, uint64_t gfn, bool write, paddr_t *pa)
{
	if (gfn >= (1UL << (64 - XEN_PAGE_SHIFT)))
		return false;
	return domain_own_page(d, gfn << XEN_PAGE_SHIFT, write, pa);
}

/* The PA of guest va, and how many bytes of its page follow. */
static bool va_span(struct vcpu *v, uint64_t va, bool write, paddr_t *pa, size_t *avail)
{
	paddr_t ipa, page;
	if (!guest_va_to_ipa(va, write, &ipa) || !xen_own_frame(v->dom, ipa >> 12, write, &page))
		return false;
	*pa = page + (ipa & 0xfff);
	*avail = XEN_PAGE_SIZE - (ipa & 0xfff);
	return true;
}

/* Copies len bytes between buf and guest va, a page at a time, in either direction. */
static bool copy_guest(struct vcpu *v, uint64_t va, void *buf, size_t len, bool to_guest)
{
	uint8_t *b = buf;
	while (len) {
		paddr_t pa;
		size_t n;
		if (!va_span(v, va, to_guest, &pa, &n))
			return false;
		n = MIN(n, len);
		if (to_guest)
			memcpy((void *)pa, b, n);
		else
			memcpy(b, (const void *)pa, n);
		b += n;
		va += n;
		len -= n;
	}
	return true;
}

bool copy_from_guest(struct vcpu *v, void *dst, uint64_t va, size_t len)
{
	return copy_guest(v, va, dst, len, false);
}

bool copy_to_guest(struct vcpu *v, uint64_t va, const void *src, size_t len)
{
	return copy_guest(v, va, (void *)src, len, true); /* src is only read */
}

int xen_domain_init(struct domain *d)
{
	if (!d->xen.enabled)
		return 0;
	if (gnttab_global_init())
		return -1;
	d->xen.ports = heap_alloc(EVTCHN_MAX_PORTS * sizeof(struct evtchn));
	if (!d->xen.ports)
		return -1;
	/*
	 * arx serves the PV console of the domains it builds, but for a Linux
	 * domain whose console is its PL011 (it would print everything twice:
	 * linux_console.c). The control domain writes to arx's console with
	 * console_io; the consoles of the domains its toolstack builds are
	 * xenconsoled's.
	 */
	if (d->control || d->built_by_toolstack)
		return d->control ? xen_console_control_init(d) : 0;
	return d->xen.no_pv_console ? 0 : xen_console_init(d);
}

/*
 * A domain arx builds has no xenstore, unless its config gives it disks or
 * vifs: those come from the control domain's backends, through a store that
 * dom0's toolstack sets up once it runs (Debian's init-dom0less, as for
 * Xen's dom0less domains). Until then STORE_PFN reads all ones, which tells
 * Linux to wait for an event on the store port, bound for domain 0.
 */
int xen_store_await(struct domain *d)
{
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	uint32_t port = evtchn_alloc_unbound_for(d, 0);
	if (port) {
		d->xen.params[HVM_PARAM_STORE_EVTCHN] = port;
		d->xen.params[HVM_PARAM_STORE_PFN] = XEN_STORE_AWAITED;
	}
	spin_unlock_irqrestore(&xen_lock, flags);
	return port ? 0 : -1;
}

void xen_domain_quiesce(struct domain *d)
{
	if (!d->xen.ports)
		return;
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	evtchn_domain_destroy(d);
	gnttab_domain_release_maps(d);
	spin_unlock_irqrestore(&xen_lock, flags);
}

void xen_domain_destroy(struct domain *d)
{
	if (!d->xen.ports)
		return;
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	evtchn_domain_destroy(d);
	gnttab_domain_destroy(d);
	xen_console_destroy(d);
	heap_free(d->xen.ports);
	d->xen.ports = NULL;
	spin_unlock_irqrestore(&xen_lock, flags);
}
