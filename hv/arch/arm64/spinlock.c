/* Ticket locks on the ARMv8.0 exclusives (via the compiler's atomics). */
#include <arch/sysreg.h>
#include <arx/spinlock.h>

void spin_lock(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		wfe();
}

void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
	dsb(ish);
	sev();
}

uint64_t spin_lock_irqsave(spinlock_t *l)
{
	uint64_t flags = read_sysreg(daif);
	local_irq_disable();
	spin_lock(l);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
	spin_unlock(l);
	write_sysreg(daif, flags);
}
