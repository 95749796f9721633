/*
 * GICv3: memory-mapped distributor and redistributors, CPU interface
 * through the ICC_* system registers (GIC spec v3/v4, chapters 12 and 8).
 * Affinity routing is on, so private interrupts live in each CPU's
 * redistributor (its SGI_base frame), not in the distributor.
 */
#include <testos/board.h>
#include <testos/cpu.h>
#include <testos/sysreg.h>
#include "gic_regs.h"

/* GICD_CTLR as seen with one security state or from non-secure: ARE, Grp1A, Grp1. */
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_ENABLE_G1A (1u << 1)
#define GICD_CTLR_ENABLE_G1 (1u << 0)
#define GICD_CTLR_RWP (1u << 31)

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)

/* The SGI_base frame follows RD_base; each redistributor has 2 frames (4 with vLPIs). */
#define GICR_FRAME 0x10000
#define GICR_SGI_BASE GICR_FRAME

#define ICC_SRE_SRE (1u << 0)
#define ICC_SRE_DFB (1u << 1)
#define ICC_SRE_DIB (1u << 2)
#define ICC_IAR_INTID(iar) ((iar) & 0xffffff)
#define GIC_PMR_ALL 0xf0

/* A bounded wait for a register bit, so a broken GIC shows as a failure, not a hang. */
#define POLL_LIMIT 10000000u

static bool wait_clear(uint64_t reg, uint32_t mask)
{
	for (uint32_t i = 0; i < POLL_LIMIT; i++) {
		if (!(readl(reg) & mask))
			return true;
	}
	return false;
}

static void gicv3_init(void)
{
	unsigned int lines = gic_nr_lines();

	writel(board.gicd + GICD_CTLR, 0);
	wait_clear(board.gicd + GICD_CTLR, GICD_CTLR_RWP);
	/* Group 1: with one security state group 0 would arrive as FIQ. */
	for (unsigned int intid = 32; intid < lines; intid += 32) {
		writel(board.gicd + GICD_ICENABLER + intid / 8, 0xffffffff);
		writel(board.gicd + GICD_ICPENDR + intid / 8, 0xffffffff);
		writel(board.gicd + GICD_IGROUPR + intid / 8, 0xffffffff);
	}
	writel(board.gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1A | GICD_CTLR_ENABLE_G1);
	wait_clear(board.gicd + GICD_CTLR, GICD_CTLR_RWP);
}

/* GICR_TYPER[63:32] holds Aff3.Aff2.Aff1.Aff0 of the CPU the redistributor serves. */
static uint32_t mpidr_to_gicr_affinity(uint64_t mpidr)
{
	return (uint32_t)((mpidr >> 32) & 0xff) << 24 | (uint32_t)(mpidr & 0xffffff);
}

/* Walks one region; read as two 32-bit halves, which every implementation must allow. */
static uint64_t find_in_region(uint64_t base, uint64_t size, uint32_t affinity)
{
	for (uint64_t rd = base; rd + 2 * GICR_FRAME <= base + size;) {
		uint32_t typer_lo = readl(rd + GICR_TYPER);

		if (readl(rd + GICR_TYPER + 4) == affinity)
			return rd;
		if (typer_lo & GICR_TYPER_LAST)
			break;
		rd += (typer_lo & GICR_TYPER_VLPIS) ? 4 * GICR_FRAME : 2 * GICR_FRAME;
	}
	return 0;
}

static uint64_t find_redistributor(void)
{
	uint32_t affinity = mpidr_to_gicr_affinity(read_sysreg(mpidr_el1));

	for (unsigned int i = 0; i < board.nr_redist; i++) {
		uint64_t rd = find_in_region(board.gicr_base[i], board.gicr_size[i], affinity);

		if (rd)
			return rd;
	}
	return 0;
}

static void redistributor_setup(uint64_t rd)
{
	uint64_t sgi = rd + GICR_SGI_BASE;

	writel(rd + GICR_WAKER, readl(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP);
	writel(sgi + GICD_ICENABLER, 0xffffffff);
	writel(sgi + GICD_ICPENDR, 0xffffffff);
	writel(sgi + GICD_IGROUPR, 0xffffffff);
	gic_set_private_priorities(sgi + GICD_IPRIORITYR, GIC_PRIO_DEFAULT);
	wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
}

static const char *cpu_interface_setup(void)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_SRE | ICC_SRE_DFB |
		     ICC_SRE_DIB);
	isb();
	if (!(read_sysreg(icc_sre_el1) & ICC_SRE_SRE))
		return "GICv3: ICC_SRE_EL1.SRE stays 0 (no system register interface)";
	write_sysreg(icc_pmr_el1, GIC_PMR_ALL);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, 0);	/* EOImode 0: EOIR both drops priority and deactivates */
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return NULL;
}

static const char *gicv3_cpu_init(void)
{
	struct cpu *c = this_cpu();

	c->gicr = find_redistributor();
	if (!c->gicr)
		return "GICv3: no redistributor for this CPU's MPIDR";
	redistributor_setup(c->gicr);
	return cpu_interface_setup();
}

/* Private interrupts are in this CPU's SGI_base frame, the rest in the distributor. */
static uint64_t bank(unsigned int intid)
{
	return intid < 32 ? this_cpu()->gicr + GICR_SGI_BASE : board.gicd;
}

static void gicv3_enable(unsigned int intid, bool on)
{
	gic_write_bit(bank(intid) + (on ? GICD_ISENABLER : GICD_ICENABLER), intid);
	if (intid >= 32)
		wait_clear(board.gicd + GICD_CTLR, GICD_CTLR_RWP);
}

static bool gicv3_pending(unsigned int intid)
{
	return gic_test_bit(bank(intid) + GICD_ISPENDR, intid);
}

static void gicv3_clear_pending(unsigned int intid)
{
	gic_write_bit(bank(intid) + GICD_ICPENDR, intid);
}

static unsigned int gicv3_ack(uint32_t *raw)
{
	*raw = (uint32_t)read_sysreg(icc_iar1_el1);
	return ICC_IAR_INTID(*raw);
}

static unsigned int gicv3_highest_pending(void)
{
	return ICC_IAR_INTID(read_sysreg(icc_hppir1_el1));
}

static void gicv3_eoi(uint32_t raw)
{
	write_sysreg(icc_eoir1_el1, raw);
	isb();
}

/*
 * ICC_SGI1R_EL1: Aff3 [55:48], RS [47:44], Aff2 [39:32], INTID [27:24],
 * Aff1 [23:16], target list [15:0] = Aff0 % 16 within the range RS selects.
 */
static void gicv3_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint64_t mpidr = cpu < board.nr_cpus ? board.mpidr[cpu] : 0;
	uint64_t aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff;
	uint64_t aff2 = (mpidr >> 16) & 0xff, aff3 = (mpidr >> 32) & 0xff;
	uint64_t v = aff3 << 48 | (aff0 >> 4) << 44 | aff2 << 32 | (uint64_t)(sgi & 0xf) << 24 |
		     aff1 << 16 | 1UL << (aff0 & 0xf);

	dsb(sy);	/* what the receiver will read is written before it is told */
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

const struct gic_ops gicv3_ops = {
	.init = gicv3_init,
	.cpu_init = gicv3_cpu_init,
	.enable = gicv3_enable,
	.pending = gicv3_pending,
	.clear_pending = gicv3_clear_pending,
	.ack = gicv3_ack,
	.highest_pending = gicv3_highest_pending,
	.eoi = gicv3_eoi,
	.send_sgi = gicv3_send_sgi,
};
