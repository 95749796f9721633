/*
 * Trapped MMIO for virtual devices: every device registers its regions per
 * domain here; a guest data abort on an unmapped IPA is dispatched to the
 * region that contains it, or refused with an abort injected into the guest.
 */
#ifndef ARX_MMIO_H
#define ARX_MMIO_H

#include "types.h"

#define MMIO_MAX_REGIONS 16

struct vcpu;

/* One decoded guest access (only accesses the ESR describes fully, ISV = 1). */
struct mmio_access {
	paddr_t ipa;
	uint64_t offset; /* from the region's base */
	unsigned int size; /* 1, 2, 4 or 8 bytes */
	bool write;
	uint64_t value; /* in: the value written; out: the value read */
};

/* Handlers return true when the access was valid, false to abort the guest. */
typedef bool (*mmio_handler_t)(struct vcpu *v, struct mmio_access *a, void *dev);

struct mmio_region {
	paddr_t base;
	uint64_t size;
	mmio_handler_t handler;
	void *dev;
};

struct mmio_map {
	struct mmio_region regions[MMIO_MAX_REGIONS]; /* sorted by base */
	unsigned int count;
	unsigned int last; /* index of the region hit last: looked at first */
};

/* Adds a region; -1 if it overlaps another or the map is full. */
int mmio_register(struct mmio_map *m, paddr_t base, uint64_t size, mmio_handler_t handler,
		  void *dev);
/* Finds the region for a->ipa and calls it; false if none or the handler refuses. */
bool mmio_dispatch(struct mmio_map *m, struct vcpu *v, struct mmio_access *a);

#endif
