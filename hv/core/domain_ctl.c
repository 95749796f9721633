/* Domain control by id for arx's console; see arx/domain_ctl.h. */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/domain_ctl.h>
#include <arx/heap.h>
#include <arx/mac.h>
#include <arx/page_alloc.h>
#include <arx/sched.h>
#include <arx/string.h>

/* Runs op on domain id with the table locked, so the domain cannot be freed meanwhile. */
static int with_domain(unsigned int id, int (*op)(struct domain *d))
{
	domains_table_lock();
	struct domain *d = domain_by_id(id);
	int r = -1;
	if (d)
		r = op(d);
	else
		printk("arx: no domain %u\n", id);
	domains_table_unlock();
	return r;
}

static int refuse(struct domain *d, const char *what)
{
	printk("arx: domain %u (%s) cannot be %s now\n", d->id, d->name, what);
	return -2;
}

static int destroy(struct domain *d)
{
	if (d->state == DOMAIN_DYING)
		return refuse(d, "destroyed (it is already going)");
	domain_end(d, ACTION_DESTROY, "destroyed from arx's console");
	return 0;
}

static int restart(struct domain *d)
{
	if (d->state == DOMAIN_DYING)
		return refuse(d, "restarted (it is already going)");
	domain_end(d, ACTION_RESTART, "restarted from arx's console");
	return 0;
}

static int set_paused(struct domain *d, bool pause)
{
	enum domain_state from = pause ? DOMAIN_RUNNING : DOMAIN_PAUSED;
	if (d->state != from)
		return refuse(d, pause ? "paused (it is not running)" : "unpaused (it is not paused)");
	if (!pause && !mac_may_run(d->id, d->name, mac_label_of(d)))
		return refuse(d, "unpaused (the policy's conflict sets)");
	d->state = pause ? DOMAIN_PAUSED : DOMAIN_RUNNING;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		sched_kick_cpu(d->vcpus[i]->pcpu);
	printk("arx: domain %u (%s) %s\n", d->id, d->name, pause ? "paused" : "unpaused");
	return 0;
}

static int pause(struct domain *d)
{
	return set_paused(d, true);
}

static int unpause(struct domain *d)
{
	return set_paused(d, false);
}

int domain_ctl_destroy(unsigned int id)
{
	return with_domain(id, destroy);
}

int domain_ctl_restart(unsigned int id)
{
	return with_domain(id, restart);
}

int domain_ctl_pause(unsigned int id)
{
	return with_domain(id, pause);
}

int domain_ctl_unpause(unsigned int id)
{
	return with_domain(id, unpause);
}

static const char *state_name(enum domain_state s)
{
	static const char *const names[] = { "running", "paused", "crashed", "dying" };
	return (unsigned int)s < ARRAY_SIZE(names) ? names[s] : "?";
}

static bool info(unsigned int idx, struct domain_info *out)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = domains[i];
		if (!d || idx--)
			continue;
		out->id = d->id;
		memcpy(out->name, d->name, sizeof(out->name));
		out->state = state_name(d->state);
		out->memory_mib = d->ram_size / MiB;
		out->vcpus = d->nr_vcpus;
		out->cpu_time_us = 0;
		for (unsigned int v = 0; v < d->nr_vcpus; v++)
			out->cpu_time_us += sched_runtime_us(d->vcpus[v]);
		out->table_pages = d->s2.table_pages;
		out->grant_maps = d->xen.nr_maps;
		return true;
	}
	return false;
}

bool domain_ctl_info(unsigned int idx, struct domain_info *out)
{
	domains_table_lock();
	bool found = info(idx, out);
	domains_table_unlock();
	return found;
}

void domain_ctl_memory(uint64_t *free_pages, uint64_t *total_pages, uint64_t *heap_bytes)
{
	struct palloc_stats st;
	struct heap_stats hs;
	palloc_get_stats(&st);
	heap_get_stats(&hs);
	*free_pages = st.free_pages;
	*total_pages = st.total_pages;
	*heap_bytes = hs.bytes_in_use;
}
