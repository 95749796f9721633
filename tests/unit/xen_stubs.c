/*
 * Fakes of the rest of arx for the hv/xen unit tests: see xen_stubs.h.
 * Only what evtchn.c, evtchn_2l.c and gnttab.c call is here; anything they
 * pass that the fakes cannot make sense of counts in fake.bad_calls, which
 * the tests expect to stay 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/heap.h>
#include <arx/mac.h>
#include <arx/page_alloc.h>
#include <arx/spinlock.h>
#include <arx/stage2.h>
#include <arx/vgic.h>

#include "xen_stubs.h"

#define WINDOW_PAGES (GUEST_GNTTAB_SIZE / FAKE_PAGE)
#define FLAGS_COOKIE 0x5a5aUL

struct fake_stats fake;
struct domain *domains[MAX_DOMAINS];
spinlock_t xen_lock;

/* What fake_domain_new allocated for domain id. */
static struct fake_priv {
	struct domain *d;
	uint8_t *ram;
	unsigned int pages;
	struct fake_s2 *ram_s2; /* per RAM page */
	struct fake_s2 win[WINDOW_PAGES]; /* the grant-table window */
	bool *copy_ro; /* per RAM page */
} priv[MAX_DOMAINS];

static struct fake_priv *priv_of(const struct domain *d)
{
	if (d && d->id < MAX_DOMAINS && priv[d->id].d == d)
		return &priv[d->id];
	fake.bad_calls++;
	return NULL;
}

struct domain *fake_domain_new(unsigned int id, unsigned int nr_vcpus, unsigned int ram_pages)
{
	if (id >= MAX_DOMAINS || priv[id].d || nr_vcpus == 0 ||
	    nr_vcpus > GUEST_MAX_VCPUS || ram_pages == 0)
		abort();
	struct fake_priv *p = &priv[id];
	struct domain *d = calloc(1, sizeof(*d));
	p->ram = aligned_alloc(FAKE_PAGE, ram_pages * FAKE_PAGE);
	p->ram_s2 = calloc(ram_pages, sizeof(*p->ram_s2));
	p->copy_ro = calloc(ram_pages, sizeof(*p->copy_ro));
	if (!d || !p->ram || !p->ram_s2 || !p->copy_ro)
		abort();
	memset(p->ram, 0, ram_pages * FAKE_PAGE);
	memset(p->win, 0, sizeof(p->win));
	p->d = d;
	p->pages = ram_pages;
	for (unsigned int i = 0; i < ram_pages; i++)
		p->ram_s2[i] = (struct fake_s2){ true, (paddr_t)(uintptr_t)(p->ram + i * FAKE_PAGE),
						 S2_RAM };
	d->id = id;
	snprintf(d->name, sizeof(d->name), "fake%u", id);
	d->state = DOMAIN_RUNNING;
	d->ram_size = (uint64_t)ram_pages * FAKE_PAGE;
	d->nr_vcpus = nr_vcpus;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));
		if (!v)
			abort();
		v->dom = d;
		v->id = i;
		d->vcpus[i] = v;
	}
	d->xen.enabled = true;
	d->xen.ports = calloc(EVTCHN_MAX_PORTS, sizeof(struct evtchn));
	if (!d->xen.ports)
		abort();
	d->xen.shared_info = (paddr_t)(uintptr_t)p->ram; /* RAM page 0 */
	domains[id] = d;
	return d;
}

void fake_domain_free(struct domain *d)
{
	struct fake_priv *p = priv_of(d);
	if (!p)
		return;
	domains[d->id] = NULL;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		free(d->vcpus[i]);
	free(d->xen.ports);
	free(p->ram);
	free(p->ram_s2);
	free(p->copy_ro);
	free(d);
	memset(p, 0, sizeof(*p));
}

void *fake_ram(struct domain *d, unsigned int page, size_t off)
{
	struct fake_priv *p = priv_of(d);
	if (!p || page >= p->pages || off >= FAKE_PAGE)
		abort();
	return p->ram + page * FAKE_PAGE + off;
}

