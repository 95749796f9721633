/*
 * GICv3 (ARM IHI 0069): memory-mapped distributor and redistributors, CPU
 * interface through the ICC_* system registers. Affinity routing is on;
 * arx uses Group 1 for everything (QEMU's GIC has a single security state).
 */
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <arx/irq.h>
#include <arx/percpu.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ICENABLER 0x0180
#define GICD_ISENABLER 0x0100
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_GRP1 BIT(1)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST BIT(4)
#define WAKER_PROCESSOR_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_SGI_BASE 0x10000

#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)
#define DEFAULT_PRIORITY 0xa0a0a0a0u

static const struct gic_desc *gic;
static unsigned int nr_irqs;

static void wait_for_rwp(void)
{
	while (mmio_read32(gic->dist.base + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

static uint64_t mpidr_to_irouter(uint64_t mpidr)
{
	return mpidr & 0xff00ffffffUL;
}

static const char *gicv3_init(const struct gic_desc *g)
{
	paddr_t d = g->dist.base;
	gic = g;
	mmio_write32(d + GICD_CTLR, 0);
	wait_for_rwp();
	nr_irqs = 32 * ((mmio_read32(d + GICD_TYPER) & 0x1f) + 1);
	if (nr_irqs > IRQ_MAX)
		nr_irqs = IRQ_MAX;
	uint64_t boot_cpu = mpidr_to_irouter(read_sysreg(mpidr_el1));
	for (unsigned int i = 32; i < nr_irqs; i += 32) {
		mmio_write32(d + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(d + GICD_ICPENDR + i / 8, ~0u);
		mmio_write32(d + GICD_IGROUPR + i / 8, ~0u);
	}
	for (unsigned int i = 32; i < nr_irqs; i++) {
		if (i % 4 == 0)
			mmio_write32(d + GICD_IPRIORITYR + i, DEFAULT_PRIORITY);
		mmio_write64(d + GICD_IROUTER + 8 * i, boot_cpu);
	}
	wait_for_rwp();
	mmio_write32(d + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_for_rwp();
	if (!(read_sysreg(id_aa64pfr0_el1) & (0xfUL << 24)))
		return "GICv3 found, but this CPU has no GIC system register interface";
	return NULL;
}

/* Walks the redistributor frames for the one whose affinity matches this CPU. */
static paddr_t find_redistributor(uint64_t mpidr)
{
	uint64_t aff = ((mpidr >> 8) & 0xff000000UL) | (mpidr & 0xffffffUL);
	for (unsigned int r = 0; r < gic->nr_redist; r++) {
		paddr_t frame = gic->redist[r].base, end = frame + gic->redist[r].size;
		while (frame + 0x20000 <= end) {
			uint64_t typer = mmio_read64(frame + GICR_TYPER);
			if ((typer >> 32) == aff)
				return frame;
			if (typer & GICR_TYPER_LAST)
				break;
			frame += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
		}
	}
	return 0;
}

static void wake_redistributor(paddr_t rd)
{
	uint32_t waker = mmio_read32(rd + GICR_WAKER);
	mmio_write32(rd + GICR_WAKER, waker & ~WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		;
}

static void gicv3_init_cpu(void)
{
	struct pcpu *cpu = this_cpu();
	paddr_t rd = find_redistributor(read_sysreg(mpidr_el1));
	cpu->gicr_base = rd;
	if (rd) {
		paddr_t sgi = rd + GICR_SGI_BASE;
		wake_redistributor(rd);
		mmio_write32(sgi + GICD_IGROUPR, ~0u);
		mmio_write32(sgi + GICD_ICENABLER, 0xffff0000u);
		mmio_write32(sgi + GICD_ISENABLER, 0x0000ffffu);
		for (unsigned int i = 0; i < 32; i += 4)
			mmio_write32(sgi + GICD_IPRIORITYR + i, DEFAULT_PRIORITY);
	}
	write_sysreg(icc_sre_el2, read_sysreg(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_sysreg(icc_pmr_el1, 0xf0);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, 0);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static void gicv3_set_enabled(unsigned int intid, bool on)
{
	uint32_t reg = on ? GICD_ISENABLER : GICD_ICENABLER; /* same offsets in GICR's SGI frame */
	if (intid < 32) {
		paddr_t rd = this_cpu()->gicr_base;
		if (rd)
			mmio_write32(rd + GICR_SGI_BASE + reg, 1u << intid);
	} else if (intid < nr_irqs) {
		mmio_write32(gic->dist.base + reg + (intid / 32) * 4, 1u << (intid % 32));
	}
}

static unsigned int gicv3_ack(uint32_t *raw)
{
	*raw = (uint32_t)read_sysreg(icc_iar1_el1);
	return *raw & 0xffffff;
}

static void gicv3_eoi(uint32_t raw)
{
	write_sysreg(icc_eoir1_el1, raw);
	isb();
}

static void gicv3_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint64_t m = pcpus[cpu].mpidr;
	uint64_t v = ((m >> 32) & 0xff) << 48 | ((m >> 16) & 0xff) << 32 | (uint64_t)(sgi & 0xf) << 24 |
		     ((m >> 8) & 0xff) << 16 | (1UL << (m & 0xf));
	dsb(ishst);
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

const struct irq_chip gicv3_chip = {
	.name = "GICv3",
	.init = gicv3_init,
	.init_cpu = gicv3_init_cpu,
	.set_enabled = gicv3_set_enabled,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.send_sgi = gicv3_send_sgi,
};
