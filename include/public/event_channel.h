/*
 * arx's definition of the Xen event-channel ABI (hypercall
 * __HYPERVISOR_event_channel_op: x0 = command, x1 = guest VA of its
 * argument). Fields marked OUT are written back by the hypervisor.
 */
#ifndef ARX_PUBLIC_EVENT_CHANNEL_H
#define ARX_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>

#include "xen.h"

/* An event-channel port number; port 0 is never valid. */
typedef uint32_t evtchn_port_t;

/* Commands. */
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_bind_pirq 2 /* physical IRQs: not offered on Arm */
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_status 5
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_bind_vcpu 8
#define EVTCHNOP_unmask 9
#define EVTCHNOP_reset 10
#define EVTCHNOP_init_control 11 /* FIFO ABI */
#define EVTCHNOP_expand_array 12 /* FIFO ABI */
#define EVTCHNOP_set_priority 13 /* FIFO ABI */

/* Ports in the two-level ABI: 64 words of 64 bits in shared_info. */
#define EVTCHN_2L_NR_CHANNELS 4096

/* Virtual IRQs a guest can bind with EVTCHNOP_bind_virq. */
#define VIRQ_TIMER 0   /* per-vCPU timer */
#define VIRQ_DEBUG 1   /* debug request */
#define VIRQ_CONSOLE 2 /* hypervisor console input (dom0) */
#define VIRQ_DOM_EXC 3 /* a domain shut down or died (dom0) */
#define NR_VIRQS 24

/* Allocate a port in `dom` that `remote_dom` may later bind to. */
struct evtchn_alloc_unbound {
	domid_t dom;
	domid_t remote_dom;
	evtchn_port_t port; /* OUT */
};

/* Connect a new local port to a port another domain left unbound. */
struct evtchn_bind_interdomain {
	domid_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port; /* OUT */
};

/* Bind a VIRQ_* to a new port delivered to `vcpu`. */
struct evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	evtchn_port_t port; /* OUT */
};

/* Allocate a port for inter-vCPU notifications within the caller. */
struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port; /* OUT */
};

/* Close a port. */
struct evtchn_close {
	evtchn_port_t port;
};

/* Notify the other end of a port. */
struct evtchn_send {
	evtchn_port_t port;
};

/* Values of evtchn_status.status. */
#define EVTCHNSTAT_closed 0      /* port free */
#define EVTCHNSTAT_unbound 1     /* waiting for a remote domain */
#define EVTCHNSTAT_interdomain 2 /* connected to a remote domain */
#define EVTCHNSTAT_pirq 3        /* bound to a physical IRQ */
#define EVTCHNSTAT_virq 4        /* bound to a VIRQ */
#define EVTCHNSTAT_ipi 5         /* bound for IPIs */

/* Query the state of a port of `dom`. */
struct evtchn_status {
	domid_t dom;
	evtchn_port_t port;
	uint32_t status; /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;   /* OUT: vCPU the port notifies */
	union {          /* OUT: details, by status */
		struct {
			domid_t dom; /* who may bind */
		} unbound;
		struct {
			domid_t dom;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};

/* Deliver a port's events to another vCPU. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};

/* Unmask a port (and deliver it if it became pending while masked). */
struct evtchn_unmask {
	evtchn_port_t port;
};

/* Close every port of `dom`. */
struct evtchn_reset {
	domid_t dom;
};

/* Switch to the FIFO ABI, giving vCPU `vcpu`'s control block. */
struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits; /* OUT */
	uint8_t _pad[7];
};

/* Add one page to the FIFO event array. */
struct evtchn_expand_array {
	uint64_t array_gfn;
};

#endif /* ARX_PUBLIC_EVENT_CHANNEL_H */
