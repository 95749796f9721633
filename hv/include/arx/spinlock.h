/* Ticket spinlocks: fair between CPUs, with interrupts masked while held. */
#ifndef ARX_SPINLOCK_H
#define ARX_SPINLOCK_H

#include "types.h"

typedef struct {
	volatile uint16_t owner;
	volatile uint16_t next;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

/* Returns the interrupt mask state to hand back to spin_unlock_irqrestore. */
uint64_t spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

#endif