uint64_t fake_ram_size(struct domain *d)
{
	return d->ram_size;
}

uint64_t fake_va(const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr;
}

uint64_t fake_gfn(unsigned int page)
{
	return (GUEST_RAM_BASE >> XEN_PAGE_SHIFT) + page;
}

paddr_t fake_ipa(unsigned int page)
{
	return GUEST_RAM_BASE + (paddr_t)page * FAKE_PAGE;
}

paddr_t fake_ram_pa(struct domain *d, unsigned int page)
{
	return (paddr_t)(uintptr_t)fake_ram(d, page, 0);
}

void fake_balloon_out(struct domain *d, unsigned int page)
{
	struct fake_priv *p = priv_of(d);
	if (!p || page >= p->pages)
		abort();
	p->ram_s2[page].valid = false;
}

void fake_balloon_in(struct domain *d, unsigned int page)
{
	struct fake_priv *p = priv_of(d);
	if (!p || page >= p->pages)
		abort();
	p->ram_s2[page] = (struct fake_s2){ true, fake_ram_pa(d, page), S2_RAM };
}

void fake_set_copy_ro(struct domain *d, unsigned int page, bool ro)
{
	struct fake_priv *p = priv_of(d);
	if (!p || page >= p->pages)
		abort();
	p->copy_ro[page] = ro;
}

/* The entry for ipa in d's recorded stage-2, or NULL if the fake does not track it. */
static struct fake_s2 *s2_slot(struct fake_priv *p, paddr_t ipa)
{
	if (!p || ipa % FAKE_PAGE)
		return NULL;
	if (ipa >= GUEST_RAM_BASE && (ipa - GUEST_RAM_BASE) / FAKE_PAGE < p->pages)
		return &p->ram_s2[(ipa - GUEST_RAM_BASE) / FAKE_PAGE];
	if (ipa >= GUEST_GNTTAB_BASE && ipa - GUEST_GNTTAB_BASE < GUEST_GNTTAB_SIZE)
		return &p->win[(ipa - GUEST_GNTTAB_BASE) / FAKE_PAGE];
	return NULL;
}

struct fake_s2 fake_s2_at(struct domain *d, paddr_t ipa)
{
	struct fake_s2 *e = s2_slot(priv_of(d), ipa);
	return e ? *e : (struct fake_s2){ 0 };
}

unsigned int fake_irqs_for(struct vcpu *v)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < fake.nr_irqs; i++)
		n += fake.irqs[i].v == v;
	return n;
}

void fake_irqs_clear(void)
{
	fake.nr_irqs = 0;
}

/* ---- what hv/xen calls ---- */

static struct fake_priv *priv_of_s2(struct stage2 *s2)
{
	return priv_of((struct domain *)((char *)s2 - offsetof(struct domain, s2)));
}

int stage2_map_page(struct stage2 *s2, paddr_t ipa, paddr_t pa, enum s2_type type)
{
	struct fake_s2 *e = s2_slot(priv_of_s2(s2), ipa);
	fake.s2_maps++;
	if (!e || !pa || pa % FAKE_PAGE) {
		fake.bad_calls++;
		return -1;
	}
	if (fake.fail_s2_map) {
		fake.fail_s2_map--;
		return -1;
	}
	*e = (struct fake_s2){ true, pa, type };
	return 0;
}

int stage2_unmap_page(struct stage2 *s2, paddr_t ipa)
{
	struct fake_s2 *e = s2_slot(priv_of_s2(s2), ipa);
	fake.s2_unmaps++;
	if (!e) {
		fake.bad_calls++;
		return -1;
	}
	e->valid = false;
	return 0;
}

bool stage2_translate(struct stage2 *s2, paddr_t ipa, bool write, paddr_t *pa)
{
	struct fake_s2 *e = s2_slot(priv_of_s2(s2), ipa & ~(FAKE_PAGE - 1));
	if (!e || !e->valid || e->type == S2_DEVICE || (write && e->type != S2_RAM))
		return false;
	*pa = e->pa + (ipa & (FAKE_PAGE - 1));
	return true;
}

