/*
 * arx's definition of the part of Xen's XSM/FLASK control ABI that Xen
 * 4.17's libxc uses (hypercall __HYPERVISOR_xsm_op: x0 = guest VA of a
 * struct xen_flask_op). arx answers it with its own policy (docs/policy.md):
 * a "context" is an arx label, a "sid" is that label's number in the
 * policy in force, and FLASK_LOAD takes a policy compiled by arxpolicy.
 */
#ifndef ARX_PUBLIC_XSM_FLASK_OP_H
#define ARX_PUBLIC_XSM_FLASK_OP_H

#include <stdint.h>

#define XEN_FLASK_INTERFACE_VERSION 1

#define FLASK_LOAD 1
#define FLASK_GETENFORCE 2
#define FLASK_SETENFORCE 3
#define FLASK_CONTEXT_TO_SID 4
#define FLASK_SID_TO_CONTEXT 5

struct xen_flask_load {
	uint64_t buffer; /* guest handle (64-bit on Arm) */
	uint32_t size;
};

struct xen_flask_setenforce {
	uint32_t enforcing;
};

struct xen_flask_sid_context {
	uint32_t sid;     /* in for SID_TO_CONTEXT, out for CONTEXT_TO_SID */
	uint32_t size;    /* in: the buffer's size; out: the context's length */
	uint64_t context; /* guest handle of the characters (no NUL needed) */
};

struct xen_flask_op {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xen_flask_load load;
		struct xen_flask_setenforce enforce;
		struct xen_flask_sid_context sid_context;
		uint8_t pad[32]; /* the largest member of Xen's union (flask_access) */
	} u;
};

#endif
