/*
 * Grant tables (v1): a domain lists in its table which of its pages another
 * domain may use; that domain then maps them (map_grant_ref) or copies to and
 * from them (copy). Guests are auto-translated, so a mapping is a stage-2
 * entry: the granter's page appears at host_addr in the mapper's IPA space,
 * which must be a hole in its RAM (a page it gave back with
 * decrease_reservation, as Linux's gntdev does).
 *
 * Everything is checked against the granter's entry at the time of use
 * (permit_access, the grantee's id, read-only), and the entry's frame must be
 * the granter's own RAM. While mapped, the entry carries GTF_reading /
 * GTF_writing so the granter knows not to reuse the page. When a granter
 * goes, what others still map of it is replaced by a zero page, read-only,
 * so its memory can be freed at once; the mapper learns nothing else and
 * its unmap still succeeds.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/frame_owner.h>
#include <arx/heap.h>
#include <arx/mac.h>
#include <arx/page_alloc.h>
#include <arx/string.h>
#include <arx/xen.h>
#include <public/grant_table.h>
#include <public/xen.h>

#define ENTRIES_PER_FRAME (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))

static paddr_t zero_page; /* stands in for revoked grants; never written */

int gnttab_global_init(void)
{
	if (!zero_page && (zero_page = palloc_alloc(1, PAGE_SIZE)))
		memset((void *)zero_page, 0, PAGE_SIZE);
	return zero_page ? 0 : -1;
}

static bool is_self(const struct domain *d, domid_t dom)
{
	return dom == DOMID_SELF || dom == d->id;
}

/* The domain whose grants are used, or NULL if it is not there (or going). */
static struct domain *granter_of(struct domain *d, domid_t id)
{
	struct domain *g = id == DOMID_SELF ? d : domain_by_id(id);
	return g && g->xen.ports && g->state != DOMAIN_DYING ? g : NULL;
}

/* Adds frames (zeroed) until the table has n. */
static int grow_table(struct domain *d, unsigned int n)
{
	while (d->xen.nr_grant_frames < n) {
		unsigned int i = d->xen.nr_grant_frames;
		paddr_t pa = palloc_alloc(1, PAGE_SIZE);
		struct grant_pins *pins = heap_alloc(ENTRIES_PER_FRAME * sizeof(*pins));
		if (!pa || !pins) {
			if (pa)
				palloc_free(pa, 1);
			heap_free(pins);
			return -1;
		}
		memset((void *)pa, 0, PAGE_SIZE);
		frame_owner_set(pa, 1, (uint16_t)d->id); /* the control domain may map it */
		d->xen.grant_frames[i] = pa;
		d->xen.pins[i] = pins;
		d->xen.nr_grant_frames = i + 1;
	}
	return 0;
}

int gnttab_shared_frame(struct domain *d, unsigned int idx, paddr_t *pa)
{
	if (idx >= GNTTAB_MAX_FRAMES || !d->xen.ports || grow_table(d, idx + 1))
		return -1;
	*pa = d->xen.grant_frames[idx];
	return 0;
}

int gnttab_map_frame(struct domain *d, uint64_t idx, uint64_t gfn)
{
	paddr_t ipa = gfn << XEN_PAGE_SHIFT;
	if (idx >= GNTTAB_MAX_FRAMES || gfn >= (1UL << 36) || ipa < GUEST_GNTTAB_BASE ||
	    ipa >= GUEST_GNTTAB_BASE + GUEST_GNTTAB_SIZE)
		return -XEN_EINVAL; /* frames go in the window the device tree names, nowhere else */
	if (grow_table(d, (unsigned int)idx + 1))
		return -XEN_ENOMEM;
	for (unsigned int j = 0; j < d->xen.nr_grant_frames; j++)
		if (d->xen.grant_frame_ipa[j] == ipa)
			d->xen.grant_frame_ipa[j] = 0; /* replaced by frame idx */
	paddr_t old = d->xen.grant_frame_ipa[idx];
	if (old && old != ipa)
		stage2_unmap_page(&d->s2, old);
	d->xen.grant_frame_ipa[idx] = 0;
	if (stage2_map_page(&d->s2, ipa, d->xen.grant_frames[idx], S2_RAM))
		return -XEN_ENOMEM;
	d->xen.grant_frame_ipa[idx] = ipa;
	return 0;
}

