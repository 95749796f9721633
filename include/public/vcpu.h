/*
 * arx's definition of the Xen vcpu_op ABI (hypercall __HYPERVISOR_vcpu_op:
 * x0 = command, x1 = vCPU id, x2 = guest VA of its argument). Xen on Arm
 * offers only register_runstate_memory_area and register_vcpu_info.
 */
#ifndef ARX_PUBLIC_VCPU_H
#define ARX_PUBLIC_VCPU_H

#include <stdint.h>

#include "xen.h"

/* Commands. */
#define VCPUOP_initialise 0
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_get_runstate_info 4
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_register_vcpu_info 10

/* vcpu_runstate_info.state. */
#define RUNSTATE_running 0  /* on a physical CPU */
#define RUNSTATE_runnable 1 /* ready, waiting for a physical CPU */
#define RUNSTATE_blocked 2  /* waiting for an event */
#define RUNSTATE_offline 3  /* not running for another reason */

/* Set in state_entry_time while the hypervisor updates the area. */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

/* Where a vCPU has been, for steal-time accounting (48 bytes). */
struct vcpu_runstate_info {
	int32_t state;             /* RUNSTATE_* */
	uint64_t state_entry_time; /* ns of the last state change (+ flag) */
	uint64_t time[4];          /* ns spent in each RUNSTATE_* */
};

/* Move vCPU's vcpu_info to guest frame mfn at byte offset. */
struct vcpu_register_vcpu_info {
	uint64_t mfn;    /* a GFN, despite the name */
	uint32_t offset; /* the 48 bytes may not cross the frame */
	uint32_t rsvd;
};

/*
 * Ask the hypervisor to keep a vcpu_runstate_info up to date at a guest
 * virtual address (kept and translated on every update).
 */
struct vcpu_register_runstate_memory_area {
	union {
		XEN_GUEST_HANDLE(struct vcpu_runstate_info) h;
		uint64_t p;
	} addr;
};

#endif /* ARX_PUBLIC_VCPU_H */
