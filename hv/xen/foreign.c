/*
 * Foreign memory: the control domain's toolstack fills a new domain's
 * memory (populate_physmap on its behalf), maps its pages to load the
 * kernel and to serve its xenstore ring (add_to_physmap_batch with
 * XENMAPSPACE_gmfn_foreign, as Linux's privcmd does it), maps its grant
 * table to seed it (acquire_resource), and unmaps them again
 * (remove_from_physmap).
 *
 * A foreign page goes only into a hole in the control domain's RAM (a page
 * Linux's balloon gave back for the purpose), as a stage-2 entry marked
 * foreign; the page must be the other domain's own. Each mapping holds a
 * reference on that domain, so a domain that ends keeps the pages still
 * mapped until they are unmapped (domain.c), and only then is it gone and
 * its id free.
 *
 * Lock order: the domain table, then xen_lock, then a stage-2's.
 */
#include <arx/domain.h>
#include <arx/frame_owner.h>
#include <arx/mac.h>
#include <arx/page_alloc.h>
#include <arx/string.h>
#include <arx/xen.h>
#include <public/memory.h>
#include <public/xen.h>

#define BATCH_MAX 1024 /* frames per add_to_physmap_batch (Linux sends 1) */
#define GFN_LIMIT (1UL << 36)
#define RAM0_CHUNKS (GUEST_RAM0_SIZE / DOMAIN_RAM_CHUNK)

static bool is_self(const struct domain *d, domid_t dom)
{
	return dom == DOMID_SELF || dom == d->id;
}

/* The domain the control domain names, not itself; table lock held. */
static struct domain *other(struct domain *self, domid_t id)
{
	struct domain *t = id < DOMID_FIRST_RESERVED ? domain_by_id(id) : NULL;
	return t != self ? t : NULL;
}

/* Puts page pa of t at gfn in the control domain d, holding a reference on t. */
static int map_into(struct domain *d, struct domain *t, paddr_t pa, xen_pfn_t gfn)
{
	if (gfn >= GFN_LIMIT || !domain_ram_hole(d, gfn << XEN_PAGE_SHIFT))
		return -XEN_EINVAL; /* only into a page it gave back, with nothing there */
	if (stage2_map_page(&d->s2, gfn << XEN_PAGE_SHIFT, pa, S2_FOREIGN))
		return -XEN_ENOMEM;
	if (!domain_foreign_get(t)) { /* it began to die meanwhile: take the page away again */
		stage2_unmap_page(&d->s2, gfn << XEN_PAGE_SHIFT);
		return -XEN_ESRCH;
	}
	return 0;
}

/* Mapping t's console page is reading its console; any other page, its memory. */
static enum policy_op map_op(const struct domain *t, xen_ulong_t idx)
{
	return t->xen.params[HVM_PARAM_CONSOLE_PFN] == idx ? POL_CONSOLE : POL_MEMORY;
}

static int map_gmfn(struct domain *d, domid_t fid, xen_ulong_t idx, xen_pfn_t gfn)
{
	paddr_t pa;
	int err;
	domains_table_lock();
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	struct domain *t = other(d, fid);
	if (!t)
		err = -XEN_ESRCH;
	else if (!mac_may_control(d, t, map_op(t, idx)))
		err = -XEN_EACCES;
	else if (idx >= GFN_LIMIT || !domain_own_page(t, idx << XEN_PAGE_SHIFT, false, &pa))
		err = -XEN_EINVAL; /* not a page of its own */
	else
		err = map_into(d, t, pa, gfn);
	spin_unlock_irqrestore(&xen_lock, flags);
	domains_table_unlock();
	return err;
}

