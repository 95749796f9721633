/*
 * arx's copy of the Arm-specific part of the Xen guest ABI (arm64 guests):
 * how guest pointers travel inside hypercall structures, the event-channel
 * interrupt, and the (empty) per-architecture parts of vcpu_info and
 * shared_info. Written for arx from the published ABI; no Xen code.
 */
#ifndef ARX_PUBLIC_ARCH_ARM_H
#define ARX_PUBLIC_ARCH_ARM_H

#include <stdint.h>

/*
 * Guest handles. A pointer that a guest puts inside a hypercall argument
 * (extent_start, frame_list, sched_poll.ports, ...) is a guest virtual
 * address under the guest's current stage-1 translation. On Arm it always
 * takes 8 bytes and is 8-byte aligned, for 32- and 64-bit guests alike, so
 * arx holds it as a plain 64-bit number it must translate before use.
 */
typedef uint64_t xen_guest_handle_t __attribute__((aligned(8)));

/*
 * XEN_GUEST_HANDLE(type): a guest handle to an array of `type`. The element
 * type is only documentation here; the field is always xen_guest_handle_t.
 */
#define XEN_GUEST_HANDLE(type) xen_guest_handle_t

/* A 64-bit field that is 8-byte aligned whatever the compiler's default. */
typedef uint64_t uint64_aligned_t __attribute__((aligned(8)));

/*
 * The PPI (INTID) on which the hypervisor signals pending event channels to
 * every vCPU; the guest's device tree names it in /hypervisor interrupts.
 */
#define GUEST_EVTCHN_PPI 31

/* Architecture part of struct vcpu_info: nothing on Arm (size 0). */
struct arch_vcpu_info {
};

/* Architecture part of struct shared_info: nothing on Arm (size 0). */
struct arch_shared_info {
};

#endif /* ARX_PUBLIC_ARCH_ARM_H */
