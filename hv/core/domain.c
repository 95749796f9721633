/*
 * Domain bookkeeping: the table of domains, guest memory access by IPA,
 * vCPU lookup, and the end of a domain.
 */
#include <arch/cpu.h>
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/irq.h>
#include <arx/psci.h>
#include <arx/domain_build.h>
#include <arx/fmt.h>
#include <arx/heap.h>
#include <arx/page_alloc.h>
#include <arx/sched.h>
#include <arx/string.h>
#include <arx/xen.h>
#include <public/sched.h>

struct domain *domains[MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;
static unsigned int reserved_slots; /* slots of ids handed out, not yet published */

/* A ring page the toolstack populated at GUEST_MAGIC_BASE. */
static bool magic_span(struct domain *d, paddr_t ipa, paddr_t *pa, size_t *avail)
{
	uint64_t i = (ipa - GUEST_MAGIC_BASE) / PAGE_SIZE;
	if (ipa < GUEST_MAGIC_BASE || i >= GUEST_MAGIC_PAGES || !d->magic[i])
		return false;
	*pa = d->magic[i] + (ipa & (PAGE_SIZE - 1));
	*avail = PAGE_SIZE - (ipa & (PAGE_SIZE - 1));
	return true;
}

/* The host physical address of a guest RAM byte, and how many bytes follow in its chunk. */
static bool ram_span(struct domain *d, paddr_t ipa, paddr_t *pa, size_t *avail)
{
	if (ipa < GUEST_RAM_BASE || ipa - GUEST_RAM_BASE >= d->ram_size)
		return magic_span(d, ipa, pa, avail);
	uint64_t off = ipa - GUEST_RAM_BASE;
	uint64_t in_chunk = off % DOMAIN_RAM_CHUNK;
	paddr_t chunk = d->ram_chunks[off / DOMAIN_RAM_CHUNK];
	if (!chunk)
		return false; /* not populated (yet) by the toolstack */
	*pa = chunk + in_chunk;
	*avail = DOMAIN_RAM_CHUNK - in_chunk;
	return true;
}

bool domain_copy_to(struct domain *d, paddr_t ipa, const void *src, size_t len)
{
	const uint8_t *s = src;
	while (len) {
		paddr_t pa;
		size_t n;
		if (!ram_span(d, ipa, &pa, &n))
			return false;
		n = MIN(n, len);
		memcpy((void *)pa, s, n);
		s += n;
		ipa += n;
		len -= n;
	}
	return true;
}

bool domain_copy_from(struct domain *d, void *dst, paddr_t ipa, size_t len)
{
	uint8_t *t = dst;
	while (len) {
		paddr_t pa;
		size_t n;
		if (!ram_span(d, ipa, &pa, &n))
			return false;
		n = MIN(n, len);
		memcpy(t, (const void *)pa, n);
		t += n;
		ipa += n;
		len -= n;
	}
	return true;
}

bool domain_own_page(struct domain *d, paddr_t ipa, bool write, paddr_t *pa)
{
	paddr_t own, mapped;
	size_t avail;
	if (!ram_span(d, ipa, &own, &avail))
		return false;
	/* Still its own page: not ballooned out, not a foreign page mapped in the hole. */
	if (!stage2_translate(&d->s2, ipa, write, &mapped) || mapped != own)
		return false;
	*pa = own;
	return true;
}

bool domain_ram_hole(struct domain *d, paddr_t ipa)
{
	paddr_t pa;
	return IS_ALIGNED(ipa, PAGE_SIZE) && ipa >= GUEST_RAM_BASE &&
	       ipa - GUEST_RAM_BASE < d->ram_size && !stage2_translate(&d->s2, ipa, false, &pa) &&
	       !stage2_foreign_page(&d->s2, ipa, &pa);
}

bool domain_ipa_may_change(const struct domain *d, paddr_t ipa)
{
	return (ipa >= GUEST_RAM_BASE && ipa - GUEST_RAM_BASE < d->ram_size) ||
	       (ipa >= GUEST_GNTTAB_BASE && ipa - GUEST_GNTTAB_BASE < GUEST_GNTTAB_SIZE) ||
	       (ipa >= GUEST_MAGIC_BASE && ipa - GUEST_MAGIC_BASE < GUEST_MAGIC_PAGES * PAGE_SIZE);
}

bool domain_ram_page(struct domain *d, paddr_t ipa, paddr_t *pa)
{
	size_t avail;
	return ram_span(d, ALIGN_DOWN(ipa, PAGE_SIZE), pa, &avail);
}

struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	uint64_t aff = mpidr & 0xff00ffffffUL; /* affinity fields only */
	return aff < d->nr_vcpus ? d->vcpus[aff] : NULL;
}

