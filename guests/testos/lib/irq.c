/* Interrupt dispatch: acknowledge, count, handle, end; until nothing is pending. */
#include <testos/console.h>
#include <testos/cpu.h>
#include <testos/gic.h>
#include <testos/irq.h>

static irq_handler_t handlers[IRQ_NR_HANDLERS];

void irq_set_handler(unsigned int intid, irq_handler_t handler)
{
	if (intid < IRQ_NR_HANDLERS)
		handlers[intid] = handler;
}

void irq_reset_handlers(void)
{
	for (unsigned int i = 0; i < IRQ_NR_HANDLERS; i++)
		handlers[i] = NULL;
}

uint32_t irq_count(unsigned int cpu, unsigned int intid)
{
	if (cpu >= TESTOS_MAX_CPUS || intid >= 32)
		return 0;
	return load_acquire(&cpus[cpu].irq_count[intid]);
}

/*
 * SGIs need no handler (the count is what cases look at). Any other
 * interrupt without one is switched off, or a level-triggered source would
 * keep interrupting forever.
 */
static void handle(struct cpu *c, unsigned int intid)
{
	irq_handler_t h = intid < IRQ_NR_HANDLERS ? handlers[intid] : NULL;

	if (intid < 32)
		store_release(&c->irq_count[intid], c->irq_count[intid] + 1);
	if (h) {
		h(intid);
	} else if (intid >= 16) {
		store_release(&c->irq_unhandled, c->irq_unhandled + 1);
		gic_disable(intid);
		printf("# cpu%u: interrupt %u has no handler; disabled it\n", this_cpu_id(), intid);
	}
}

void irq_dispatch(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		uint32_t raw;
		unsigned int intid = gic_ack(&raw);

		if (intid >= GIC_SPURIOUS_FIRST)
			return;
		c->active_raw = raw;
		c->in_irq = 1;
		handle(c, intid);
		c->in_irq = 0;
		gic_eoi(raw);
	}
}

uint32_t irq_unhandled(unsigned int cpu)
{
	return cpu < TESTOS_MAX_CPUS ? load_acquire(&cpus[cpu].irq_unhandled) : 0;
}

void irq_abandon_active(void)
{
	struct cpu *c = this_cpu();

	if (c->in_irq) {
		c->in_irq = 0;
		gic_eoi(c->active_raw);
	}
}