static struct grant_entry_v1 *entry_of(struct domain *g, grant_ref_t ref)
{
	if (ref >= g->xen.nr_grant_frames * ENTRIES_PER_FRAME)
		return NULL;
	return (struct grant_entry_v1 *)g->xen.grant_frames[ref / ENTRIES_PER_FRAME] +
	       ref % ENTRIES_PER_FRAME;
}

static struct grant_pins *pins_of(struct domain *g, grant_ref_t ref)
{
	return &g->xen.pins[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

/* Whether an entry (its first word: flags, then domid) lets grantee use its page. */
static bool entry_permits(uint32_t flags_and_domid, domid_t grantee, bool write)
{
	uint16_t flags = (uint16_t)flags_and_domid;
	return (flags & GTF_type_mask) == GTF_permit_access &&
	       (domid_t)(flags_and_domid >> 16) == grantee && !(write && (flags & GTF_readonly));
}

static void unpin(struct domain *g, grant_ref_t ref, bool write)
{
	struct grant_entry_v1 *e = entry_of(g, ref);
	struct grant_pins *p = e ? pins_of(g, ref) : NULL;
	if (!p || !p->readers)
		return;
	p->readers--;
	p->writers -= write && p->writers;
	uint16_t clear = (p->writers ? 0 : GTF_writing) | (p->readers ? 0 : GTF_reading);
	__atomic_fetch_and((uint16_t *)&e->flags, (uint16_t)~clear, __ATOMIC_RELEASE);
}

/*
 * Checks ref of g for grantee and marks it in use (GTF_reading/writing),
 * atomically against the granter changing it; gives the page's PA.
 */
static int16_t pin(struct domain *g, grant_ref_t ref, domid_t grantee, bool write, paddr_t *pa)
{
	struct grant_entry_v1 *e = entry_of(g, ref);
	if (!e)
		return GNTST_bad_gntref;
	uint32_t *word = (uint32_t *)e; /* flags, then domid: one 32-bit word */
	uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);
	do {
		if (!entry_permits(old, grantee, write))
			return GNTST_permission_denied;
	} while (!__atomic_compare_exchange_n(word, &old,
					      old | GTF_reading | (write ? GTF_writing : 0), false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	struct grant_pins *p = pins_of(g, ref);
	p->readers++;
	p->writers += write;
	if (xen_own_frame(g, __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE), write, pa))
		return GNTST_okay;
	unpin(g, ref, write);
	return GNTST_bad_page;
}

unsigned int gnttab_max_maps(const struct domain *d)
{
	return d->control ? GNTTAB_MAX_MAPS_CONTROL : GNTTAB_MAX_MAPS;
}

#define NO_MAP UINT32_MAX

/* Grows d's table of mappings to twice its size (at most its limit); false if it cannot. */
static bool grow_maps(struct domain *d)
{
	uint32_t cap = MIN(d->xen.maps_cap * 2, gnttab_max_maps(d));
	struct grant_map *bigger = cap > d->xen.maps_cap ? heap_alloc(cap * sizeof(*bigger)) : NULL;
	if (!bigger)
		return false;
	memcpy(bigger, d->xen.maps, d->xen.maps_used * sizeof(*bigger));
	heap_free(d->xen.maps);
	d->xen.maps = bigger;
	d->xen.maps_cap = cap;
	return true;
}

/*
 * A free mapping slot of d (its handle), or -1: the last one unmapped, else
 * the next never used. The table starts small and doubles as it fills, so a
 * guest that maps one page now and then keeps a small table, and slots
 * beyond maps_used are never read, so it needs no initialisation; a backend
 * with thousands mapped still finds a slot at once.
 */
static int new_map(struct domain *d)
{
	if (!d->xen.maps) {
		d->xen.maps_cap = MIN((uint32_t)GNTTAB_MAPS_FIRST, gnttab_max_maps(d));
		if (!(d->xen.maps = heap_alloc(d->xen.maps_cap * sizeof(struct grant_map))))
			return -1;
		d->xen.free_map = NO_MAP;
		d->xen.maps_used = 0;
	}
	if (d->xen.free_map != NO_MAP)
		return (int)d->xen.free_map;
	if (d->xen.maps_used == d->xen.maps_cap && !grow_maps(d))
		return -1;
	return (int)d->xen.maps_used;
}

/* Slot h, from new_map, is taken. */
static void take_map(struct domain *d, unsigned int h)
{
	if (h == d->xen.free_map)
		d->xen.free_map = d->xen.maps[h].ref;
	else
		d->xen.maps_used++;
	d->xen.nr_maps++;
}

/*
 * The table stays when its last mapping goes (until the domain ends): a guest
 * that maps and unmaps one page at a time would otherwise pay for a new table
 * each time, several times the cost of the mapping itself.
 */
static void release_map(struct domain *d, struct grant_map *m)
{
	m->in_use = false;
	m->ref = d->xen.free_map;
	d->xen.free_map = (uint32_t)(m - d->xen.maps);
	d->xen.nr_maps--;
}

static void map_one(struct domain *d, struct gnttab_map_grant_ref *op)
{
	bool write = !(op->flags & GNTMAP_readonly);
	struct domain *g;
	paddr_t pa;
	int h;
	op->handle = ~0u;
	op->dev_bus_addr = 0;
	if (!(op->flags & GNTMAP_host_map) || (op->flags & GNTMAP_contains_pte))
		op->status = GNTST_general_error; /* auto-translated: only host mappings by IPA */
	else if (!domain_ram_hole(d, op->host_addr))
		op->status = GNTST_bad_virt_addr;
	else if (!(g = granter_of(d, op->dom)))
		op->status = GNTST_bad_domain;
	else if (!mac_may_share(d, g, POL_MAP))
		op->status = GNTST_permission_denied;
	else if ((h = new_map(d)) < 0)
		op->status = GNTST_no_space;
	else if ((op->status = pin(g, op->ref, (domid_t)d->id, write, &pa)) == GNTST_okay) {
		if (stage2_map_page(&d->s2, op->host_addr, pa, write ? S2_RAM : S2_RAM_RO)) {
			unpin(g, op->ref, write);
			op->status = GNTST_general_error;
		} else {
			take_map(d, (unsigned int)h);
			d->xen.maps[h] = (struct grant_map){ .in_use = true, .readonly = !write,
							     .granter = (uint16_t)g->id,
							     .ref = op->ref,
							     .host_ipa = op->host_addr };
			op->handle = (grant_handle_t)h;
			op->dev_bus_addr = op->host_addr; /* no host address leaks to the guest */
		}
	}
	if (d->xen.maps && !d->xen.maps_used) { /* made for a first map that failed */
		heap_free(d->xen.maps);
		d->xen.maps = NULL;
	}
}

static void unmap_one(struct domain *d, struct gnttab_unmap_grant_ref *op)
{
	struct grant_map *m = d->xen.maps && op->handle < d->xen.maps_used
				      ? &d->xen.maps[op->handle] : NULL;
	if (!m || !m->in_use) {
		op->status = GNTST_bad_handle;
		return;
	}
	if (op->host_addr != m->host_ipa) {
		op->status = GNTST_bad_virt_addr;
		return;
	}
	stage2_unmap_page(&d->s2, m->host_ipa);
	if (!m->orphaned)
		unpin(domain_by_id(m->granter), m->ref, !m->readonly);
	release_map(d, m);
	op->status = GNTST_okay;
}

/* One side of a copy: the PA of its bytes, checked for this domain. */
static int16_t copy_side(struct domain *d, const struct gnttab_copy_ptr *p, bool gref, bool write,
			 uint16_t len, paddr_t *pa)
{
	if ((uint32_t)p->offset + len > XEN_PAGE_SIZE)
		return GNTST_bad_copy_arg;
	if (!gref) {
		if (!is_self(d, p->domid))
			return GNTST_permission_denied; /* only grants reach other domains' memory */
		if (!xen_own_frame(d, p->u.gmfn, write, pa))
			return GNTST_bad_page;
	} else {
		struct domain *g = granter_of(d, p->domid);
		struct grant_entry_v1 *e = g ? entry_of(g, p->u.ref) : NULL;
		if (!g)
			return GNTST_bad_domain;
		if (!mac_may_share(d, g, POL_COPY))
			return GNTST_permission_denied;
		if (!e)
			return GNTST_bad_gntref;
		if (!entry_permits(__atomic_load_n((uint32_t *)e, __ATOMIC_ACQUIRE), (domid_t)d->id,
				   write))
			return GNTST_permission_denied;
		if (!xen_own_frame(g, __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE), write, pa))
			return GNTST_bad_page;
	}
	*pa += p->offset;
	return GNTST_okay;
}

static void copy_one(struct domain *d, struct gnttab_copy *op)
{
	paddr_t src, dst;
	op->status = copy_side(d, &op->source, op->flags & GNTCOPY_source_gref, false, op->len, &src);
	if (op->status == GNTST_okay)
		op->status = copy_side(d, &op->dest, op->flags & GNTCOPY_dest_gref, true, op->len,
				       &dst);
	if (op->status == GNTST_okay)
		memmove((void *)dst, (const void *)src, op->len);
}

static void query_size(struct domain *d, struct gnttab_query_size *q)
{
	q->nr_frames = d->xen.nr_grant_frames;
	q->max_nr_frames = GNTTAB_MAX_FRAMES;
	q->status = is_self(d, q->dom) ? GNTST_okay : GNTST_permission_denied;
}

/* Grows the table and says where its frames are (the window, unless moved). */
static long setup_table(struct vcpu *v, struct gnttab_setup_table *t)
{
	struct domain *d = v->dom;
	t->status = GNTST_okay;
	if (!is_self(d, t->dom))
		t->status = GNTST_permission_denied;
	else if (t->nr_frames > GNTTAB_MAX_FRAMES)
		t->status = GNTST_general_error;
	for (uint32_t i = 0; t->status == GNTST_okay && i < t->nr_frames; i++) {
		uint64_t flags = spin_lock_irqsave(&xen_lock);
		if (!d->xen.grant_frame_ipa[i] || i >= d->xen.nr_grant_frames)
			t->status = gnttab_map_frame(d, i, (GUEST_GNTTAB_BASE >> XEN_PAGE_SHIFT) + i)
					    ? GNTST_general_error : GNTST_okay;
		xen_pfn_t gfn = d->xen.grant_frame_ipa[i] >> XEN_PAGE_SHIFT;
		spin_unlock_irqrestore(&xen_lock, flags);
		if (t->status == GNTST_okay && !copy_to_guest(v, t->frame_list + i * sizeof(gfn),
							      &gfn, sizeof(gfn)))
			return -XEN_EFAULT;
	}
	return 0;
}

typedef void (*batch_fn)(struct domain *d, void *op);

/*
 * Runs count operations of `size` bytes each from guest array arg. They are
 * read and written back BATCH_CHUNK at a time, so a backend's batch of
 * hundreds costs a few walks of the guest's tables rather than two per
 * entry. As with one at a time, every entry before one that cannot be read
 * is run and reported.
 */
#define BATCH_CHUNK 16
static long batch(struct vcpu *v, uint64_t arg, uint64_t count, size_t size, batch_fn fn)
{
	uint64_t ops[BATCH_CHUNK * 5]; /* the largest, gnttab_copy, is 40 bytes */
	if (count > XEN_MAX_BATCH)
		return -XEN_EINVAL;
	for (uint64_t i = 0, n; i < count; i += n) {
		uint64_t at = arg + i * size;
		n = MIN(count - i, (uint64_t)BATCH_CHUNK);
		if (!copy_from_guest(v, ops, at, n * size)) {
			n = 1; /* near the fault, one at a time: all before it are run and reported */
			if (!copy_from_guest(v, ops, at, size))
				return -XEN_EFAULT;
		}
		uint64_t flags = spin_lock_irqsave(&xen_lock);
		for (uint64_t j = 0; j < n; j++)
			fn(v->dom, (char *)ops + j * size);
		spin_unlock_irqrestore(&xen_lock, flags);
		if (!copy_to_guest(v, at, ops, n * size))
			return -XEN_EFAULT;
	}
	return 0;
}

/* Single-struct operations: copied in, done, copied back. */
static long single(struct vcpu *v, uint64_t arg, size_t size, long (*fn)(struct vcpu *, void *))
{
	uint64_t op[3];
	if (!copy_from_guest(v, op, arg, size))
		return -XEN_EFAULT;
	long r = fn(v, op);
	if (r == 0 && !copy_to_guest(v, arg, op, size))
		return -XEN_EFAULT;
	return r;
}

static long query_size_op(struct vcpu *v, void *q)
{
	query_size(v->dom, q);
	return 0;
}

static long set_version_op(struct vcpu *v, void *arg)
{
	(void)v;
	struct gnttab_set_version *s = arg;
	long r = s->version == 1 ? 0 : -XEN_EINVAL; /* v2 is for guests with huge frame numbers */
	s->version = 1;
	return r;
}

static long get_version_op(struct vcpu *v, void *arg)
{
	struct gnttab_get_version *g = arg;
	if (!is_self(v->dom, g->dom))
		return -XEN_EPERM;
	g->version = 1;
	return 0;
}

static long setup_table_op(struct vcpu *v, void *arg)
{
	return setup_table(v, arg);
}

long gnttab_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t count)
{
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return batch(v, arg, count, sizeof(struct gnttab_map_grant_ref), (batch_fn)map_one);
	case GNTTABOP_unmap_grant_ref:
		return batch(v, arg, count, sizeof(struct gnttab_unmap_grant_ref),
			     (batch_fn)unmap_one);
	case GNTTABOP_copy:
		return batch(v, arg, count, sizeof(struct gnttab_copy), (batch_fn)copy_one);
	case GNTTABOP_query_size:
		return count == 1 ? single(v, arg, sizeof(struct gnttab_query_size), query_size_op)
				  : -XEN_EINVAL;
	case GNTTABOP_setup_table:
		return count == 1 ? single(v, arg, sizeof(struct gnttab_setup_table), setup_table_op)
				  : -XEN_EINVAL;
	case GNTTABOP_set_version:
		return count == 1 ? single(v, arg, sizeof(struct gnttab_set_version), set_version_op)
				  : -XEN_EINVAL;
	case GNTTABOP_get_version:
		return count == 1 ? single(v, arg, sizeof(struct gnttab_get_version), get_version_op)
				  : -XEN_EINVAL;
	default:
		return -XEN_ENOSYS; /* transfer, v2 status frames, cache_flush (not direct-mapped) */
	}
}

