/*
 * arx's definition of the Xen domctl ABI (hypercall __HYPERVISOR_domctl:
 * x0 = guest VA of a struct xen_domctl), as Xen 4.17's toolstack uses it.
 * The control domain calls it; another domain only for the life-cycle ops
 * the access control policy grants it (hv/xen/domctl.c). Layouts are AArch64 LP64; each
 * nested handle is an 8-byte guest virtual address.
 */
#ifndef ARX_PUBLIC_DOMCTL_H
#define ARX_PUBLIC_DOMCTL_H

#include <stdint.h>

#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_createdomain 1
#define XEN_DOMCTL_destroydomain 2
#define XEN_DOMCTL_pausedomain 3
#define XEN_DOMCTL_unpausedomain 4
#define XEN_DOMCTL_getdomaininfo 5
#define XEN_DOMCTL_setvcpuaffinity 9
#define XEN_DOMCTL_shadow_op 10
#define XEN_DOMCTL_max_mem 11
#define XEN_DOMCTL_setvcpucontext 12
#define XEN_DOMCTL_getvcpucontext 13
#define XEN_DOMCTL_getvcpuinfo 14
#define XEN_DOMCTL_max_vcpus 15
#define XEN_DOMCTL_scheduler_op 16
#define XEN_DOMCTL_setdomainhandle 17
#define XEN_DOMCTL_getvcpuaffinity 25
#define XEN_DOMCTL_set_address_size 35
#define XEN_DOMCTL_setnodeaffinity 68
#define XEN_DOMCTL_cacheflush 71
#define XEN_DOMCTL_vuart_op 81
#define XEN_DOMCTL_set_paging_mempool_size 86

/* createdomain flags. */
#define XEN_DOMCTL_CDF_hvm (1u << 0)
#define XEN_DOMCTL_CDF_hap (1u << 1)
#define XEN_DOMCTL_CDF_iommu (1u << 5)
#define XEN_DOMCTL_CDF_vpmu (1u << 7)

#define XEN_DOMCTL_CONFIG_GIC_NATIVE 0
#define XEN_DOMCTL_CONFIG_GIC_V2 1
#define XEN_DOMCTL_CONFIG_GIC_V3 2

struct xen_arch_domainconfig {
	uint8_t gic_version; /* IN: NATIVE, V2 or V3; OUT: V2 or V3 */
	uint8_t pad;
	uint16_t tee_type;
	uint32_t nr_spis;
	uint32_t clock_frequency; /* OUT: 0 = the guest reads CNTFRQ */
};

struct xen_domctl_createdomain {
	uint32_t ssidref;
	uint8_t handle[16];
	uint32_t flags;
	uint32_t iommu_opts;
	uint32_t max_vcpus;
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;
	int32_t max_maptrack_frames;
	uint32_t grant_opts;
	uint32_t vmtrace_size;
	uint32_t cpupool_id;
	struct xen_arch_domainconfig arch;
};

/* getdomaininfo flags. */
#define XEN_DOMINF_dying (1u << 0)
#define XEN_DOMINF_hvm_guest (1u << 1)
#define XEN_DOMINF_shutdown (1u << 2)
#define XEN_DOMINF_paused (1u << 3)
#define XEN_DOMINF_blocked (1u << 4)
#define XEN_DOMINF_running (1u << 5)
#define XEN_DOMINF_hap (1u << 8)
#define XEN_DOMINF_shutdownshift 16

struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t pad1;
	uint32_t flags;
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;
	uint64_t cpu_time; /* ns */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	uint8_t handle[16];
	uint32_t cpupool;
	uint8_t gpaddr_bits;
	uint8_t pad2[7];
	struct xen_arch_domainconfig arch_config;
};

struct xenctl_bitmap {
	uint64_t bitmap; /* handle: guest VA of uint8_t[] */
	uint32_t nr_bits;
};

#define XEN_VCPUAFFINITY_HARD (1u << 0)
#define XEN_VCPUAFFINITY_SOFT (1u << 1)
#define XEN_VCPUAFFINITY_FORCE (1u << 2)

struct xen_domctl_vcpuaffinity {
	uint32_t vcpu;
	uint32_t flags;
	struct xenctl_bitmap cpumap_hard;
	struct xenctl_bitmap cpumap_soft;
};

struct xen_domctl_getvcpuinfo {
	uint32_t vcpu;
	uint8_t online, blocked, running;
	uint64_t cpu_time; /* ns */
	uint32_t cpu;
};

struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	uint64_t ctxt; /* handle: guest VA of struct vcpu_guest_context */
};

/* arm64 vCPU state as the domain builder sets it (arch-arm.h). */
struct vcpu_guest_core_regs {
	uint64_t x[31];
	uint64_t pc64;
	uint64_t cpsr;
	uint64_t spsr_el1;
	uint32_t spsr_fiq, spsr_irq, spsr_und, spsr_abt;
	uint64_t sp_el0, sp_el1, elr_el1;
};

#define VGCF_online (1u << 0)

struct vcpu_guest_context {
	uint32_t flags;
	struct vcpu_guest_core_regs user_regs;
	uint64_t sctlr, ttbcr, ttbr0, ttbr1;
};

struct xen_domctl_cacheflush {
	uint64_t start_pfn, nr_pfns;
};

#define XEN_DOMCTL_VUART_OP_INIT 0
#define XEN_DOMCTL_VUART_TYPE_VPL011 0

struct xen_domctl_vuart_op {
	uint32_t cmd; /* XEN_DOMCTL_VUART_OP_INIT */
	uint32_t type; /* XEN_DOMCTL_VUART_TYPE_VPL011 */
	uint64_t gfn;
	domid_t console_domid;
	uint8_t pad[2];
	uint32_t evtchn; /* OUT */
};

struct xen_domctl {
	uint32_t cmd;
	uint32_t interface_version;
	domid_t domain;
	uint16_t _pad[3];
	union {
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_vcpuaffinity vcpuaffinity;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_cacheflush cacheflush;
		struct xen_domctl_vuart_op vuart_op;
		struct { uint64_t max_memkb; } max_mem;
		struct { uint32_t max; } max_vcpus;
		struct { uint32_t size; } address_size;
		struct { uint64_t size; } paging_mempool;
		struct { uint8_t handle[16]; } setdomainhandle;
		uint8_t pad[128];
	} u;
};

#endif /* ARX_PUBLIC_DOMCTL_H */
