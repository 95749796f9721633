/*
 * arx's definition of the core Xen guest ABI as seen by arm64 guests:
 * basic types, hypercall numbers, error values, the special domain ids and
 * the shared-info page. Numbers and layouts follow Xen's public ABI; the
 * text is arx's own. Little-endian; all frames are 4 KiB whatever the
 * guest's page size.
 */
#ifndef ARX_PUBLIC_XEN_H
#define ARX_PUBLIC_XEN_H

#include <stdint.h>

#include "arch-arm.h"

/* Basic types. */
typedef uint64_t xen_pfn_t;   /* a guest frame number (IPA >> XEN_PAGE_SHIFT) */
typedef uint64_t xen_ulong_t; /* Xen's "unsigned long": 64 bits on Arm */
typedef uint16_t domid_t;     /* a domain id */

/* Frames exchanged with the hypervisor are always 4 KiB. */
#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE (1UL << XEN_PAGE_SHIFT)

/* The immediate of the HVC instruction that makes a Xen hypercall. */
#define XEN_HYPERCALL_TAG 0xEA1

/* Hypercall numbers (passed in x16). */
#define __HYPERVISOR_platform_op 7        /* dom0 / EFI only */
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_multicall 13         /* dom0 / privcmd only */
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_vm_assist 21
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_xsm_op 27            /* FLASK calls, on arx's own policy */
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_physdev_op 33        /* dom0 only */
#define __HYPERVISOR_hvm_op 34
#define __HYPERVISOR_sysctl 35            /* control domain only */
#define __HYPERVISOR_domctl 36            /* control domain only */
#define __HYPERVISOR_dm_op 41             /* dom0 / privcmd only */

/* Error values; a failed hypercall returns the negated value in x0. */
#define XEN_EPERM 1       /* operation not permitted */
#define XEN_ENOENT 2      /* no such entry */
#define XEN_ESRCH 3       /* no such domain or vCPU */
#define XEN_EIO 5         /* a batch was done in part */
#define XEN_EAGAIN 11     /* try again */
#define XEN_ENOMEM 12     /* out of memory */
#define XEN_EACCES 13     /* permission denied */
#define XEN_EFAULT 14     /* bad guest address */
#define XEN_EBUSY 16      /* already registered / in use */
#define XEN_EEXIST 17     /* already exists (e.g. VIRQ already bound) */
#define XEN_ENODEV 19     /* no such device */
#define XEN_EINVAL 22     /* invalid argument */
#define XEN_ENOSPC 28     /* no space left */
#define XEN_ENOSYS 38     /* unknown hypercall or sub-op */
#define XEN_EOPNOTSUPP 95 /* operation not supported */
#define XEN_ENOBUFS 105   /* the caller's buffer is too small */

/* Domain ids with special meanings in hypercall arguments. */
#define DOMID_FIRST_RESERVED 0x7FF0 /* ids from here up are not real domains */
#define DOMID_SELF 0x7FF0           /* the calling domain */
#define DOMID_IO 0x7FF1
#define DOMID_XEN 0x7FF2            /* the hypervisor itself */
#define DOMID_INVALID 0x7FF4

/* console_io commands (x0). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

/* vm_assist commands (x0) and the assist types (x1) arx knows. */
#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
/* Bit 63 of a runstate area's state_entry_time is set while it is updated. */
#define VMASST_TYPE_runstate_update_flag 5

/* vcpu_info slots in shared_info; Arm guests register the rest themselves. */
#define XEN_LEGACY_MAX_VCPUS 1

/*
 * Time base the hypervisor may publish per vCPU (32 bytes). Linux on arm64
 * uses the architected timer instead and ignores it.
 */
struct vcpu_time_info {
	uint32_t version;           /* odd while an update is in progress */
	uint32_t pad0;
	uint64_t tsc_timestamp;     /* counter value at the last update */
	uint64_t system_time;       /* ns since boot at tsc_timestamp */
	uint32_t tsc_to_system_mul; /* counter-to-ns multiplier (32.32) */
	int8_t tsc_shift;           /* counter shift applied before the multiply */
	uint8_t flags;
	uint8_t pad1[2];
};

/*
 * Per-vCPU event state (48 bytes), in shared_info for vCPU 0 or in a page
 * the guest registers with VCPUOP_register_vcpu_info.
 */
struct vcpu_info {
	uint8_t evtchn_upcall_pending; /* set by the hypervisor: events to handle */
	uint8_t pad0;                  /* Linux's evtchn_upcall_mask; unused on Arm */
	xen_ulong_t evtchn_pending_sel; /* bit w: word w of evtchn_pending has work */
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};

/* The shared-info page each domain maps (1088 bytes used). */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	/* Two-level event channels: port p is bit p % 64 of word p / 64. */
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
	/* Wall-clock time at system time 0; wc_version is odd during updates. */
	uint32_t wc_version;
	uint32_t wc_sec;    /* seconds, low 32 bits */
	uint32_t wc_nsec;
	uint32_t wc_sec_hi; /* seconds, high 32 bits */
	struct arch_shared_info arch;
};

/* One hypercall of a __HYPERVISOR_multicall batch (x0 = array VA, x1 = count). */
struct multicall_entry {
	xen_ulong_t op;
	int64_t result; /* OUT */
	xen_ulong_t args[6];
};

#endif /* ARX_PUBLIC_XEN_H */