/*
 * Held by whoever uses a domain found in domains[] outside the domain's own
 * vCPUs (the console handing it input), and by the CPU that frees it while
 * it takes the domain out of the table: after that, nobody holds a pointer.
 */
static spinlock_t table_lock = SPINLOCK_INIT;

void domains_table_lock(void)
{
	spin_lock(&table_lock);
}

void domains_table_unlock(void)
{
	spin_unlock(&table_lock);
}

struct domain *domain_by_id(unsigned int id)
{
	struct domain *d = domains[id % MAX_DOMAINS];
	return d && d->id == id ? d : NULL;
}

struct domain *control_domain(void)
{
	struct domain *d = domains[0];
	return d && d->control ? d : NULL;
}

/*
 * Slot 0 is the control domain's; others are id % MAX_DOMAINS. A slot is
 * free only once its last domain is all gone, pages mapped by the control
 * domain included, so no id is reused while anything still names it.
 */
static unsigned int next_domain_id = 1;

unsigned int domain_alloc_id(void)
{
	spin_lock(&domains_lock);
	unsigned int id = 0;
	for (unsigned int n = 0; n < 2 * MAX_DOMAINS && !id; n++, next_domain_id++) {
		if (next_domain_id >= DOMID_LIMIT)
			next_domain_id = 1;
		unsigned int slot = next_domain_id % MAX_DOMAINS;
		if (slot && !domains[slot] && !(reserved_slots & (1u << slot))) {
			id = next_domain_id;
			reserved_slots |= 1u << slot; /* until published or given back */
		}
	}
	spin_unlock(&domains_lock);
	return id;
}

bool domain_reserve_id(unsigned int id)
{
	unsigned int slot = id % MAX_DOMAINS;
	spin_lock(&domains_lock);
	bool ok = id && id < DOMID_LIMIT && slot && !domains[slot] && !(reserved_slots & (1u << slot));
	if (ok)
		reserved_slots |= 1u << slot;
	spin_unlock(&domains_lock);
	return ok;
}

void domain_release_id(unsigned int id)
{
	spin_lock(&domains_lock);
	reserved_slots &= ~(1u << (id % MAX_DOMAINS));
	spin_unlock(&domains_lock);
}

void domain_publish(struct domain *d)
{
	domains_table_lock();
	domains[d->id % MAX_DOMAINS] = d;
	domains_table_unlock();
	domain_release_id(d->id);
}

uint64_t domain_tot_pages(const struct domain *d)
{
	uint64_t pages = 0;
	for (unsigned int i = 0; i < d->nr_chunks; i++)
		pages += d->ram_chunks[i] ? DOMAIN_RAM_CHUNK / PAGE_SIZE : 0;
	for (unsigned int i = 0; i < GUEST_MAGIC_PAGES; i++)
		pages += d->magic[i] != 0;
	return pages;
}

static const char *const action_names[] = { "destroyed", "restarted", "preserved" };

/* Every CPU that runs one of d's vCPUs looks at it again. */
static void kick_cpus(struct domain *d)
{
	uint64_t done = 0;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		unsigned int cpu = d->vcpus[i]->pcpu;
		if (!(done & (1ULL << cpu)))
			sched_kick_cpu(cpu);
		done |= 1ULL << cpu;
	}
}

/* Moves d to a new state unless it is already dying; false if it was. */
static bool set_state(struct domain *d, enum domain_state state, unsigned int code)
{
	spin_lock(&domains_lock);
	bool ok = d->state != DOMAIN_DYING;
	if (ok) {
		d->state = state;
		d->shutdown_code = (uint8_t)code;
	}
	spin_unlock(&domains_lock);
	return ok;
}

/* Applies an end-of-life action: the CPUs drop the domain, or it stays for a look. */
static void end_with(struct domain *d, enum domain_action action, unsigned int code,
		     const char *why)
{
	if (action == ACTION_PRESERVE) {
		if (set_state(d, DOMAIN_CRASHED, code))
			printk("arx: domain %u (%s) %s; preserved (destroy it from arx's console)\n",
			       d->id, d->name, why);
	} else {
		d->restart = action == ACTION_RESTART;
		if (set_state(d, DOMAIN_DYING, code))
			printk("arx: domain %u (%s) ended: %s; it will be %s\n", d->id, d->name, why,
			       action_names[action]);
	}
	kick_cpus(d);
	xen_notify_dom_exc();
}

void domain_end(struct domain *d, enum domain_action action, const char *why)
{
	end_with(d, action, SHUTDOWN_poweroff, why);
}

