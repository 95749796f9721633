/*
 * arx's definition of the Xen xen_version ABI (hypercall
 * __HYPERVISOR_xen_version: x0 = command, x1 = guest VA of its argument)
 * and of the feature bits returned by XENVER_get_features.
 */
#ifndef ARX_PUBLIC_VERSION_H
#define ARX_PUBLIC_VERSION_H

#include <stdint.h>

#include "xen.h"

/* Commands. */
#define XENVER_version 0             /* returns (major << 16) | minor */
#define XENVER_extraversion 1        /* xen_extraversion_t */
#define XENVER_compile_info 2
#define XENVER_capabilities 3        /* xen_capabilities_info_t */
#define XENVER_changeset 4           /* xen_changeset_info_t */
#define XENVER_platform_parameters 5
#define XENVER_get_features 6        /* struct xen_feature_info */
#define XENVER_pagesize 7            /* returns the page size */
#define XENVER_guest_handle 8
#define XENVER_commandline 9
#define XENVER_build_id 10

/* String results, NUL-terminated within these sizes. */
#define XEN_EXTRAVERSION_LEN 16
#define XEN_CAPABILITIES_INFO_LEN 1024
#define XEN_CHANGESET_INFO_LEN 64
typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN];
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];

/* XENVER_get_features: 32 feature bits per submap. */
struct xen_feature_info {
	uint32_t submap_idx; /* which 32 bits; only 0 exists */
	uint32_t submap;     /* OUT: bit n set = feature 32 * idx + n */
};

#define XENFEAT_NR_SUBMAPS 1

/* Feature bits (in submap 0). */
#define XENFEAT_writable_page_tables 0
#define XENFEAT_writable_descriptor_tables 1
#define XENFEAT_auto_translated_physmap 2 /* guest works in GFNs: must be set */
#define XENFEAT_supervisor_mode_kernel 3
#define XENFEAT_hvm_callback_vector 8
#define XENFEAT_hvm_safe_pvclock 9
#define XENFEAT_hvm_pirqs 10
#define XENFEAT_dom0 11                   /* the guest is the control domain */
#define XENFEAT_memory_op_vnode_supported 13
#define XENFEAT_ARM_SMCCC_supported 14
#define XENFEAT_linux_rsdp_unrestricted 15
#define XENFEAT_not_direct_mapped 16      /* guest RAM is not 1:1 with host */
#define XENFEAT_direct_mapped 17          /* guest RAM is 1:1 with host */
#define XENFEAT_runstate_phys_area 18
#define XENFEAT_vcpu_time_phys_area 19

#endif /* ARX_PUBLIC_VERSION_H */