bool domain_own_page(struct domain *d, paddr_t ipa, bool write, paddr_t *pa)
{
	struct fake_priv *p = priv_of(d);
	if (!p || ipa < GUEST_RAM_BASE || (ipa - GUEST_RAM_BASE) / FAKE_PAGE >= p->pages)
		return false;
	unsigned int page = (unsigned int)((ipa - GUEST_RAM_BASE) / FAKE_PAGE);
	const struct fake_s2 *e = &p->ram_s2[page];
	if (!e->valid || e->pa != fake_ram_pa(d, page) || (write && e->type != S2_RAM))
		return false;
	*pa = e->pa + (ipa & (FAKE_PAGE - 1));
	return true;
}

/* As hv/xen/xen_domain.c's. */
bool xen_own_frame(struct domain *d, uint64_t gfn, bool write, paddr_t *pa)
{
	if (gfn >= (1UL << (64 - XEN_PAGE_SHIFT)))
		return false;
	return domain_own_page(d, gfn << XEN_PAGE_SHIFT, write, pa);
}

/* Whether [va, va + len) lies in v's domain's fake RAM (and, to write, no page is read-only). */
static bool guest_range(struct vcpu *v, uint64_t va, size_t len, bool write)
{
	struct fake_priv *p = priv_of(v ? v->dom : NULL);
	if (!p)
		return false;
	uint64_t base = (uint64_t)(uintptr_t)p->ram, size = (uint64_t)p->pages * FAKE_PAGE;
	if (va < base || len > size || va - base > size - len)
		return false;
	for (uint64_t off = va - base; write && len && off < va - base + len;
	     off = (off / FAKE_PAGE + 1) * FAKE_PAGE)
		if (p->copy_ro[off / FAKE_PAGE])
			return false;
	return true;
}

bool copy_from_guest(struct vcpu *v, void *dst, uint64_t va, size_t len)
{
	if (!guest_range(v, va, len, false))
		return false;
	memcpy(dst, (const void *)(uintptr_t)va, len);
	return true;
}

bool copy_to_guest(struct vcpu *v, uint64_t va, const void *src, size_t len)
{
	if (!guest_range(v, va, len, true))
		return false;
	memcpy((void *)(uintptr_t)va, src, len);
	return true;
}

struct domain *domain_by_id(unsigned int id)
{
	return id < MAX_DOMAINS ? domains[id] : NULL;
}

struct domain *control_domain(void)
{
	return domains[0] && domains[0]->control ? domains[0] : NULL;
}

/* As hv/core/domain.c's: a page of its RAM with nothing mapped there. */
bool domain_ram_hole(struct domain *d, paddr_t ipa)
{
	paddr_t pa;
	return ipa % FAKE_PAGE == 0 && ipa >= GUEST_RAM_BASE &&
	       ipa - GUEST_RAM_BASE < fake_ram_size(d) && !stage2_translate(&d->s2, ipa, false, &pa);
}

void vpl011_ring_event(struct domain *d)
{
	(void)d;
}

void frame_owner_set(paddr_t pa, uint64_t pages, uint16_t owner)
{
	(void)pa;
	(void)pages;
	(void)owner;
}

/* heap: calloc with the size in a 16-byte header, so live bytes can be counted. */
void *heap_alloc(size_t size)
{
	if (fake.fail_heap) {
		fake.fail_heap--;
		return NULL;
	}
	uint8_t *p = calloc(1, size + 16);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	fake.heap_bytes += (long)size;
	fake.heap_allocs++;
	return p + 16;
}

void heap_free(void *ptr)
{
	size_t size;
	if (!ptr)
		return;
	uint8_t *p = (uint8_t *)ptr - 16;
	memcpy(&size, p, sizeof(size));
	fake.heap_bytes -= (long)size;
	fake.heap_allocs--;
	free(p);
}

