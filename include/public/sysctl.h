/*
 * arx's definition of the Xen sysctl ABI (hypercall __HYPERVISOR_sysctl:
 * x0 = guest VA of a struct xen_sysctl), as Xen 4.17's toolstack uses it.
 * Only the control domain may call it.
 */
#ifndef ARX_PUBLIC_SYSCTL_H
#define ARX_PUBLIC_SYSCTL_H

#include <stdint.h>

#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole 1
#define XEN_SYSCTL_physinfo 3
#define XEN_SYSCTL_sched_id 4
#define XEN_SYSCTL_getdomaininfolist 6
#define XEN_SYSCTL_cputopoinfo 16
#define XEN_SYSCTL_numainfo 17
#define XEN_SYSCTL_cpupool_op 18

#define XEN_SYSCTL_PHYSCAP_hvm (1u << 0)
#define XEN_SYSCTL_PHYSCAP_hap (1u << 3)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1 (1u << 8)

#define XEN_SCHEDULER_NULL 9

struct xen_sysctl_readconsole {
	uint8_t clear, incremental;
	uint8_t pad0[2];
	uint32_t index; /* IN/OUT: where an incremental read goes on */
	uint64_t buffer; /* handle: char[] */
	uint32_t count; /* IN: room; OUT: bytes written */
};

struct xen_sysctl_physinfo {
	uint32_t threads_per_core, cores_per_socket, nr_cpus, max_cpu_id;
	uint32_t nr_nodes, max_node_id, cpu_khz, capabilities;
	uint32_t arch_capabilities, pad;
	uint64_t total_pages, free_pages, scrub_pages, outstanding_pages, max_mfn;
	uint32_t hw_cap[8];
};

struct xen_sysctl_getdomaininfolist {
	domid_t first_domain;
	uint32_t max_domains;
	uint64_t buffer; /* handle: struct xen_domctl_getdomaininfo[] */
	uint32_t num_domains; /* OUT */
};

#define XEN_SYSCTL_CPUPOOL_OP_INFO 3
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO 7

struct xen_sysctl_cpupool_op {
	uint32_t op;
	uint32_t cpupool_id; /* IN/OUT */
	uint32_t sched_id; /* OUT */
	uint32_t domid;
	uint32_t cpu;
	uint32_t n_dom; /* OUT */
	struct xenctl_bitmap cpumap; /* OUT */
};

struct xen_sysctl_meminfo {
	uint64_t memsize, memfree;
};

struct xen_sysctl_numainfo {
	uint32_t num_nodes; /* IN/OUT */
	uint64_t meminfo; /* handle: struct xen_sysctl_meminfo[] */
	uint64_t distance; /* handle: uint32_t[num_nodes * num_nodes] */
};

struct xen_sysctl_cputopo {
	uint32_t core, socket, node;
};

struct xen_sysctl_cputopoinfo {
	uint32_t num_cpus; /* IN/OUT */
	uint64_t cputopo; /* handle: struct xen_sysctl_cputopo[] */
};

struct xen_sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		struct { uint32_t sched_id; } sched_id;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		struct xen_sysctl_cpupool_op cpupool_op;
		struct xen_sysctl_numainfo numainfo;
		struct xen_sysctl_cputopoinfo cputopoinfo;
		uint8_t pad[128];
	} u;
};

#endif /* ARX_PUBLIC_SYSCTL_H */
