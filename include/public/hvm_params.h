/*
 * arx's definition of the Xen hvm_op parameter ABI (hypercall
 * __HYPERVISOR_hvm_op: x0 = op, x1 = guest VA of struct xen_hvm_param).
 * Arm guests read their console and xenstore rings from these.
 */
#ifndef ARX_PUBLIC_HVM_PARAMS_H
#define ARX_PUBLIC_HVM_PARAMS_H

#include <stdint.h>

#include "xen.h"

/* Operations. */
#define HVMOP_set_param 0
#define HVMOP_get_param 1

struct xen_hvm_param {
	domid_t domid; /* DOMID_SELF for the caller */
	uint16_t pad;
	uint32_t index; /* HVM_PARAM_* */
	uint64_t value; /* IN for set_param, OUT for get_param */
};

/* Parameters. */
#define HVM_PARAM_CALLBACK_IRQ 0  /* how events are signalled, see below */
#define HVM_PARAM_STORE_PFN 1     /* GFN of the xenstore ring */
#define HVM_PARAM_STORE_EVTCHN 2  /* the guest's port to xenstored */
#define HVM_PARAM_CONSOLE_PFN 17  /* GFN of the console ring */
#define HVM_PARAM_CONSOLE_EVTCHN 18 /* the guest's port to the console */
#define HVM_PARAM_MONITOR_RING_PFN 28
#define HVM_NR_PARAMS 39

/*
 * HVM_PARAM_CALLBACK_IRQ's value: the delivery type in bits 63:56, the rest
 * depends on the type. For type PPI (what Arm uses), bits 7:0 hold the PPI
 * number (GUEST_EVTCHN_PPI) and bits 15:8 its trigger flags.
 */
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT 56
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK (0xFFULL << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT)
#define HVM_PARAM_CALLBACK_TYPE_GSI 0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX 1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR 2
#define HVM_PARAM_CALLBACK_TYPE_PPI 3

#endif /* ARX_PUBLIC_HVM_PARAMS_H */
