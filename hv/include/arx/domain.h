/* Domains: a guest's memory, vCPUs and virtual devices (hv/core/domain*.c). */
#ifndef ARX_DOMAIN_H
#define ARX_DOMAIN_H

#include "domain_config.h"
#include "mmio.h"
#include "spinlock.h"
#include "stage2.h"
#include "vcpu.h"
#include "vgic.h"
#include "xen.h"

#define MAX_DOMAINS 16
#define DOMID_LIMIT 0x7ff0 /* Xen's DOMID_FIRST_RESERVED: ids below it name domains */
#define DOMAIN_RAM_CHUNK (2 * MiB) /* RAM is allocated and mapped in 2 MiB blocks */

/*
 * RUNNING: its vCPUs may run. PAUSED: they may not (arx console "pause",
 * `xl pause`, or just created by the toolstack).
 * CRASHED: crashed with on_crash = preserve, kept for a look until destroyed.
 * SHUTDOWN: a domain the toolstack built has ended itself (shutdown_code
 * says how); it stays until the toolstack destroys or rebuilds it.
 * DYING: every CPU drops its vCPUs; the last one frees it (or restarts it).
 */
enum domain_state { DOMAIN_RUNNING, DOMAIN_PAUSED, DOMAIN_CRASHED, DOMAIN_SHUTDOWN, DOMAIN_DYING };

/* Where a domain's emulated devices are in its IPA space (guest_layout.h). */
struct guest_map {
	paddr_t gicd, gicc, gicr; /* gicc: GICv2 only; gicr: GICv3 only */
	paddr_t uart; /* the PL011 (0: none) */
};

#define GUEST_MAGIC_PAGES 4 /* console, xenstore, monitor, vuart rings of a toolstack domain */
#define GUEST_MAGIC_XENSTORE 1 /* the xenstore page: also in domains arx built with devices */

struct vpl011;

struct domain {
	unsigned int id;
	char name[CONFIG_NAME_MAX];
	enum domain_type type;
	volatile enum domain_state state;
	uint16_t vmid;
	struct stage2 s2;
	uint64_t ram_size;
	paddr_t *ram_chunks; /* physical address of each 2 MiB chunk, in IPA order */
	unsigned int nr_chunks;
	unsigned int nr_vcpus;
	struct vcpu *vcpus[GUEST_MAX_VCPUS];
	struct mmio_map mmio;
	struct vgic_dist vgic;
	struct vpl011 *uart;
	struct xen_domain xen; /* Xen guest ABI state (hv/xen) */
	spinlock_t lock;
	struct guest_map map;
	paddr_t magic[GUEST_MAGIC_PAGES]; /* pages at GUEST_MAGIC_BASE (0: none) */
	/* The Xen control interface (hv/xen/domctl.c). */
	bool control; /* the control domain, id 0: domctl, sysctl, foreign mappings */
	bool built_by_toolstack; /* created by domctl: its shutdowns are reported, not acted on */
	uint8_t shutdown_code; /* SHUTDOWN_* when state is SHUTDOWN or CRASHED */
	uint8_t handle[16]; /* the toolstack's UUID for it */
	uint64_t max_pages; /* XEN_DOMCTL_max_mem, in pages */
	volatile unsigned int foreign_refs; /* its pages the control domain has mapped */
	bool zombie; /* freed but for the pages still mapped: gone once foreign_refs is 0 */
	/* Life cycle: where it came from (to restart it) and who still holds it. */
	struct domain_config *cfg;
	char *cfg_path;
	volatile unsigned int cpu_refs; /* CPUs that still have its vCPUs queued */
	bool restart; /* build it again once it is gone */
};

extern struct domain *domains[MAX_DOMAINS];

/* Copies into / out of the domain's RAM by IPA; false if the range is not all RAM. */
bool domain_copy_to(struct domain *d, paddr_t ipa, const void *src, size_t len);
bool domain_copy_from(struct domain *d, void *dst, paddr_t ipa, size_t len);
/*
 * The PA behind ipa if it is the domain's own RAM, mapped (not ballooned
 * out, no foreign page in its place) and, for write, writable.
 */
bool domain_own_page(struct domain *d, paddr_t ipa, bool write, paddr_t *pa);
/* ipa is a page of d's RAM with nothing mapped there (given back): where foreign pages go. */
bool domain_ram_hole(struct domain *d, paddr_t ipa);
/*
 * Whether ipa's stage-2 mapping can change while the domain runs (its RAM:
 * ballooning and grant mappings; the grant-table window). Elsewhere, e.g.
 * at emulated devices, a translation fault is never a stale one.
 */
bool domain_ipa_may_change(const struct domain *d, paddr_t ipa);
/* The PA of the RAM page backing ipa, whether the guest has it mapped or not. */
bool domain_ram_page(struct domain *d, paddr_t ipa, paddr_t *pa);
/* The vCPU whose MPIDR affinity is mpidr, or NULL. */
struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr);
/* Ends d with an explicit action (arx's console). */
void domain_end(struct domain *d, enum domain_action action, const char *why);
/* The guest ended itself; what follows is its config's on_poweroff / on_reboot. */
void domain_poweroff(struct domain *d, const char *why);
void domain_reboot(struct domain *d, const char *why);
/* The guest crashed (or hung); its on_crash policy applies. */
void domain_crash(struct domain *d, const char *why);
/* A CPU has dropped all of d's vCPUs (it was dying); the last one finishes it. */
void domain_put(struct domain *d);
/* Keeps domains[] entries from being freed while held (IRQs must be masked). */
void domains_table_lock(void);
void domains_table_unlock(void);
/* The domain with this id, or NULL. */
struct domain *domain_by_id(unsigned int id);
/* A new domain id (never one in use or still held), 0 if none; and the table entry. */
unsigned int domain_alloc_id(void);
/* Takes exactly this id if it and its slot are free. */
bool domain_reserve_id(unsigned int id);
void domain_release_id(unsigned int id);
void domain_publish(struct domain *d);
/* Whether d, built by arx with disks or vifs, still waits for its xenstore page. */
static inline bool xen_store_awaited(const struct domain *d)
{
	return !d->built_by_toolstack && d->xen.params[HVM_PARAM_STORE_PFN] == XEN_STORE_AWAITED;
}

/* The control domain (id 0), or NULL when arx runs without one. */
struct domain *control_domain(void);
/* The control domain maps one of d's pages: false if d is going. */
bool domain_foreign_get(struct domain *d);
/* Drops one of the control domain's mappings of d's pages (d may be finished then). */
void domain_foreign_put(struct domain *d);
/* Pages a domain owns (RAM populated, magic pages), as Xen's tot_pages. */
uint64_t domain_tot_pages(const struct domain *d);

#endif
