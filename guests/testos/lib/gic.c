/* The GIC front end: picks GICv2 or GICv3 from the board and forwards to it. */
#include <testos/board.h>
#include <testos/gic.h>
#include <testos/mmio.h>

/* GIC spec: at most 1020 INTIDs are interrupt lines (1020..1023 are special). */
#define GICD_TYPER_ITLINES(typer) ((typer) & 0x1f)

static const struct gic_ops *ops;

void gic_init(void)
{
	ops = board.gic == GIC_V3 ? &gicv3_ops : &gicv2_ops;
	ops->init();
}

const char *gic_cpu_init(void)
{
	return ops->cpu_init();
}

void gic_enable(unsigned int intid)
{
	ops->enable(intid, true);
}

void gic_disable(unsigned int intid)
{
	ops->enable(intid, false);
}

bool gic_pending(unsigned int intid)
{
	return ops->pending(intid);
}

void gic_clear_pending(unsigned int intid)
{
	ops->clear_pending(intid);
}

unsigned int gic_ack(uint32_t *raw)
{
	return ops->ack(raw);
}

unsigned int gic_highest_pending(void)
{
	return ops->highest_pending();
}

void gic_eoi(uint32_t raw)
{
	ops->eoi(raw);
}

void gic_send_sgi(unsigned int cpu, unsigned int sgi)
{
	ops->send_sgi(cpu, sgi);
}

unsigned int gic_nr_lines(void)
{
	unsigned int lines = 32 * (GICD_TYPER_ITLINES(readl(board.gicd + GICD_TYPER)) + 1);

	return MIN(lines, (unsigned int)GIC_SPURIOUS_FIRST);
}
