/*
 * arx's definition of the Xen memory_op ABI (hypercall
 * __HYPERVISOR_memory_op: x0 = command, x1 = guest VA of its argument).
 */
#ifndef ARX_PUBLIC_MEMORY_H
#define ARX_PUBLIC_MEMORY_H

#include <stdint.h>

#include "xen.h"

/* Commands. */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
#define XENMEM_add_to_physmap 7
#define XENMEM_remove_from_physmap 15
#define XENMEM_get_sharing_freed_pages 18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_add_to_physmap_batch 23
#define XENMEM_acquire_resource 28

/* xen_add_to_physmap.space: what `idx` names. */
#define XENMAPSPACE_shared_info 0  /* the shared-info page (idx 0) */
#define XENMAPSPACE_grant_table 1  /* grant-table frame idx */
#define XENMAPSPACE_gmfn 2         /* the guest's own frame idx */
#define XENMAPSPACE_gmfn_range 3   /* `size` frames from idx */
#define XENMAPSPACE_gmfn_foreign 4 /* a frame of another domain */
#define XENMAPSPACE_dev_mmio 5     /* device MMIO (dom0) */

/* Make the frame named by (space, idx) appear at guest frame gpfn. */
struct xen_add_to_physmap {
	domid_t domid;    /* DOMID_SELF for the caller */
	uint16_t size;    /* frame count, gmfn_range only (else garbage) */
	uint32_t space;   /* XENMAPSPACE_* */
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};

/*
 * Argument of increase/decrease_reservation and populate_physmap; the
 * hypercall returns how many extents it handled.
 */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start; /* VA of a GFN array */
	xen_ulong_t nr_extents;
	uint32_t extent_order; /* each extent is 2^order frames */
	uint32_t mem_flags;
	domid_t domid;
};

/* Remove whatever is mapped at guest frame gpfn. */
struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};

/* Many frames at once; per-frame errors in errs[]. */
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space; /* XENMAPSPACE_* */
	uint16_t size; /* entries in each array */
	domid_t foreign_domid; /* gmfn_foreign: whose frames idxs[] are */
	XEN_GUEST_HANDLE(xen_ulong_t) idxs;
	XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
	XEN_GUEST_HANDLE(int) errs;
};

#define XENMEM_resource_grant_table 1
#define XENMEM_resource_grant_table_id_shared 0

/* Maps frames of a domain's resource (its grant table) at the caller's frames. */
struct xen_mem_acquire_resource {
	domid_t domid;
	uint16_t type;
	uint32_t id;
	uint32_t nr_frames; /* IN/OUT */
	uint32_t pad;
	uint64_t frame;
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* IN: the caller's GFNs */
};

#endif /* ARX_PUBLIC_MEMORY_H */
