/* Generic interrupt dispatch over the GIC driver chosen at boot. */
#include <arx/console.h>
#include <arx/irq.h>

struct irq_slot {
	irq_handler_t handler;
	void *ctx;
};

static const struct irq_chip *chip;
static struct irq_slot slots[IRQ_MAX];

const char *irq_init(const struct platform *p)
{
	chip = p->gic.version == 3 ? &gicv3_chip : &gicv2_chip;
	const char *err = chip->init(&p->gic);
	if (!err)
		irq_init_cpu();
	return err;
}

void irq_init_cpu(void)
{
	chip->init_cpu();
}

void irq_register(unsigned int intid, irq_handler_t handler, void *ctx)
{
	if (intid < IRQ_MAX)
		slots[intid] = (struct irq_slot){ handler, ctx };
}

void irq_enable(unsigned int intid)
{
	chip->set_enabled(intid, true);
}

void irq_set_enabled(unsigned int intid, bool on)
{
	chip->set_enabled(intid, on);
}

void irq_send_sgi(unsigned int cpu, unsigned int sgi)
{
	chip->send_sgi(cpu, sgi);
}

/*
 * Takes what is pending, but at most a batch at a time: a level interrupt
 * that its handler failed to quiet must not keep a CPU here forever.
 */
#define IRQ_BATCH 32

void irq_dispatch(void)
{
	for (int i = 0; i < IRQ_BATCH; i++) {
		uint32_t raw;
		unsigned int intid = chip->ack(&raw);
		if (intid >= IRQ_MAX)
			return; /* spurious: nothing (more) pending */
		struct irq_slot *s = &slots[intid];
		if (s->handler)
			s->handler(intid, s->ctx);
		else
			printk("arx: unexpected interrupt %u\n", intid);
		chip->eoi(raw);
	}
}
