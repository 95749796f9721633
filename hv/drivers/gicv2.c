/* GICv2 distributor and CPU interface (ARM IHI 0048B), memory-mapped. */
#include <arch/mmio.h>
#include <arx/irq.h>
#include <arx/percpu.h>

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00

#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010

#define DEFAULT_PRIORITY 0xa0a0a0a0u

static paddr_t gicd, gicc;
static unsigned int nr_irqs;

static const char *gicv2_init(const struct gic_desc *g)
{
	gicd = g->dist.base;
	gicc = g->cpu.base;
	mmio_write32(gicd + GICD_CTLR, 0);
	nr_irqs = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
	if (nr_irqs > IRQ_MAX)
		nr_irqs = IRQ_MAX;
	for (unsigned int i = 32; i < nr_irqs; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, ~0u);
	}
	for (unsigned int i = 32; i < nr_irqs; i += 4) {
		mmio_write32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIORITY);
		mmio_write32(gicd + GICD_ITARGETSR + i, 0x01010101u);
	}
	mmio_write32(gicd + GICD_CTLR, 1);
	return NULL;
}

/* The banked ITARGETSR bytes for SGIs read back as this CPU's own bit. */
static unsigned int own_cpu_interface(void)
{
	uint32_t mask = mmio_read32(gicd + GICD_ITARGETSR) & 0xff;
	return mask ? (unsigned int)__builtin_ctz(mask) : 0;
}

static void gicv2_init_cpu(void)
{
	this_cpu()->gic_cpu_id = own_cpu_interface();
	mmio_write32(gicd + GICD_ICENABLER, 0xffff0000u);
	mmio_write32(gicd + GICD_ISENABLER, 0x0000ffffu);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIORITY);
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, 1);
}

static void gicv2_set_enabled(unsigned int intid, bool on)
{
	if (intid < nr_irqs)
		mmio_write32(gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4,
			     1u << (intid % 32));
}

static unsigned int gicv2_ack(uint32_t *raw)
{
	*raw = mmio_read32(gicc + GICC_IAR);
	return *raw & 0x3ff;
}

static void gicv2_eoi(uint32_t raw)
{
	mmio_write32(gicc + GICC_EOIR, raw);
}

static void gicv2_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint32_t target = 1u << pcpus[cpu].gic_cpu_id;
	__asm__ volatile("dsb ishst" : : : "memory"); /* make prior writes visible first */
	mmio_write32(gicd + GICD_SGIR, (target << 16) | (sgi & 0xf));
}

const struct irq_chip gicv2_chip = {
	.name = "GICv2",
	.init = gicv2_init,
	.init_cpu = gicv2_init_cpu,
	.set_enabled = gicv2_set_enabled,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.send_sgi = gicv2_send_sgi,
};
