/*
 * arx's implementation of Xen's Arm guest ABI (hv/xen/): hypercalls, event
 * channels, grant tables and the PV console, so the Xen drivers of stock
 * Linux work in a domain whose config says `xen = 1`. The ABI's numbers and
 * layouts are in include/public; docs/xen-abi.md says what arx supports.
 *
 * One lock (xen_lock) covers every domain's event channels, grant tables
 * and PV console: operations between two domains then need no lock order,
 * and each holds it for a bounded, short time. Lock order: the console
 * input lock, then xen_lock, then a stage-2's, vGIC's, scheduler's or the
 * console's lock.
 */
#ifndef ARX_XEN_H
#define ARX_XEN_H

#include "spinlock.h"
#include "types.h"
#include <public/hvm_params.h>

struct domain;
struct vcpu;
struct trap_frame;

/* How many of each a domain may have: bounds on what a guest can make arx keep. */
#define EVTCHN_MAX_PORTS 1024 /* Xen's default for a domU is 1023 */
#define GNTTAB_MAX_FRAMES 32 /* 512 v1 entries each: 16384 grant refs */
#define GNTTAB_MAX_MAPS 1024 /* foreign pages a domain may have mapped at once */
/* The control domain's backends keep many mapped: blkback up to 1056 persistent grants per
 * ring and queue, netback 256 per queue, for every domU it serves. 512 KiB of arx's heap. */
#define GNTTAB_MAX_MAPS_CONTROL 32768
#define GNTTAB_MAPS_FIRST 32 /* slots of a new table of mappings; it doubles as it fills */
#define XEN_MAX_BATCH 1024 /* entries per map/unmap/copy hypercall */
#define XEN_MAX_EXTENTS 512 /* pages per reservation hypercall (Linux asks <= 512) */

/* What arx reports itself as: Xen 4.17's ABI, "arx" in the version strings. */
#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17
#define XEN_EXTRAVERSION "-arx"

/* A domain's event channel port (struct evtchn in hv/xen/evtchn.c). */
enum evtchn_state {
	ECS_FREE,
	ECS_UNBOUND, /* waits for remote_dom to bind it */
	ECS_INTERDOMAIN, /* connected to remote_dom's remote_port */
	ECS_VIRQ, /* raised by arx: virtual interrupt `virq` */
	ECS_IPI, /* raised by the domain itself */
	ECS_CONSOLE, /* the PV console: arx is the other end */
};

struct evtchn {
	uint8_t state; /* enum evtchn_state */
	uint8_t vcpu; /* the vCPU it is delivered to */
	uint16_t remote_dom; /* UNBOUND, INTERDOMAIN: the peer domain */
	uint32_t remote; /* INTERDOMAIN: the peer's port; VIRQ: the virq number */
	bool arx_end; /* events on it go to arx (the vPL011's ring), not to the guest */
};

/* A foreign page this domain has mapped (its grant handle is the index). */
struct grant_map {
	bool in_use;
	bool readonly;
	bool orphaned; /* the granter is gone: a zero page stands in until it is unmapped */
	uint16_t granter; /* domain id */
	uint32_t ref; /* a free slot: the next free slot's handle */
	paddr_t host_ipa; /* where it is mapped in this domain */
};

/* Per grant ref of a granting domain: how many mappings hold it. */
struct grant_pins {
	uint16_t readers, writers;
};

struct xen_domain {
	bool enabled; /* config `xen = 1`: hypercalls, hypervisor DT node, PV console */
	paddr_t shared_info; /* PA of the guest page holding its shared_info (0: none yet) */
	struct evtchn *ports; /* EVTCHN_MAX_PORTS entries */
	/* Grant table: arx's pages, mapped into the domain where it asks. */
	unsigned int nr_grant_frames;
	paddr_t grant_frames[GNTTAB_MAX_FRAMES];
	paddr_t grant_frame_ipa[GNTTAB_MAX_FRAMES]; /* where each is mapped (0: nowhere) */
	struct grant_pins *pins[GNTTAB_MAX_FRAMES]; /* 512 per frame */
	struct grant_map *maps; /* allocated at the first map, freed when the domain ends */
	unsigned int nr_maps;
	uint32_t free_map; /* the last slot unmapped (the list goes on through ref), or ~0 */
	uint32_t maps_used; /* slots ever used since maps was allocated: the rest are unread */
	uint32_t maps_cap; /* slots maps has room for (it doubles up to gnttab_max_maps()) */
	uint64_t params[HVM_NR_PARAMS]; /* HVM_PARAM_*, as the guest or its builder set them */
	/* PV console: the ring page arx gives the domain and its port. */
	paddr_t console_ring;
	uint32_t console_port;
	bool console_reads; /* the guest has taken input from it: input goes there only */
	bool no_pv_console; /* a Linux domain whose console is its PL011 (linux_console.c) */
	/* The control domain's console is arx's (console_io): typed input waits here. */
	char *cons_in;
	unsigned int cons_in_head, cons_in_count;
};

