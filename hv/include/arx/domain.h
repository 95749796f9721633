/* Domains: a guest's memory, vCPUs and virtual devices (hv/core/domain*.c). */
#ifndef ARX_DOMAIN_H
#define ARX_DOMAIN_H

#include "domain_config.h"
#include "mmio.h"
#include "spinlock.h"
#include "stage2.h"
#include "vcpu.h"
#include "vgic.h"

#define MAX_DOMAINS 16
#define DOMAIN_RAM_CHUNK (2 * MiB) /* RAM is allocated and mapped in 2 MiB blocks */

enum domain_state { DOMAIN_RUNNING, DOMAIN_DYING, DOMAIN_DEAD };

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
	spinlock_t lock;
};

extern struct domain *domains[MAX_DOMAINS];

/* Copies into / out of the domain's RAM by IPA; false if the range is not all RAM. */
bool domain_copy_to(struct domain *d, paddr_t ipa, const void *src, size_t len);
bool domain_copy_from(struct domain *d, void *dst, paddr_t ipa, size_t len);
/* The vCPU whose MPIDR affinity is mpidr, or NULL. */
struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr);
/* Ends the domain (poweroff, crash, last vCPU off): its vCPUs stop running. */
void domain_shutdown(struct domain *d, const char *why);
/* Number of domains still running. */
unsigned int domains_running(void);

#endif