/* Others' mappings of d's pages now show the zero page; d's memory can go. */
static void revoke_grants_of(struct domain *d)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *o = domains[i];
		for (unsigned int h = 0; o && o != d && o->xen.maps && h < o->xen.maps_used; h++) {
			struct grant_map *m = &o->xen.maps[h];
			if (!m->in_use || m->orphaned || m->granter != d->id)
				continue;
			if (!zero_page || stage2_map_page(&o->s2, m->host_ipa, zero_page, S2_RAM_RO))
				stage2_unmap_page(&o->s2, m->host_ipa); /* a hole, then */
			m->orphaned = true;
		}
	}
}

/*
 * A new policy is in force: each mapping it no longer allows shows the zero
 * page from now on (as when the granter goes), and the granter's entry is
 * free to change again. Table lock and xen_lock held.
 */
void gnttab_revoke_forbidden(void)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *o = domains[i];
		for (unsigned int h = 0; o && o->xen.maps && h < o->xen.maps_used; h++) {
			struct grant_map *m = &o->xen.maps[h];
			struct domain *g = m->in_use && !m->orphaned ? domain_by_id(m->granter) : NULL;
			if (!g || mac_may_share_quietly(o, g, POL_MAP))
				continue;
			if (!zero_page || stage2_map_page(&o->s2, m->host_ipa, zero_page, S2_RAM_RO))
				stage2_unmap_page(&o->s2, m->host_ipa);
			unpin(g, m->ref, !m->readonly);
			m->orphaned = true;
			printk("arx: policy: domain %u's mapping of domain %u's grant %u revoked\n",
			       o->id, g->id, m->ref);
		}
	}
}

void gnttab_domain_release_maps(struct domain *d)
{
	for (unsigned int h = 0; d->xen.maps && h < d->xen.maps_used; h++) {
		struct grant_map *m = &d->xen.maps[h];
		if (m->in_use && !m->orphaned) {
			struct domain *g = domain_by_id(m->granter);
			if (g && g->xen.ports)
				unpin(g, m->ref, !m->readonly);
		}
	}
	heap_free(d->xen.maps);
	d->xen.maps = NULL;
	d->xen.nr_maps = 0;
	revoke_grants_of(d);
}

void gnttab_domain_destroy(struct domain *d)
{
	gnttab_domain_release_maps(d);
	for (unsigned int i = 0; i < d->xen.nr_grant_frames; i++) {
		if (d->xen.grant_frame_ipa[i])
			stage2_unmap_page(&d->s2, d->xen.grant_frame_ipa[i]);
		frame_owner_set(d->xen.grant_frames[i], 1, OWNER_NONE);
		palloc_free(d->xen.grant_frames[i], 1);
		heap_free(d->xen.pins[i]);
		d->xen.grant_frames[i] = d->xen.grant_frame_ipa[i] = 0;
		d->xen.pins[i] = NULL;
	}
	d->xen.nr_grant_frames = 0;
}