paddr_t palloc_alloc(uint64_t count, uint64_t align)
{
	if (fake.fail_palloc) {
		fake.fail_palloc--;
		return 0;
	}
	if (!count || align > FAKE_PAGE || (align & (align - 1))) {
		fake.bad_calls++;
		return 0;
	}
	void *p = aligned_alloc(FAKE_PAGE, count * FAKE_PAGE);
	if (!p)
		return 0;
	memset(p, 0x6b, count * FAKE_PAGE); /* not zeroed: callers must clear what they use */
	fake.pages += (long)count;
	return (paddr_t)(uintptr_t)p;
}

int palloc_free(paddr_t base, uint64_t count)
{
	if (!base || base % FAKE_PAGE) {
		fake.bad_calls++;
		return -1;
	}
	free((void *)(uintptr_t)base);
	fake.pages -= (long)count;
	return 0;
}

void vgic_inject(struct vcpu *v, unsigned int intid)
{
	if (fake.nr_irqs >= sizeof(fake.irqs) / sizeof(fake.irqs[0])) {
		fake.bad_calls++;
		return;
	}
	fake.irqs[fake.nr_irqs++] = (struct fake_irq){ v, intid, (unsigned int)fake.lock_depth };
}

void xen_console_kick(struct domain *d)
{
	if (d && d->id < MAX_DOMAINS)
		fake.console_kicks[d->id]++;
	fake.last_kick = d;
}

/* Locks: only xen_lock is tracked (depth, and that every release matches a take). */
uint64_t spin_lock_irqsave(spinlock_t *l)
{
	if (l == &xen_lock) {
		if (fake.lock_depth)
			fake.bad_calls++; /* would deadlock: it is not recursive */
		fake.lock_depth++;
		fake.lock_takes++;
	}
	return FLAGS_COOKIE;
}

void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
	if (flags != FLAGS_COOKIE)
		fake.bad_calls++;
	if (l == &xen_lock && fake.lock_depth-- <= 0)
		fake.bad_calls++;
}

void spin_lock(spinlock_t *l)
{
	(void)spin_lock_irqsave(l);
}

void spin_unlock(spinlock_t *l)
{
	spin_unlock_irqrestore(l, FLAGS_COOKIE);
}

/* The access control hooks (arx/mac.h): a switch per kind of operation. */
static bool fake_mac(const struct domain *s, const struct domain *o, bool deny)
{
	if (s == o)
		return true;
	fake.mac_checks++;
	return !deny;
}

bool mac_may_share(struct domain *subject, struct domain *granter, enum policy_op op)
{
	if (op != POL_MAP && op != POL_COPY)
		fake.bad_calls++;
	return fake_mac(subject, granter, fake.mac_deny_share);
}

bool mac_may_share_quietly(struct domain *subject, struct domain *granter, enum policy_op op)
{
	return mac_may_share(subject, granter, op);
}

bool mac_may_signal(struct domain *subject, struct domain *peer)
{
	return fake_mac(subject, peer, fake.mac_deny_signal);
}

bool mac_may_signal_quietly(struct domain *subject, struct domain *peer)
{
	return mac_may_signal(subject, peer);
}

bool mac_may_control(struct domain *subject, struct domain *target, enum policy_op op)
{
	if (op < POL_CREATE || op >= POL_NR_OPS)
		fake.bad_calls++;
	return fake_mac(subject, target, fake.mac_deny_control);
}

bool mac_may_list(struct domain *subject, struct domain *target)
{
	return subject == target || !fake.mac_deny_control;
}

bool mac_may_run(unsigned int id, const char *name, uint32_t label)
{
	(void)id, (void)name, (void)label;
	return true;
}

static uint32_t fake_labels[MAX_DOMAINS];

void mac_set_label(const struct domain *d, uint32_t label)
{
	fake_labels[d->id % MAX_DOMAINS] = label;
}

uint32_t mac_label_of(const struct domain *d)
{
	return fake_labels[d->id % MAX_DOMAINS];
}

uint32_t mac_default_label(bool control)
{
	return control ? 0 : 1;
}

size_t mac_label_name(uint32_t label, char *buf, size_t size)
{
	return label < 2 && size ? (buf[0] = 'L', 1) : 0;
}

void printk(const char *fmt, ...)
{
	(void)fmt;
}
