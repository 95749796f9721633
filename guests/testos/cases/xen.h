/*
 * Shared by the Xen ABI cases (cases/xen_*.c, suite `xen`): testos as a
 * domain with `xen = 1` calls every hypercall arx implements, with valid
 * and hostile arguments, and checks each answer against what hv/xen/
 * defines. The MMU is off, so every pointer passed is an IPA.
 *
 * arx keeps its Xen state for the domain's life, not per case: where the
 * shared_info is, whether vCPU 0 registered a vcpu_info, which grant frames
 * are mapped. The helpers here set that up once and remember it, so each
 * case can run alone (testos.only=xen_x) or after any other.
 */
#ifndef TESTOS_XEN_H
#define TESTOS_XEN_H

#include <arx/types.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/xen.h>

/* Where arx puts things in a Xen domain's IPA space (its device tree says the same). */
#define XEN_GNTTAB_WINDOW 0x38000000UL	/* grant-table frames go here, nowhere else */
#define XEN_GNTTAB_FRAMES 32u		/* the window's size and the table's maximum */
#define XEN_CONSOLE_RING 0x39000000UL	/* the PV console ring, HVM_PARAM_CONSOLE_PFN */
#define XEN_EVTCHN_PPI 31u		/* the event upcall */
#define XEN_VERSION_417 ((4 << 16) | 17)

/* Pages of testos's own RAM the cases use (bss, page-aligned); see xen_lib.c. */
enum xen_page {
	XP_SHARED_INFO,	/* shared_info, placed with add_to_physmap */
	XP_VCPU_INFO,	/* vCPU 0's registered vcpu_info */
	XP_HOLE,	/* given back and populated again by the reservation case */
	XP_GRANTED,	/* the page testos grants to itself */
	XP_MAP_HOLE,	/* where it maps its own grant */
	XP_SCRATCH,	/* copy destinations, argument buffers */
	XP_SCRATCH2,	/* follows XP_SCRATCH: arguments straddling a page boundary */
	XP_RUNSTATE,	/* the runstate area (kept by arx, never written) */
	NR_XEN_PAGES
};

uint64_t xen_page(enum xen_page p);
static inline uint64_t xen_gfn(enum xen_page p) { return xen_page(p) >> XEN_PAGE_SHIFT; }

/* A hypercall by number, as testos's hypercall() with fewer arguments. */
int64_t xen_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
/* Sub-commands whose argument is one struct in memory (most of them). */
int64_t xen_op(uint64_t nr, uint64_t cmd, const void *arg);

/*
 * True when arx answers this domain's hypercalls (xen_version works); else
 * the case is skipped, saying so: natively, or in a domain without `xen = 1`.
 * Places shared_info on its page the first time.
 */
bool xen_ready(void);

/* The domain's own id, learned once from an unbound port's status. */
domid_t xen_domid(void);
/* A domain id that is neither this domain nor DOMID_SELF, below 0x7ff0. */
domid_t xen_other_domid(void);

/* The vcpu_info arx updates for vCPU 0: in shared_info until one is registered. */
struct vcpu_info *xen_vcpu_info(void);
void xen_vcpu_info_moved(uint64_t ipa);

/* Event channel bits in shared_info (plain loads and stores: testos has no atomics). */
bool xen_pending(uint32_t port);
void xen_clear_pending(uint32_t port);
bool xen_masked(uint32_t port);
void xen_set_mask(uint32_t port, bool on);

/* Small wrappers; each returns the hypercall's result, the port in *port. */
int64_t xen_alloc_unbound(domid_t dom, domid_t remote, uint32_t *port);
int64_t xen_close(uint32_t port);
int64_t xen_send(uint32_t port);
int64_t xen_status(uint32_t port, struct evtchn_status *st);
int64_t xen_bind_interdomain(domid_t remote, uint32_t remote_port, uint32_t *local);

/*
 * The event upcall, PPI 31: a handler that, like Linux's, clears
 * evtchn_upcall_pending and evtchn_pending_sel so the next event interrupts
 * again. xen_irq_start drains anything already pending, leaves IRQs
 * unmasked and returns the count to compare with xen_upcalls().
 */
uint32_t xen_irq_start(void);
uint32_t xen_upcalls(void);
/* Whether the count passed `before` within a short time (IRQs unmasked). */
bool xen_upcall_came(uint32_t before);
/* Whether it stayed at `before` for a while. */
bool xen_no_upcall(uint32_t before);

/* decrease_reservation / populate_physmap of one gfn: the count done. */
int64_t xen_release(uint64_t gfn);
int64_t xen_populate(uint64_t gfn);

/* Maps grant-table frame 0 at the window's start (once); false if that failed. */
bool xen_grant_frame0(void);
/* Writes v1 entry `ref` of frame 0: frame first, then flags and domid in one store. */
void xen_grant(grant_ref_t ref, uint16_t flags, domid_t domid, uint32_t frame);
uint16_t xen_grant_flags(grant_ref_t ref);

/* grant_table_op with count arguments at arg. */
int64_t xen_gnttab_op(uint64_t cmd, void *arg, uint64_t count);
/* One map (*m filled in, status 0x7777 until arx writes it) or unmap; the hypercall's result. */
int64_t xen_map_grant(uint64_t host, uint32_t flags, grant_ref_t ref, domid_t dom,
		      struct gnttab_map_grant_ref *m);
int64_t xen_unmap_grant(uint64_t host, grant_handle_t handle, int16_t *status);
/*
 * One copy (flags say which side is a grant ref, the other a frame): its
 * status, or 0x7777 if the hypercall itself failed (reported as `what`).
 */
int16_t xen_grant_copy(const char *what, uint16_t flags, uint64_t src, domid_t sdom,
		       uint16_t soff, uint64_t dst, domid_t ddom, uint16_t doff, uint16_t len);
/* Makes page p a hole to map into (if it is not one already); false if it failed. */
bool xen_make_hole(enum xen_page p);
/* Puts RAM back where page p was made a hole. */
void xen_fill_hole(enum xen_page p);

/* Whether reading addr takes a data abort (a hole, or nothing mapped). */
bool xen_read_faults(uint64_t addr);
/* Whether writing addr takes a data abort (a read-only mapping). */
bool xen_write_faults(uint64_t addr, uint32_t value);

/* Byte copies: arguments at unaligned addresses (all memory is Device with the MMU off). */
void xen_put_bytes(uint64_t addr, const void *src, size_t n);
void xen_get_bytes(void *dst, uint64_t addr, size_t n);

/*
 * The control domain's calls (xen_control.c), each refused with -EPERM to an
 * ordinary domain: sysctl, and the privileged calls naming domain t (not itself).
 */
void xen_sysctl_refused(void);
void xen_privileged_refused(domid_t t);

/* The answer of a call against what it must be: fails the case naming both. */
bool xen_expect(const char *what, int64_t got, int64_t want);

#endif