struct xen_vcpu {
	paddr_t vcpu_info; /* PA of its struct vcpu_info (0: none) */
	bool vcpu_info_registered;
	uint64_t runstate_va; /* VCPUOP_register_runstate_memory_area, kept */
};

extern spinlock_t xen_lock;

/* Domain life cycle (hv/xen/xen_domain.c). */
int xen_domain_init(struct domain *d);
/* Before d's memory goes: closes its channels, revokes what others mapped of it. */
void xen_domain_destroy(struct domain *d);
/* HVM_PARAM_STORE_PFN of a domain whose xenstore the control domain has yet to set up. */
#define XEN_STORE_AWAITED (~0ULL)
/* d (built by arx, with disks or vifs) waits for a xenstore from the control domain. */
int xen_store_await(struct domain *d);
/* d has ended but waits for the control domain to unmap its pages: channels and grant maps go. */
void xen_domain_quiesce(struct domain *d);

/* HVC #0xEA1: the hypercall in x16, arguments x0-x4, result in x0. */
void hypercall_dispatch(struct vcpu *v, struct trap_frame *f);

/* Copies between arx and the calling guest, by guest virtual address (its
 * current stage-1) or by IPA, only ever to or from the domain's own RAM. */
bool copy_from_guest(struct vcpu *v, void *dst, uint64_t va, size_t len);
bool copy_to_guest(struct vcpu *v, uint64_t va, const void *src, size_t len);
/* The PA of frame gfn of d's own RAM (domain_own_page), writable if asked. */
bool xen_own_frame(struct domain *d, uint64_t gfn, bool write, paddr_t *pa);

/* Event channels (hv/xen/evtchn.c, evtchn_2l.c). */
long evtchn_op(struct vcpu *v, uint64_t cmd, uint64_t arg);
/* Allocates a port for arx's end of a channel (the PV console); 0 if none is free. */
uint32_t evtchn_alloc_arx_port(struct domain *d);
/* A port in d that domain `remote` may bind (xen_lock held); 0 if none is free. */
uint32_t evtchn_alloc_unbound_for(struct domain *d, uint16_t remote);
/* A port in d that remote may bind, whose events arx takes (vuart); 0 if none is free. */
uint32_t evtchn_alloc_arx_unbound(struct domain *d, uint16_t remote);
/* Signals the far end of d's channel port, if it is connected (takes xen_lock). */
void xen_notify_port(struct domain *d, uint32_t port);
/* Raises d's own port if it is connected to another domain (xen_lock held). */
bool evtchn_raise_if_bound(struct domain *d, uint32_t port);
/* Makes port pending in d and raises the upcall as the 2-level ABI says (xen_lock held). */
void evtchn_raise(struct domain *d, uint32_t port);
/* d's channels are closed; peers' ends go back to unbound (xen_lock held). */
void evtchn_domain_destroy(struct domain *d);
/* EVTCHNOP_unmask: clears the mask bit and delivers the port if it is pending. */
void evtchn_unmask_port(struct domain *d, uint32_t port);
bool evtchn_is_pending(struct domain *d, uint32_t port);
/* Raises d's port bound to a global VIRQ, if any (xen_lock held). */
void evtchn_raise_virq(struct domain *d, uint32_t virq);
/* A domain shut down or died: the control domain's VIRQ_DOM_EXC (xen_lock not held). */
void xen_notify_dom_exc(void);
/* VCPUOP_register_vcpu_info: v's vcpu_info moves to new_info (a PA); one upcall follows. */
void evtchn_vcpu_info_moved(struct vcpu *v, paddr_t new_info);

