/*
 * XENMEM_*: where the shared_info and grant-table frames appear, and
 * ballooning. A domain's RAM is fixed by its config; giving a page back
 * (decrease_reservation) only unmaps it from the domain's stage-2, and
 * populate_physmap maps the same page back, zeroed. So a guest can make
 * holes in its RAM (Linux's gntdev maps grants into them) but can never get
 * more memory than its config gave it, nor touch anything else.
 */
#include <arx/domain.h>
#include <arx/string.h>
#include <arx/xen.h>
#include <public/memory.h>
#include <public/xen.h>

static bool is_self(const struct domain *d, domid_t dom)
{
	return dom == DOMID_SELF || dom == d->id;
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->dom;
	struct xen_add_to_physmap a;
	paddr_t pa;
	long r = 0;
	if (!copy_from_guest(v, &a, arg, sizeof(a)))
		return -XEN_EFAULT;
	if (!is_self(d, a.domid))
		return -XEN_EPERM;
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	switch (a.space) {
	case XENMAPSPACE_shared_info:
		/* Linux hands a zeroed page of its RAM: arx uses that page in place. */
		if (a.idx != 0 || !xen_own_frame(d, a.gpfn, true, &pa))
			r = -XEN_EINVAL;
		else
			d->xen.shared_info = pa;
		break;
	case XENMAPSPACE_grant_table:
		r = gnttab_map_frame(d, a.idx, a.gpfn);
		break;
	default:
		r = -XEN_EOPNOTSUPP; /* foreign and device mappings are the control domain's */
	}
	spin_unlock_irqrestore(&xen_lock, flags);
	return r;
}

/* The page behind gfn if it lies in d's RAM, mapped or not. */
static bool ram_page(struct domain *d, xen_pfn_t gfn, paddr_t *ipa)
{
	*ipa = gfn << XEN_PAGE_SHIFT;
	return gfn < (1UL << 36) && *ipa >= GUEST_RAM_BASE && *ipa - GUEST_RAM_BASE < d->ram_size;
}

/* Gives back one of its pages: a hole at gfn. */
static bool release_page(struct domain *d, xen_pfn_t gfn)
{
	paddr_t ipa, pa;
	return ram_page(d, gfn, &ipa) && domain_own_page(d, ipa, false, &pa) &&
	       stage2_unmap_page(&d->s2, ipa) == 0;
}

/* Fills the hole at gfn with its own page again, zeroed. */
static bool populate_page(struct domain *d, xen_pfn_t gfn)
{
	paddr_t ipa, pa;
	if (!ram_page(d, gfn, &ipa) || stage2_translate(&d->s2, ipa, false, &pa))
		return false; /* outside its RAM, or something is mapped there */
	if (!domain_ram_page(d, ipa, &pa))
		return false;
	memset((void *)pa, 0, XEN_PAGE_SIZE);
	return stage2_map_page(&d->s2, ipa, pa, S2_RAM) == 0;
}

/* Returns how many extents were done, as Xen: the guest compares with what it asked. */
static long reservation(struct vcpu *v, uint64_t arg, bool populate)
{
	struct domain *d = v->dom;
	struct xen_memory_reservation r;
	if (!copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (!is_self(d, r.domid)) /* the toolstack fills a domain it builds */
		return populate && d->control ? foreign_populate(v, &r) : -XEN_EPERM;
	if (r.extent_order != 0 || r.nr_extents > XEN_MAX_EXTENTS)
		return -XEN_EINVAL; /* 4 KiB pages, and a bounded batch (Linux asks at most 512) */
	uint64_t done = 0;
	for (; done < r.nr_extents; done++) {
		xen_pfn_t gfn;
		if (!copy_from_guest(v, &gfn, r.extent_start + done * sizeof(gfn), sizeof(gfn)))
			break;
		uint64_t flags = spin_lock_irqsave(&xen_lock);
		bool ok = populate ? populate_page(d, gfn) : release_page(d, gfn);
		spin_unlock_irqrestore(&xen_lock, flags);
		if (!ok)
			break;
	}
	return (long)done;
}

long memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, arg);
	case XENMEM_decrease_reservation:
		return reservation(v, arg, false);
	case XENMEM_increase_reservation: /* auto-translated: the same as populating */
	case XENMEM_populate_physmap:
		return reservation(v, arg, true);
	case XENMEM_add_to_physmap_batch:
		return foreign_add_to_physmap_batch(v, arg);
	case XENMEM_remove_from_physmap:
		return foreign_remove(v, arg);
	case XENMEM_acquire_resource:
		return foreign_acquire_resource(v, arg);
	default:
		return -XEN_ENOSYS;
	}
}
