/*
 * Interrupt dispatch at EL1. The vector acknowledges each interrupt at the
 * GIC, counts SGIs and PPIs per CPU, calls the handler set for the INTID and
 * signals the end of the interrupt.
 */
#ifndef TESTOS_IRQ_H
#define TESTOS_IRQ_H

#include <arx/types.h>

/* Handlers exist for SGIs, PPIs and the first SPIs. */
#define IRQ_NR_HANDLERS 64

typedef void (*irq_handler_t)(unsigned int intid);

/* Shared by all CPUs: set it before the interrupt can arrive on any of them. */
void irq_set_handler(unsigned int intid, irq_handler_t handler);
void irq_reset_handlers(void);

/* How many times this CPU took a given SGI or PPI. */
uint32_t irq_count(unsigned int cpu, unsigned int intid);

/* How many interrupts other than SGIs came to this CPU without a handler. */
uint32_t irq_unhandled(unsigned int cpu);

/* From the IRQ vector. */
void irq_dispatch(void);

/* After a case was abandoned inside a handler: end that interrupt at the GIC. */
void irq_abandon_active(void);

#endif
