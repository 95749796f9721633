/*
 * Domain control by id, for arx's console commands (and later the
 * toolstack): hv/core/domain.c. Each returns 0, or a negative value with a
 * message printed: -1 no such domain, -2 not possible in its state.
 */
#ifndef ARX_DOMAIN_CTL_H
#define ARX_DOMAIN_CTL_H

#include "types.h"

int domain_ctl_destroy(unsigned int id);
int domain_ctl_restart(unsigned int id);
int domain_ctl_pause(unsigned int id);
int domain_ctl_unpause(unsigned int id);

struct domain_info {
	unsigned int id;
	char name[32];
	const char *state; /* "running", "paused", "crashed", "dying" */
	uint64_t memory_mib;
	unsigned int vcpus;
	uint64_t cpu_time_us; /* all its vCPUs together */
	uint64_t table_pages; /* its stage-2 tables (they grow when pages are mapped one by one) */
	unsigned int grant_maps; /* other domains' pages it has mapped (Xen grants) */
};

/* The idx-th domain that exists, in id order; false past the last one. */
bool domain_ctl_info(unsigned int idx, struct domain_info *out);
/* Free and total physical pages, and heap bytes in use, for "list" and leak checks. */
void domain_ctl_memory(uint64_t *free_pages, uint64_t *total_pages, uint64_t *heap_bytes);

#endif
