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
struct domain *domain_build(const struct domain_config *cfg, const char *cfg_path,
			    const struct boot_package *pkg, char *err, size_t err_size);
/* Frees a domain's memory, tables, vCPUs and devices (it must not be running). */
void domain_free(struct domain *d);

/* Reads every config in the package and builds the domains; returns how many run. */
unsigned int bootpkg_start_domains(const struct boot_package *pkg);
/* Builds a domain again from its config (restart), under the same id. */
void domain_restart_from(const struct domain_config *cfg, const char *path, unsigned int id);

#endif
