/* Detecting guests that hang with interrupts masked (hv/core/watchdog.c). */
#ifndef ARX_WATCHDOG_H
#define ARX_WATCHDOG_H

#define WATCHDOG_SECONDS 20 /* default */

struct pcpu;
struct platform;

/* Reads arx.watchdog=SECONDS from arx's command line. */
void watchdog_init(const struct platform *p);
/* From each CPU's tick: checks the vCPU it is running. */
void watchdog_check(struct pcpu *c);

#endif
