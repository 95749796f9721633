/*
 * Stand-ins for the parts of arx that hv/xen/evtchn*.c and gnttab.c call,
 * for the host unit tests (tests/unit/xen_stubs.c). A fake domain owns a
 * page-aligned host buffer as its RAM (host address == "PA", and guest
 * "virtual addresses" handed to copy_from/to_guest are host pointers into
 * it), a recorded stage-2 (one entry per RAM page and per grant-table
 * window page), and vCPUs whose interrupts are logged instead of injected.
 */
#ifndef UNIT_XEN_STUBS_H
#define UNIT_XEN_STUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arx/domain.h>
#include <arx/guest_layout.h>
#include <arx/xen.h>
#include <public/xen.h>

#define FAKE_PAGE 4096UL

/* One page of a fake domain's stage-2 as the code under test left it. */
struct fake_s2 {
	bool valid;
	paddr_t pa;
	enum s2_type type;
};

/* One vgic_inject call. */
struct fake_irq {
	struct vcpu *v;
	unsigned int intid;
	unsigned int lock_depth; /* xen_lock holders at the time */
};

/* Counters the tests read (and may reset). */
struct fake_stats {
	long heap_bytes, heap_allocs; /* live, through heap_alloc/heap_free */
	long pages; /* live, through palloc_alloc/palloc_free */
	unsigned long s2_maps, s2_unmaps; /* calls */
	unsigned long console_kicks[MAX_DOMAINS];
	struct domain *last_kick;
	int lock_depth; /* xen_lock: acquisitions minus releases */
	unsigned long lock_takes;
	unsigned int nr_irqs;
	struct fake_irq irqs[4096];
	/* Failure injection: the next this-many calls fail. */
	unsigned int fail_s2_map, fail_heap, fail_palloc;
	unsigned long bad_calls; /* stubs called with something they cannot handle */
	/* The access control policy's fake: ops of this kind between domains are refused. */
	bool mac_deny_share, mac_deny_signal, mac_deny_control;
	unsigned long mac_checks; /* hook calls between two different domains */
};

extern struct fake_stats fake;

/*
 * Makes domain id (0..MAX_DOMAINS-1) with nr_vcpus vCPUs and ram_pages
 * pages of RAM at GUEST_RAM_BASE, all mapped in its stage-2, Xen enabled,
 * ports allocated (outside the counted heap) and shared_info on RAM page 0.
 * It is entered in domains[].
 */
struct domain *fake_domain_new(unsigned int id, unsigned int nr_vcpus, unsigned int ram_pages);
/* Removes it from domains[] and frees what fake_domain_new allocated (not what hv/xen did). */
void fake_domain_free(struct domain *d);
/* Host pointer of byte `off` of RAM page `page` (the guest VA the tests pass). */
void *fake_ram(struct domain *d, unsigned int page, size_t off);
uint64_t fake_ram_size(struct domain *d);
/* Guest VA / frame numbers of RAM pages. */
uint64_t fake_va(const void *p);
uint64_t fake_gfn(unsigned int page);
paddr_t fake_ipa(unsigned int page);
/* The host page backing RAM page `page` of d. */
paddr_t fake_ram_pa(struct domain *d, unsigned int page);
/* Balloons RAM page out of d's stage-2 (a hole) or maps its own page back. */
void fake_balloon_out(struct domain *d, unsigned int page);
void fake_balloon_in(struct domain *d, unsigned int page);
/* copy_to_guest fails on this RAM page (read-only to arx's copies). */
void fake_set_copy_ro(struct domain *d, unsigned int page, bool ro);
/* What d's stage-2 has at ipa (an invalid entry for IPAs the fake does not track). */
struct fake_s2 fake_s2_at(struct domain *d, paddr_t ipa);
/* Interrupts injected into v since the log was last cleared. */
unsigned int fake_irqs_for(struct vcpu *v);
void fake_irqs_clear(void);

#endif
