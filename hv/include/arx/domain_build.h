/* Building domains from the boot package (hv/core/domain_build.c, bootpkg.c). */
#ifndef ARX_DOMAIN_BUILD_H
#define ARX_DOMAIN_BUILD_H

#include "domain.h"

struct boot_package {
	const void *data;
	size_t size;
};

/*
 * Creates a domain from a parsed config and queues its vCPUs on the CPUs
 * the config allows. On failure returns NULL with a message in err, and
 * everything it took is given back.
 */
struct domain *domain_build(unsigned int id, const struct domain_config *cfg,
			    const char *cfg_path, const struct boot_package *pkg, char *err,
			    size_t err_size);

/* What every domain starts from, however it is built. */
struct domain_spec {
	unsigned int id;
	const char *name;
	enum domain_type type;
	unsigned int vcpus, weight;
	bool xen, control;
	bool toolstack; /* built by the control domain: Xen's guest map, created paused */
	bool pl011_console; /* Linux's console is its PL011: no PV console (linux_console.c) */
};

/* A domain with vCPUs, stage-2, vGIC, devices and Xen state, but no RAM; NULL if short. */
struct domain *domain_new(const struct domain_spec *spec);
/* The allowed CPUs that are up and have room; queues d's vCPUs on them. */
uint64_t domain_usable_cpus(uint64_t allowed);
void domain_place_vcpus(struct domain *d, uint64_t allowed);
/* cpu_refs: the CPUs that queue d's vCPUs (after they move). */
void domain_count_cpus(struct domain *d);
/* Frees a domain's memory, tables, vCPUs and devices (it must not be running). */
void domain_free(struct domain *d);

/*
 * Puts the access control policy in force: the package's "arx-policy" if it
 * has one (NULL: no package), else the built-in default; mode as mac_init.
 */
void bootpkg_load_policy(const struct boot_package *pkg, int mode);
/* Reads every config in the package and builds the domains; returns how many run. */
unsigned int bootpkg_start_domains(const struct boot_package *pkg);
/* Builds a domain again from its config (restart), under the same id. */
void domain_restart_from(const struct domain_config *cfg, const char *path, unsigned int id);

#endif
