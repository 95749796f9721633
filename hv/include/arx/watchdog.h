/* Detecting guests that hang with interrupts masked (hv/core/watchdog.c). */
#ifndef ARX_WATCHDOG_H
#define ARX_WATCHDOG_H

#define WATCHDOG_SECONDS 5

struct pcpu;

/* From each CPU's tick: checks the vCPU it is running. */
void watchdog_check(struct pcpu *c);

#endif