long foreign_add_to_physmap_batch(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->dom;
	struct xen_add_to_physmap_batch b;
	if (!copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (!is_self(d, b.domid))
		return -XEN_EINVAL;
	if (b.space != XENMAPSPACE_gmfn_foreign)
		return -XEN_EOPNOTSUPP;
	if (!d->control)
		return -XEN_EPERM; /* only the control domain maps others' memory */
	if (b.size > BATCH_MAX)
		return -XEN_EINVAL;
	for (uint16_t i = 0; i < b.size; i++) {
		xen_ulong_t idx;
		xen_pfn_t gfn;
		if (!copy_from_guest(v, &idx, b.idxs + i * sizeof(idx), sizeof(idx)) ||
		    !copy_from_guest(v, &gfn, b.gpfns + i * sizeof(gfn), sizeof(gfn)))
			return -XEN_EFAULT;
		int err = map_gmfn(d, b.foreign_domid, idx, gfn);
		if (!copy_to_guest(v, b.errs + i * sizeof(err), &err, sizeof(err)))
			return -XEN_EFAULT;
	}
	return 0;
}

long foreign_remove(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->dom, *owner = NULL;
	struct xen_remove_from_physmap r;
	paddr_t pa;
	if (!copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (!is_self(d, r.domid))
		return d->control ? -XEN_EOPNOTSUPP : -XEN_EPERM;
	if (r.gpfn >= GFN_LIMIT)
		return -XEN_EINVAL;
	domains_table_lock();
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	if (stage2_foreign_page(&d->s2, r.gpfn << XEN_PAGE_SHIFT, &pa)) {
		owner = domain_by_id(frame_owner(pa)); /* it holds its id while mapped */
		/* Its TLB entries may linger until dom0's next mapping, or the owner's end. */
		stage2_unmap_page_deferred(&d->s2, r.gpfn << XEN_PAGE_SHIFT);
	}
	spin_unlock_irqrestore(&xen_lock, flags);
	domains_table_unlock();
	if (!owner)
		return -XEN_EINVAL; /* no foreign page there */
	domain_foreign_put(owner); /* outside the locks: it may be the last, and free it */
	return 0;
}

/* One extent the builder populates: a 2 MiB chunk of RAM, or a ring page. */
static bool populate_extent(struct domain *t, xen_pfn_t gfn, uint32_t order)
{
	paddr_t ipa = gfn << XEN_PAGE_SHIFT;
	uint64_t pages = 1UL << order;
	if (gfn >= GFN_LIMIT || !t->max_pages || domain_tot_pages(t) + pages > t->max_pages)
		return false;
	if (order == 9) {
		uint64_t i = (ipa - GUEST_RAM_BASE) / DOMAIN_RAM_CHUNK;
		if (ipa < GUEST_RAM_BASE || i >= t->nr_chunks || !IS_ALIGNED(ipa, DOMAIN_RAM_CHUNK) ||
		    t->ram_chunks[i] || t->state != DOMAIN_PAUSED)
			return false; /* block mappings are made only before it runs */
		paddr_t pa = palloc_alloc(pages, DOMAIN_RAM_CHUNK);
		if (!pa)
			return false;
		memset((void *)pa, 0, DOMAIN_RAM_CHUNK);
		if (stage2_map(&t->s2, ipa, pa, DOMAIN_RAM_CHUNK, S2_RAM)) {
			palloc_free(pa, pages);
			return false;
		}
		frame_owner_set(pa, pages, (uint16_t)t->id);
		t->ram_chunks[i] = pa;
		t->ram_size = MAX(t->ram_size, ipa + DOMAIN_RAM_CHUNK - GUEST_RAM_BASE);
		return true;
	}
	uint64_t m = (ipa - GUEST_MAGIC_BASE) / PAGE_SIZE;
	if (order != 0 || ipa < GUEST_MAGIC_BASE || m >= GUEST_MAGIC_PAGES || t->magic[m])
		return false; /* arx gives RAM in 2 MiB chunks; libxc then tries no smaller */
	if (!t->built_by_toolstack && (m != GUEST_MAGIC_XENSTORE || !xen_store_awaited(t)))
		return false; /* a domain arx built gets its store page, and nothing else */
	paddr_t pa = palloc_alloc(1, PAGE_SIZE);
	if (!pa)
		return false;
	memset((void *)pa, 0, PAGE_SIZE);
	if (stage2_map_page(&t->s2, ipa, pa, S2_RAM)) {
		palloc_free(pa, 1);
		return false;
	}
	frame_owner_set(pa, 1, (uint16_t)t->id);
	t->magic[m] = pa;
	return true;
}

/*
 * Returns how many extents were populated, as Xen does; libxc tries the
 * next smaller order when an order gives 0 (1 GiB is never given).
 */
long foreign_populate(struct vcpu *v, const struct xen_memory_reservation *r)
{
	struct domain *d = v->dom;
	if (!d->control)
		return -XEN_EPERM;
	uint64_t n = MIN(r->nr_extents, (uint64_t)XEN_MAX_EXTENTS), done = 0;
	for (; done < n; done++) {
		xen_pfn_t gfn;
		if (!copy_from_guest(v, &gfn, r->extent_start + done * sizeof(gfn), sizeof(gfn)))
			return done ? (long)done : -XEN_EFAULT;
		domains_table_lock();
		uint64_t flags = spin_lock_irqsave(&xen_lock);
		struct domain *t = other(d, r->domid);
		if (t && !mac_may_control(d, t, POL_CREATE))
			t = NULL;
		bool ok = t && (t->built_by_toolstack || xen_store_awaited(t)) &&
			  populate_extent(t, gfn, r->extent_order);
		spin_unlock_irqrestore(&xen_lock, flags);
		domains_table_unlock();
		if (!t)
			return done ? (long)done : -XEN_ESRCH;
		if (!ok)
			break;
	}
	return (long)done;
}

long foreign_acquire_resource(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->dom;
	struct xen_mem_acquire_resource a;
	if (!copy_from_guest(v, &a, arg, sizeof(a)))
		return -XEN_EFAULT;
	if (!d->control)
		return -XEN_EPERM;
	if (a.type != XENMEM_resource_grant_table || a.id != XENMEM_resource_grant_table_id_shared)
		return -XEN_EOPNOTSUPP;
	if (a.pad)
		return -XEN_EINVAL;
	if (!a.frame_list && !a.nr_frames) { /* a size query */
		a.nr_frames = GNTTAB_MAX_FRAMES;
		return copy_to_guest(v, arg, &a, sizeof(a)) ? 0 : -XEN_EFAULT;
	}
	if (a.frame >= GNTTAB_MAX_FRAMES || a.nr_frames > GNTTAB_MAX_FRAMES - a.frame)
		return -XEN_EINVAL;
	for (uint32_t i = 0; i < a.nr_frames; i++) {
		xen_pfn_t gfn;
		paddr_t pa;
		if (!copy_from_guest(v, &gfn, a.frame_list + i * sizeof(gfn), sizeof(gfn)))
			return -XEN_EFAULT;
		domains_table_lock();
		uint64_t flags = spin_lock_irqsave(&xen_lock);
		struct domain *t = other(d, a.domid);
		int err = !t ? -XEN_ESRCH
			     : !mac_may_control(d, t, POL_CREATE) ? -XEN_EACCES
			     : gnttab_shared_frame(t, (unsigned int)a.frame + i, &pa)
				       ? -XEN_ENOMEM
				       : map_into(d, t, pa, gfn);
		spin_unlock_irqrestore(&xen_lock, flags);
		domains_table_unlock();
		if (err)
			return i ? -XEN_EIO : err; /* as Xen: some frames are mapped */
	}
	return 0;
}
