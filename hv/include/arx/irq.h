/*
 * Physical interrupts at EL2: one interface over the GICv2 and GICv3
 * drivers (hv/drivers/gic*.c); the version comes from the device tree.
 */
#ifndef ARX_IRQ_H
#define ARX_IRQ_H

#include "platform.h"

#define SGI_PING 0 /* boot-time IPI check: secondaries answer the boot CPU */
#define SGI_STOP 1 /* halt this CPU (panic, power off) */
#define SGI_KICK 2 /* re-examine the vCPU: power state or new virtual interrupts */
#define SGI_CONSOLE 3 /* a domain's vPL011 has room: feed it what was typed */
#define IRQ_SPURIOUS 1023
#define IRQ_MAX 1020

typedef void (*irq_handler_t)(unsigned int intid, void *ctx);

/* What a GIC driver provides. */
struct irq_chip {
	const char *name;
	/* Distributor set-up; returns NULL or an error message. */
	const char *(*init)(const struct gic_desc *g);
	void (*init_cpu)(void);
	/* PPIs and SGIs: on this CPU only. */
	void (*set_enabled)(unsigned int intid, bool on);
	/* Acknowledges the highest pending interrupt: returns its INTID, *raw for eoi. */
	unsigned int (*ack)(uint32_t *raw);
	void (*eoi)(uint32_t raw);
	void (*send_sgi)(unsigned int cpu, unsigned int sgi);
};

extern const struct irq_chip gicv2_chip, gicv3_chip;

/* Picks and initialises the driver; returns NULL or an error message. */
const char *irq_init(const struct platform *p);
void irq_init_cpu(void);
/* Handlers are shared by all CPUs (PPIs and SGIs are banked per CPU). */
void irq_register(unsigned int intid, irq_handler_t handler, void *ctx);
void irq_enable(unsigned int intid);
/* Masks (or unmasks) one interrupt at the GIC; PPIs on this CPU only. */
void irq_set_enabled(unsigned int intid, bool on);
void irq_send_sgi(unsigned int cpu, unsigned int sgi);
/* Handles every pending interrupt; called by the IRQ exception path. */
void irq_dispatch(void);

#endif
