/*
 * The rest of arx that hv/xen/domctl.c and sysctl.c call, for the host
 * unit tests of the control interface (test_control.c), on top of the fake
 * domains of xen_stubs.c: domain creation makes a fake domain, the
 * scheduler and the console are plain records.
 */
#include <stdlib.h>
#include <string.h>

#include <arx/console.h>
#include <arx/cpu.h>
#include <arx/domain_build.h>
#include <arx/heap.h>
#include <arx/page_alloc.h>
#include <arx/percpu.h>
#include <arx/sched.h>
#include <arx/stage2.h>
#include <arx/timer.h>
#include <arx/vgic.h>

#include "control_stubs.h"

struct control_fake cfake;
unsigned int nr_cpus_online = 2;

void domains_table_lock(void) { cfake.table_depth++; }
void domains_table_unlock(void) { cfake.table_depth--; }

bool domain_reserve_id(unsigned int id)
{
	bool ok = id && id < MAX_DOMAINS && !domains[id];
	cfake.reserved += ok;
	return ok;
}

unsigned int domain_alloc_id(void)
{
	for (unsigned int id = 1; id < MAX_DOMAINS; id++)
		if (!domains[id])
			return cfake.reserved++, id;
	return 0;
}

void domain_release_id(unsigned int id)
{
	(void)id;
	cfake.reserved--;
}

void domain_publish(struct domain *d)
{
	domains[d->id] = d;
	cfake.reserved--;
}

struct domain *domain_new(const struct domain_spec *spec)
{
	struct domain *d = fake_domain_new(spec->id, spec->vcpus, 4);
	d->state = DOMAIN_PAUSED;
	d->built_by_toolstack = spec->toolstack;
	domains[spec->id] = NULL; /* published by the caller */
	return d;
}

void domain_free(struct domain *d)
{
	heap_free(d->ram_chunks);
	domains[d->id] = d; /* fake_domain_free finds it there */
	fake_domain_free(d);
}

uint64_t domain_usable_cpus(uint64_t allowed) { return allowed & 3; }
void domain_place_vcpus(struct domain *d, uint64_t allowed) { (void)d; (void)allowed; }
void domain_count_cpus(struct domain *d) { (void)d; }

void domain_end(struct domain *d, enum domain_action action, const char *why)
{
	(void)why;
	cfake.ended = d;
	cfake.end_action = action;
}

uint64_t domain_tot_pages(const struct domain *d) { return d->ram_size / 4096; }

void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t arg0)
{
	v->start_pc = pc;
	v->start_ctx = arg0;
}

uint64_t sched_runtime_ns(const struct vcpu *v) { return v->runtime; }
bool sched_vcpu_running(const struct vcpu *v) { (void)v; return false; }
void sched_kick_cpu(unsigned int cpu) { (void)cpu; }
int sched_set_affinity(struct vcpu *v, uint64_t allowed) { (void)v; (void)allowed; return 0; }
unsigned int vgic_host_version(void) { return 3; }
unsigned int stage2_ipa_bits(void) { return 40; }
uint64_t timer_freq(void) { return 62500000; }

void arch_clean_inval_dcache(paddr_t pa, uint64_t size)
{
	(void)pa;
	cfake.flushed_bytes += size;
}

void palloc_get_stats(struct palloc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->total_pages = 1000;
	st->free_pages = 600;
}

size_t console_log_read(uint64_t *pos, char *buf, size_t len)
{
	size_t total = strlen(cfake.log), n = 0;
	if (*pos > total)
		*pos = 0;
	for (; n < len && *pos + n < total; n++)
		buf[n] = cfake.log[*pos + n];
	*pos += n;
	return n;
}

uint32_t evtchn_alloc_arx_unbound(struct domain *d, uint16_t remote)
{
	(void)d;
	cfake.vuart_remote = remote;
	return 7;
}

int vpl011_init_ring(struct domain *d, paddr_t base, unsigned int intid, paddr_t ring,
		     uint32_t port)
{
	static char dummy; /* stands for the vPL011: only its presence is looked at */
	if (d->uart)
		return -1;
	d->uart = (struct vpl011 *)&dummy;
	cfake.vuart_base = base;
	cfake.vuart_intid = intid;
	cfake.vuart_ring = ring;
	cfake.vuart_port = port;
	return 0;
}

/* What hv/xen/domain_ops.c calls beyond the control interface's own needs. */
bool evtchn_raise_if_bound(struct domain *d, uint32_t port)
{
	(void)d;
	if (!cfake.store_bound)
		return false;
	cfake.raised_port = port;
	cfake.raised++;
	return true;
}

bool evtchn_is_pending(struct domain *d, uint32_t port)
{
	(void)d;
	(void)port;
	return false;
}

void evtchn_vcpu_info_moved(struct vcpu *v, paddr_t pa)
{
	(void)v;
	(void)pa;
}

void vcpu_wait_for_interrupt(struct vcpu *v) { (void)v; }
void domain_crash(struct domain *d, const char *why) { (void)d; (void)why; }
void domain_poweroff(struct domain *d, const char *why) { (void)d; (void)why; }
void domain_reboot(struct domain *d, const char *why) { (void)d; (void)why; }
