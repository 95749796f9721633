/*
 * arx's definition of the Xen grant-table ABI, version 1 entries
 * (hypercall __HYPERVISOR_grant_table_op: x0 = command, x1 = guest VA of an
 * array of argument structures, x2 = their count). OUT fields are written
 * back by the hypervisor.
 */
#ifndef ARX_PUBLIC_GRANT_TABLE_H
#define ARX_PUBLIC_GRANT_TABLE_H

#include <stdint.h>

#include "xen.h"

typedef uint32_t grant_ref_t;    /* index of an entry in a grant table */
typedef uint32_t grant_handle_t; /* names one mapping made by map_grant_ref */

/* Commands. */
#define GNTTABOP_map_grant_ref 0
#define GNTTABOP_unmap_grant_ref 1
#define GNTTABOP_setup_table 2
#define GNTTABOP_dump_table 3
#define GNTTABOP_transfer 4
#define GNTTABOP_copy 5
#define GNTTABOP_query_size 6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version 8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version 10
#define GNTTABOP_swap_grant_ref 11
#define GNTTABOP_cache_flush 12

/* Grant refs 0..7 are reserved for the toolstack; guests never use them. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE 0
#define GNTTAB_RESERVED_XENSTORE 1

/* A version-1 grant entry, written by the granting guest (512 per frame). */
struct grant_entry_v1 {
	uint16_t flags;  /* GTF_* */
	domid_t domid;   /* the domain allowed to use the grant */
	uint32_t frame;  /* the granted frame (GFN) */
};

/* grant_entry_v1.flags: the type, in bits 1:0 ... */
#define GTF_invalid 0
#define GTF_permit_access 1
#define GTF_accept_transfer 2
#define GTF_transitive 3
#define GTF_type_mask 3
/* ... and the flags. */
#define GTF_readonly 0x4   /* grantee may only read (set by the granter) */
#define GTF_reading 0x8    /* grantee has it mapped or copied (hypervisor-set) */
#define GTF_writing 0x10   /* grantee has it writable (hypervisor-set) */
#define GTF_sub_page 0x100 /* only part of the frame is granted (v2) */

/* gnttab_map_grant_ref.flags. */
#define GNTMAP_device_map 1
#define GNTMAP_host_map 2
#define GNTMAP_readonly 4
#define GNTMAP_application_map 8
#define GNTMAP_contains_pte 16

/* Per-operation status values (int16_t status fields). */
#define GNTST_okay 0
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)
#define GNTST_bad_gntref (-3)
#define GNTST_bad_handle (-4)
#define GNTST_bad_virt_addr (-5)
#define GNTST_bad_dev_addr (-6)
#define GNTST_no_device_space (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page (-9)
#define GNTST_bad_copy_arg (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain (-12) /* transient: the guest retries */
#define GNTST_no_space (-13)

/* Map a frame granted by `dom` at guest physical address host_addr. */
struct gnttab_map_grant_ref {
	uint64_t host_addr;    /* full IPA for an auto-translated guest */
	uint32_t flags;        /* GNTMAP_* */
	grant_ref_t ref;
	domid_t dom;
	int16_t status;        /* OUT: GNTST_* */
	grant_handle_t handle; /* OUT */
	uint64_t dev_bus_addr; /* OUT */
};

/* Undo a map_grant_ref. */
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	grant_handle_t handle;
	int16_t status; /* OUT: GNTST_* */
};

/* Grow a domain's grant table to nr_frames and list the GFNs its frames are mapped at. */
struct gnttab_setup_table {
	domid_t dom;
	uint32_t nr_frames;
	int16_t status;                        /* OUT */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT: nr_frames GFNs */
};

/* Current and maximum size of a domain's grant table, in frames. */
struct gnttab_query_size {
	domid_t dom;
	uint32_t nr_frames;     /* OUT */
	uint32_t max_nr_frames; /* OUT */
	int16_t status;         /* OUT */
};

/* One side of a gnttab_copy: a grant ref or a local frame. */
struct gnttab_copy_ptr {
	union {
		grant_ref_t ref; /* when GNTCOPY_*_gref is set */
		xen_pfn_t gmfn;  /* otherwise: a frame of `domid` */
	} u;
	domid_t domid;
	uint16_t offset; /* byte offset in the frame */
};

/* gnttab_copy.flags: which sides are grant refs. */
#define GNTCOPY_source_gref 1
#define GNTCOPY_dest_gref 2

/* Copy bytes between frames without mapping them (may not cross 4 KiB). */
struct gnttab_copy {
	struct gnttab_copy_ptr source;
	struct gnttab_copy_ptr dest;
	uint16_t len;
	uint16_t flags;  /* GNTCOPY_* */
	int16_t status;  /* OUT */
};

/* Choose the grant-entry version (1 or 2); returns the version in force. */
struct gnttab_set_version {
	uint32_t version; /* IN/OUT */
};

/* Read the grant-entry version of `dom`. */
struct gnttab_get_version {
	domid_t dom;
	uint16_t pad;
	uint32_t version; /* OUT */
};

/* gnttab_cache_flush.op. */
#define GNTTAB_CACHE_CLEAN (1U << 0)
#define GNTTAB_CACHE_INVAL (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31) /* a.ref names the frame */

/* Clean/invalidate caches over part of a frame (direct-mapped guests). */
struct gnttab_cache_flush {
	union {
		uint64_t dev_bus_addr;
		grant_ref_t ref;
	} a;
	uint16_t offset;
	uint16_t length;
	uint32_t op; /* GNTTAB_CACHE_* */
};

#endif /* ARX_PUBLIC_GRANT_TABLE_H */
