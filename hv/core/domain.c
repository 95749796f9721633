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

struct domain *domains[MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;

/* The host physical address of a guest RAM byte, and how many bytes follow in its chunk. */
static bool ram_span(struct domain *d, paddr_t ipa, paddr_t *pa, size_t *avail)
{
	if (ipa < GUEST_RAM_BASE || ipa - GUEST_RAM_BASE >= d->ram_size)
		return false;
	uint64_t off = ipa - GUEST_RAM_BASE;
	uint64_t in_chunk = off % DOMAIN_RAM_CHUNK;
	*pa = d->ram_chunks[off / DOMAIN_RAM_CHUNK] + in_chunk;
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

bool domain_ipa_may_change(const struct domain *d, paddr_t ipa)
{
	return (ipa >= GUEST_RAM_BASE && ipa - GUEST_RAM_BASE < d->ram_size) ||
	       (ipa >= GUEST_GNTTAB_BASE && ipa - GUEST_GNTTAB_BASE < GUEST_GNTTAB_SIZE);
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
	struct domain *d = id ? domains[id % MAX_DOMAINS] : NULL;
	return d && d->id == id ? d : NULL;
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
static bool set_state(struct domain *d, enum domain_state state)
{
	spin_lock(&domains_lock);
	bool ok = d->state != DOMAIN_DYING;
	if (ok)
		d->state = state;
	spin_unlock(&domains_lock);
	return ok;
}

/* Applies an end-of-life action: the CPUs drop the domain, or it stays for a look. */
void domain_end(struct domain *d, enum domain_action action, const char *why)
{
	if (action == ACTION_PRESERVE) {
		if (set_state(d, DOMAIN_CRASHED))
			printk("arx: domain %u (%s) %s; preserved (destroy it from arx's console)\n",
			       d->id, d->name, why);
	} else {
		d->restart = action == ACTION_RESTART;
		if (set_state(d, DOMAIN_DYING))
			printk("arx: domain %u (%s) ended: %s; it will be %s\n", d->id, d->name, why,
			       action_names[action]);
	}
	kick_cpus(d);
}

void domain_poweroff(struct domain *d, const char *why)
{
	domain_end(d, d->cfg->on_poweroff, why);
}

void domain_reboot(struct domain *d, const char *why)
{
	domain_end(d, d->cfg->on_reboot, why);
}

void domain_crash(struct domain *d, const char *why)
{
	char msg[160];
	fmt_snprintf(msg, sizeof(msg), "crashed: %s", why);
	domain_end(d, d->cfg->on_crash, msg);
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

/* The last CPU has let go: free everything, then build it again if asked. */
static void finish(struct domain *d)
{
	struct domain_config *cfg = d->cfg;
	char *path = d->cfg_path;
	unsigned int id = d->id;
	bool restart = d->restart;
	if (restart)
		__atomic_add_fetch(&restarting, 1, __ATOMIC_SEQ_CST);
	d->cfg = NULL;
	d->cfg_path = NULL;
	domains_table_lock();
	domains[id % MAX_DOMAINS] = NULL; /* nobody can be handing it input now */
	domains_table_unlock();
	domain_free(d);
	struct palloc_stats st;
	struct heap_stats hs;
	palloc_get_stats(&st);
	heap_get_stats(&hs);
	printk("arx: domain %u gone; %lu pages free, %lu heap bytes in use\n", id, st.free_pages,
	       hs.bytes_in_use);
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