/*
 * A domain the toolstack built stops where it ended itself and the toolstack
 * (xl's monitor, watching VIRQ_DOM_EXC) applies its on_poweroff, on_reboot
 * or on_crash: destroy, rebuild, or leave it for a look.
 */
static void shut_down(struct domain *d, unsigned int code, const char *why)
{
	if (d->state != DOMAIN_SHUTDOWN && set_state(d, DOMAIN_SHUTDOWN, code))
		printk("arx: domain %u (%s) %s; the toolstack decides what follows\n", d->id,
		       d->name, why);
	kick_cpus(d);
	xen_notify_dom_exc();
}

void domain_poweroff(struct domain *d, const char *why)
{
	if (d->built_by_toolstack)
		shut_down(d, SHUTDOWN_poweroff, why);
	else
		end_with(d, d->cfg->on_poweroff, SHUTDOWN_poweroff, why);
}

void domain_reboot(struct domain *d, const char *why)
{
	if (d->built_by_toolstack)
		shut_down(d, SHUTDOWN_reboot, why);
	else
		end_with(d, d->cfg->on_reboot, SHUTDOWN_reboot, why);
}

void domain_crash(struct domain *d, const char *why)
{
	char msg[160];
	fmt_snprintf(msg, sizeof(msg), "crashed: %s", why);
	if (d->built_by_toolstack)
		shut_down(d, SHUTDOWN_crash, msg);
	else
		end_with(d, d->cfg->on_crash, SHUTDOWN_crash, msg);
}

/* Domains being built again right now: their slot is empty meanwhile. */
static volatile unsigned int restarting;

static bool any_domain(void)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i])
			return true;
	return restarting != 0;
}

/* Everything d held is given back and its id is free again. */
static void release(struct domain *d)
{
	unsigned int id = d->id;
	domains_table_lock();
	domains[id % MAX_DOMAINS] = NULL; /* nobody can be handing it input now */
	struct domain *c = control_domain();
	if (c && c != d)
		stage2_sync(&c->s2); /* dom0's TLBs forget d's pages it unmapped: they are freed now */
	domains_table_unlock();
	domain_free(d);
	struct palloc_stats st;
	struct heap_stats hs;
	palloc_get_stats(&st);
	heap_get_stats(&hs);
	/* Table pages stay with the domains that grew them (ballooning splits blocks). */
	uint64_t tables = 0;
	domains_table_lock();
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		tables += domains[i] ? domains[i]->s2.table_pages : 0;
	domains_table_unlock();
	printk("arx: domain %u gone; %lu pages free, %lu heap bytes in use, %lu pages of stage-2 "
	       "tables\n", id, st.free_pages, hs.bytes_in_use, tables);
	xen_notify_dom_exc(); /* it is no longer listed */
}

/* The last CPU has let go: free everything, then build it again if asked. */
static void finish(struct domain *d)
{
	struct domain_config *cfg = d->cfg;
	char *path = d->cfg_path;
	unsigned int id = d->id;
	spin_lock(&domains_lock);
	d->zombie = d->foreign_refs != 0;
	spin_unlock(&domains_lock);
	if (d->zombie) {
		/* Its channels and grants go now; the pages the control domain maps stay. */
		xen_domain_quiesce(d);
		printk("arx: domain %u waits for the control domain to unmap %u of its pages\n", id,
		       d->foreign_refs);
		return;
	}
	bool restart = d->restart && cfg;
	if (restart)
		__atomic_add_fetch(&restarting, 1, __ATOMIC_SEQ_CST);
	d->cfg = NULL;
	d->cfg_path = NULL;
	release(d);
	if (restart) {
		domain_restart_from(cfg, path, id);
		__atomic_sub_fetch(&restarting, 1, __ATOMIC_SEQ_CST);
	}
	heap_free(cfg);
	heap_free(path);
	if (!any_domain()) {
		printk("arx: no domains left; powering off\n");
		psci_system_off();
	}
}

void domain_put(struct domain *d)
{
	if (__atomic_sub_fetch(&d->cpu_refs, 1, __ATOMIC_ACQ_REL) == 0)
		finish(d);
}

bool domain_foreign_get(struct domain *d)
{
	spin_lock(&domains_lock);
	bool ok = d->state != DOMAIN_DYING;
	if (ok)
		d->foreign_refs++;
	spin_unlock(&domains_lock);
	return ok;
}

void domain_foreign_put(struct domain *d)
{
	spin_lock(&domains_lock);
	bool last = d->foreign_refs && --d->foreign_refs == 0 && d->zombie;
	spin_unlock(&domains_lock);
	if (last)
		release(d);
}
