/*
 * GICv2: distributor and CPU interface, both memory-mapped (GIC spec v2,
 * chapter 4). Private interrupts are banked per CPU in the distributor.
 */
#include <testos/board.h>
#include <testos/cpu.h>
#include <testos/sysreg.h>
#include "gic_regs.h"

#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_HPPIR 0x18

/*
 * Enable bits for group 0 and group 1. Without the Security Extensions
 * (QEMU natively) interrupts are group 0 and signalled as IRQ; in the
 * non-secure view only bit 0 exists and enables group 1. Both work.
 */
#define GICD_CTLR_ENABLE 0x3
#define GICC_CTLR_ENABLE 0x1
#define GICC_IAR_INTID(iar) ((iar) & 0x3ff)
#define GIC_PMR_ALL 0xf0	/* let every priority above the lowest through */

static void gicv2_init(void)
{
	unsigned int lines = gic_nr_lines();

	writel(board.gicd + GICD_CTLR, 0);
	for (unsigned int intid = 32; intid < lines; intid += 32) {
		writel(board.gicd + GICD_ICENABLER + intid / 8, 0xffffffff);
		writel(board.gicd + GICD_ICPENDR + intid / 8, 0xffffffff);
	}
	writel(board.gicd + GICD_CTLR, GICD_CTLR_ENABLE);
}

/*
 * Reading any of the first eight ITARGETSR gives the reading CPU's own
 * interface bit (RAZ on a uniprocessor GIC: then it is interface 0).
 */
static uint32_t own_target(void)
{
	uint32_t t = readl(board.gicd + GICD_ITARGETSR) & 0xff;

	return t ? t : 1;
}

static const char *gicv2_cpu_init(void)
{
	struct cpu *c = this_cpu();

	store_release(&c->gic_target, own_target());
	writel(board.gicd + GICD_ICENABLER, 0xffffffff);
	writel(board.gicd + GICD_ICPENDR, 0xffffffff);
	gic_set_private_priorities(board.gicd + GICD_IPRIORITYR, GIC_PRIO_DEFAULT);
	writel(board.gicc + GICC_PMR, GIC_PMR_ALL);
	writel(board.gicc + GICC_BPR, 0);
	writel(board.gicc + GICC_CTLR, GICC_CTLR_ENABLE);
	return NULL;
}

static void gicv2_enable(unsigned int intid, bool on)
{
	gic_write_bit(board.gicd + (on ? GICD_ISENABLER : GICD_ICENABLER), intid);
}

static bool gicv2_pending(unsigned int intid)
{
	return gic_test_bit(board.gicd + GICD_ISPENDR, intid);
}

static void gicv2_clear_pending(unsigned int intid)
{
	gic_write_bit(board.gicd + GICD_ICPENDR, intid);
}

/* For SGIs the raw value also names the sender; GICC_EOIR wants it whole. */
static unsigned int gicv2_ack(uint32_t *raw)
{
	*raw = readl(board.gicc + GICC_IAR);
	return GICC_IAR_INTID(*raw);
}

static unsigned int gicv2_highest_pending(void)
{
	return GICC_IAR_INTID(readl(board.gicc + GICC_HPPIR));
}

static void gicv2_eoi(uint32_t raw)
{
	writel(board.gicc + GICC_EOIR, raw);
}

static void gicv2_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint32_t target = cpu < TESTOS_MAX_CPUS ? load_acquire(&cpus[cpu].gic_target) : 0;

	dsb(sy);	/* what the receiver will read is written before it is told */
	writel(board.gicd + GICD_SGIR, (target & 0xff) << 16 | (sgi & 0xf));
}

const struct gic_ops gicv2_ops = {
	.init = gicv2_init,
	.cpu_init = gicv2_cpu_init,
	.enable = gicv2_enable,
	.pending = gicv2_pending,
	.clear_pending = gicv2_clear_pending,
	.ack = gicv2_ack,
	.highest_pending = gicv2_highest_pending,
	.eoi = gicv2_eoi,
	.send_sgi = gicv2_send_sgi,
};