/* Grant tables (hv/xen/gnttab.c). Global set-up (the zero page), before any mapping. */
int gnttab_global_init(void);
long gnttab_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t count);
/* How many foreign pages d may have mapped at once (its grant handles). */
unsigned int gnttab_max_maps(const struct domain *d);
/* Frame idx of d's grant table (grown to it), for the control domain to map (xen_lock held). */
int gnttab_shared_frame(struct domain *d, unsigned int idx, paddr_t *pa);
/* d ends but its pages stay mapped by the control domain: drop its grant mappings only. */
void gnttab_domain_release_maps(struct domain *d);
/* XENMAPSPACE_grant_table: frame idx of d's table at gfn. */
int gnttab_map_frame(struct domain *d, uint64_t idx, uint64_t gfn);
/* d is going: its mappings of others are dropped, others' mappings of it revoked. */
void gnttab_domain_destroy(struct domain *d);

/* The control interface (hv/xen/domctl.c, sysctl.c): the control domain's, and the policy's. */
long domctl(struct vcpu *v, uint64_t arg);
long sysctl(struct vcpu *v, uint64_t arg);
/* XSM/FLASK calls, answered with arx's policy (hv/xen/xsm_op.c). */
long xsm_op(struct vcpu *v, uint64_t arg);
/*
 * Label n of the policy in force is FLASK sid XEN_SID_BASE + n: the sids
 * below are FLASK's initial ones, which Xen's tools pass without asking
 * (libxl's createdomain: SECINITSID_DOMU, 12, for a domain without a seclabel).
 */
#define XEN_SID_BASE 256u
uint32_t xen_sid_of_label(uint32_t label);
/* The label of a sid xsm_op gave; false if the policy in force has none such. */
bool xen_label_of_sid(uint32_t sid, uint32_t *label);
/* A new policy is in force: grant mappings and event channels it forbids go (gnttab.c,
 * evtchn.c; table lock and xen_lock held). */
void gnttab_revoke_forbidden(void);
void evtchn_revoke_forbidden(void);
/* Domains viewer may list, in ascending id order from `first` (table lock held); how many
 * went in out[]. */
unsigned int xen_domains_from(struct domain *viewer, unsigned int first, struct domain **out,
			      unsigned int max);
struct xen_domctl_getdomaininfo;
struct xenctl_bitmap;
void xen_domain_info(const struct domain *d, struct xen_domctl_getdomaininfo *info);
/* Writes a CPU bitmap (bits 0-63; the rest 0) into the guest's xenctl_bitmap. */
long xen_copy_bitmap_out(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t bits);
/* The domain a control-domain call names, or NULL if no such domain (or not allowed). */
struct domain *xen_target_domain(struct vcpu *v, uint16_t domid);
/* Foreign memory (hv/xen/foreign.c): the control domain maps and fills others' pages. */
struct xen_memory_reservation;
long foreign_populate(struct vcpu *v, const struct xen_memory_reservation *r);
long foreign_add_to_physmap_batch(struct vcpu *v, uint64_t arg);
long foreign_remove(struct vcpu *v, uint64_t arg);
long foreign_acquire_resource(struct vcpu *v, uint64_t arg);
/* Memory (hv/xen/memory_op.c), per-domain and per-vCPU ops (hv/xen/domain_ops.c). */
long memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg);
long hvm_op(struct vcpu *v, uint64_t cmd, uint64_t arg);
long vcpu_op(struct vcpu *v, uint64_t cmd, uint64_t vcpuid, uint64_t arg);
long sched_op(struct vcpu *v, uint64_t cmd, uint64_t arg);

/* PV console (hv/xen/xen_console.c). */
int xen_console_init(struct domain *d);
int xen_console_control_init(struct domain *d);
/* CONSOLEIO_read: what was typed for the control domain, up to len bytes. */
size_t xen_console_control_read(struct domain *d, char *buf, size_t len);
void xen_console_destroy(struct domain *d);
/* The guest signalled its console port: print what it wrote, note what it read. */
void xen_console_kick(struct domain *d);
/* Whether d has ever taken input from its PV console, and whether it has room for a key. */
bool xen_console_reads(struct domain *d);
bool xen_console_has_room(struct domain *d);
void xen_console_receive(struct domain *d, char c);

#endif
