/*
 * arx's definition of the Xen sched_op ABI (hypercall __HYPERVISOR_sched_op:
 * x0 = command, x1 = guest VA of its argument).
 */
#ifndef ARX_PUBLIC_SCHED_H
#define ARX_PUBLIC_SCHED_H

#include <stdint.h>

#include "xen.h"

/* Commands. */
#define SCHEDOP_yield 0    /* give up the physical CPU for now */
#define SCHEDOP_block 1    /* sleep until an event (Linux uses WFI) */
#define SCHEDOP_shutdown 2 /* end the domain: struct sched_shutdown */
#define SCHEDOP_poll 3     /* wait for one of some ports: struct sched_poll */

/* sched_shutdown.reason. */
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3
#define SHUTDOWN_watchdog 4
#define SHUTDOWN_soft_reset 5

struct sched_shutdown {
	uint32_t reason; /* SHUTDOWN_* */
};

struct sched_poll {
	XEN_GUEST_HANDLE(evtchn_port_t) ports; /* VA of nr_ports ports */
	uint32_t nr_ports;
	uint64_t timeout; /* absolute system time in ns; 0 = none */
};

#endif /* ARX_PUBLIC_SCHED_H */
