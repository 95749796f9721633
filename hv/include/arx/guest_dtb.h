/*
 * The device tree a domain sees (hv/core/guest_dtb.c): built from what
 * the domain has, never from the host's tree, so nothing of the host leaks.
 */
#ifndef ARX_GUEST_DTB_H
#define ARX_GUEST_DTB_H

#include "types.h"

struct guest_dt_desc {
	const char *name; /* domain name, used as the model string suffix */
	uint64_t ram_base, ram_size;
	unsigned int nr_vcpus;
	unsigned int gic_version; /* 2 or 3, as the host */
	const char *cmdline; /* /chosen/bootargs */
	uint64_t initrd_start, initrd_end; /* IPAs; both 0 for none */
	uint32_t timer_freq; /* 0: leave to CNTFRQ_EL0 */
	bool xen; /* a /hypervisor node: the Xen guest ABI is offered */
	uint64_t kaslr_seed; /* /chosen/kaslr-seed (0: none) */
	uint64_t rng_seed[4]; /* /chosen/rng-seed, 32 bytes (all 0: none) */
};

/*
 * Writes the DTB into buf; returns its size, or -1 if buf is too small or
 * the description is unusable (vCPUs not 1..GUEST_MAX_VCPUS, GIC not 2 or
 * 3, no RAM, initrd_end before initrd_start, no name).
 */
long guest_dtb_build(const struct guest_dt_desc *d, void *buf, size_t size);

#endif
