/* The interrupt controller as a guest sees it: SGIs between CPUs, the distributor's limits. */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/mmio.h>
#include <testos/smp.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

#define GICD_ITARGETSR 0x800
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_IROUTER 0x6000
#define GICR_SGI_FRAME 0x10000
#define GICD_TYPER_CPUS(typer) ((((typer) >> 5) & 7) + 1)
#define SGI_PING 5
#define SGI_PONG 6
#define SGI_TIMEOUT_US 1000000

/* On the secondary: wait for a ping from CPU 0 and answer it with a pong. */
static void answer_ping(void *arg)
{
	uint32_t *ready = arg;
	unsigned int me = this_cpu_id();
	uint32_t before = irq_count(me, SGI_PING);

	gic_enable(SGI_PING);
	irq_unmask();
	store_release(ready, 1);
	if (WAIT_UNTIL(irq_count(me, SGI_PING) != before, SGI_TIMEOUT_US))
		gic_send_sgi(0, SGI_PONG);
	irq_mask();
	gic_disable(SGI_PING);
}

static void ping_pong(unsigned int cpu)
{
	uint32_t ready = 0, pings = irq_count(cpu, SGI_PING), pongs = irq_count(0, SGI_PONG);
	int32_t ret = smp_start(cpu, answer_ping, &ready);

	if (!case_check(ret == 0, "CPU_ON of cpu%u returned %d", cpu, ret))
		return;
	if (!case_check(WAIT_UNTIL(load_acquire(&ready), SGI_TIMEOUT_US),
			"cpu%u did not get ready within 1 s", cpu))
		return;
	gic_send_sgi(cpu, SGI_PING);
	case_check(WAIT_UNTIL(irq_count(0, SGI_PONG) != pongs, SGI_TIMEOUT_US),
		   "no SGI %u back from cpu%u within 1 s (it took %u pings)", SGI_PONG, cpu,
		   irq_count(cpu, SGI_PING) - pings);
	case_check(smp_wait_off(cpu, SGI_TIMEOUT_US), "cpu%u did not power off", cpu);
	case_check(irq_count(cpu, SGI_PING) - pings == 1, "cpu%u took %u pings for 1 sent", cpu,
		   irq_count(cpu, SGI_PING) - pings);
	case_check(irq_count(0, SGI_PONG) - pongs == 1, "cpu0 took %u pongs for 1 sent",
		   irq_count(0, SGI_PONG) - pongs);
}

void case_sgi_ping_pong(void)
{
	if (!case_need_cpus(2))
		return;
	gic_enable(SGI_PONG);
	irq_unmask();
	for (unsigned int cpu = 1; cpu < board.nr_cpus; cpu++)
		ping_pong(cpu);
	irq_mask();
	gic_disable(SGI_PONG);
}

/* The last four INTIDs that can be interrupt lines, and the enable word holding them. */
#define LAST_PRIO_WORD 1016
#define LAST_ENABLE_WORD 992

/*
 * QEMU's GIC models (GICv2 and GICv3) are recognised by their GICD_IIDR
 * (implementer ARM, product 0, revision 0), to allow for their known
 * deviations from the spec; arx's virtual GIC reports an IIDR of its own,
 * so these allowances never excuse arx.
 */
#define GICD_IIDR 0x008
#define QEMU_GIC_IIDR 0x43b

static bool qemu_gic(void)
{
	return readl(board.gicd + GICD_IIDR) == QEMU_GIC_IIDR;
}

/*
 * QEMU before 8.0 reports in GICD_TYPER one block of 32 SPIs fewer than its
 * GICv3 model implements (fixed upstream).
 */
static unsigned int first_unimplemented(unsigned int lines)
{
	if (board.gic != GIC_V3 || !qemu_gic())
		return lines;
	printf("# gicd_beyond_lines: QEMU's GICv3 (IIDR %#x) implements 32 SPIs more than "
	       "GICD_TYPER says; checking from INTID %u\n", QEMU_GIC_IIDR, lines + 32);
	return lines + 32;
}

/* Writes ones to a register of unimplemented lines; it must read 0. */
static void check_raz_wi(const char *name, uint64_t offset, unsigned int first,
			 unsigned int last, uint64_t undo_offset, uint32_t undo_value)
{
	uint32_t v;

	writel(board.gicd + offset, 0xffffffff);
	v = readl(board.gicd + offset);
	writel(board.gicd + undo_offset, undo_value);
	case_check(v == 0, "%s of INTIDs %u-%u (beyond %u lines) reads %#x after writing ones",
		   name, first, last, gic_nr_lines(), v);
}

/* The same for one byte of a byte-per-interrupt register (no undo: it keeps nothing). */
static void check_byte_raz_wi(const char *name, uint64_t bank, unsigned int intid)
{
	uint8_t v;

	writeb(board.gicd + bank + intid, 0xff);
	v = readb(board.gicd + bank + intid);
	case_check(v == 0, "%s byte of INTID %u (beyond %u lines) reads %#x after writing 0xff",
		   name, intid, gic_nr_lines(), v);
}

static void check_block(unsigned int enable_intid, unsigned int prio_intid)
{
	uint64_t enable = GICD_ISENABLER + enable_intid / 8;
	uint64_t prio = GICD_IPRIORITYR + prio_intid;

	check_raz_wi("GICD_ISENABLER", enable, enable_intid, enable_intid + 31,
		     enable + (GICD_ICENABLER - GICD_ISENABLER), 0xffffffff);
	check_raz_wi("GICD_IPRIORITYR", prio, prio_intid, prio_intid + 3, prio, 0);
	check_byte_raz_wi("GICD_IPRIORITYR", GICD_IPRIORITYR, prio_intid + 3);
	if (board.gic == GIC_V2)
		check_byte_raz_wi("GICD_ITARGETSR", GICD_ITARGETSR, prio_intid + 2);
}

/*
 * Registers of interrupt lines the distributor does not implement are
 * RAZ/WI (GIC spec: reserved INTIDs): checked for the first block after the
 * implemented lines (off-by-one errors) and for the last one (a model that
 * indexes its state with the INTID unchecked). The last implemented SPI's
 * priority, in contrast, must keep what is written, or the check proves
 * nothing.
 */
void case_gicd_beyond_lines(void)
{
	unsigned int lines = gic_nr_lines(), first = first_unimplemented(lines);
	uint64_t last_prio = board.gicd + GICD_IPRIORITYR + lines - 4;
	uint32_t v;

	if (first >= GIC_SPURIOUS_FIRST) {
		case_skip("the distributor implements all %u interrupt lines", first);
		return;
	}
	writel(last_prio, 0xa0a0a0a0);
	v = readl(last_prio);
	writel(last_prio, 0);
	case_check(v != 0, "GICD_IPRIORITYR of INTIDs %u-%u (implemented) reads 0 after a write",
		   lines - 4, lines - 1);
	check_block(first, first);
	if (first < LAST_ENABLE_WORD)
		check_block(LAST_ENABLE_WORD, LAST_PRIO_WORD);
}

/*
 * Byte and 64-bit accesses where the GIC spec allows them (GICv2 4.1.4,
 * GICv3 12.1.3): every register takes words; IPRIORITYR, ITARGETSR and the
 * SGI pending registers also take bytes; GICv3's IROUTER takes 64 bits or
 * either 32-bit half. Other sizes are UNPREDICTABLE: attack_gic_sizes checks
 * what arx does with them.
 */

/* The priority bits a GIC keeps are the high-order ones, at least four of them. */
static bool prio_mask_valid(uint8_t mask)
{
	uint8_t low = (uint8_t)~mask;

	return (mask & 0xf0) == 0xf0 && (low & (low + 1)) == 0;
}

/*
 * Byte writes to one IPRIORITYR word change only their own byte; returns
 * the priority bits implemented (what 0xff reads back as), 0 on failure.
 */
static uint8_t priority_bytes(const char *frame, uint64_t word, unsigned int intid)
{
	uint32_t old = readl(word), ones, mixed;
	uint8_t mask;

	writel(word, 0);
	writeb(word + 1, 0xff);
	ones = readl(word);
	mask = (uint8_t)(ones >> 8);
	writeb(word + 2, 0x5a);
	mixed = readl(word);
	writel(word, old);
	if (!case_check(ones == (uint32_t)mask << 8 && prio_mask_valid(mask),
			"%s IPRIORITYR of INTIDs %u-%u reads %#x after writing 0xff to byte 1 of 0",
			frame, intid, intid + 3, ones) ||
	    !case_check(mixed == (ones | (uint32_t)(0x5a & mask) << 16),
			"%s IPRIORITYR of INTIDs %u-%u reads %#x after writing 0x5a to byte 2 "
			"(priority bits %#x)", frame, intid, intid + 3, mixed, mask))
		return 0;
	return mask;
}

/* The distributor's (SPI) and this CPU's (SGI) priorities implement the same bits. */
void case_gicd_priority_bytes(void)
{
	unsigned int lines = gic_nr_lines(), spi = (lines - 4) & ~3u;
	uint64_t private = board.gic == GIC_V3 ? this_cpu()->gicr + GICR_SGI_FRAME : board.gicd;
	uint8_t shared_mask, private_mask;

	if (!case_check(lines > 32, "the distributor has no SPIs (%u lines)", lines))
		return;
	shared_mask = priority_bytes("GICD", board.gicd + GICD_IPRIORITYR + spi, spi);
	private_mask = priority_bytes(board.gic == GIC_V3 ? "GICR" : "banked GICD",
				      private + GICD_IPRIORITYR + 8, 8);
	printf("# gicd_priority_bytes: priority bits %#x (SPIs), %#x (SGIs)\n", shared_mask,
	       private_mask);
	if (shared_mask && private_mask)
		case_check(shared_mask == private_mask, "SPIs keep priority bits %#x, SGIs %#x",
			   shared_mask, private_mask);
}

/*
 * GICv2 ITARGETSR: a byte names the target CPUs of one SPI; bits of CPU
 * interfaces the GIC lacks read as 0, and on a uniprocessor GIC all of it is
 * RAZ/WI. The SGI/PPI bytes read as the reading CPU's own bit, read-only.
 * QEMU's GICv2 (7.2) keeps the bits of absent interfaces: allowed for it.
 */
static void targets_v2(unsigned int spi)
{
	unsigned int nr_ifaces = GICD_TYPER_CPUS(readl(board.gicd + GICD_TYPER));
	uint8_t own = nr_ifaces == 1 ? 0 : (uint8_t)((1u << nr_ifaces) - 1), b, me, me_after;
	uint64_t word = board.gicd + GICD_ITARGETSR + (spi & ~3u), ppi = board.gicd + GICD_ITARGETSR + 27;
	uint32_t old = readl(word), v, others = ~(0xffu << 8 * (spi & 3));

	writeb(word + (spi & 3), 0xff);
	b = readb(word + (spi & 3));
	v = readl(word);
	writel(word, old);
	me = readb(ppi);
	writeb(ppi, 0xff);
	me_after = readb(ppi);
	if (b != own && (b & own) == own && qemu_gic()) {
		printf("# gicd_routing: QEMU's GICv2 (IIDR %#x) keeps target bits of CPU interfaces "
		       "it lacks (%#x); checking only its own\n", QEMU_GIC_IIDR, b);
		b = own;
	}
	if (!case_check(b == own, "ITARGETSR of SPI %u reads %#x after writing 0xff (%u CPU "
			"interfaces)", spi, b, nr_ifaces) ||
	    !case_check((v & others) == (old & others), "a byte write to ITARGETSR of SPI %u "
			"changed its neighbours: %#x, was %#x", spi, v, old))
		return;
	case_check(me == me_after && (me & (uint8_t)(me - 1)) == 0 && (me & ~own) == 0 &&
		   (me != 0) == (nr_ifaces > 1), "ITARGETSR of PPI 27 reads %#x, then %#x after "
		   "writing 0xff (%u CPU interfaces)", me, me_after, nr_ifaces);
}

/* An IROUTER value naming testos CPU `cpu`: Aff3 at [39:32], Aff2.Aff1.Aff0 at [23:0]. */
static uint64_t route_to(unsigned int cpu)
{
	return board.mpidr[cpu] & 0xff00ffffffUL;
}

/*
 * GICv3 IROUTER: 64 bits, or either half alone (keeping the other); with
 * affinity routing ITARGETSR is RAZ/WI.
 */
static void routing_v3(unsigned int spi)
{
	uint64_t reg = board.gicd + GICD_IROUTER + 8UL * spi, old = readq(reg);
	uint64_t last = route_to(board.nr_cpus - 1), first = route_to(0), whole, after_low;
	uint32_t low, high, targets;

	writeq(reg, last);
	whole = readq(reg);
	low = readl(reg);
	high = readl(reg + 4);
	writeq(reg, first);
	writel(reg, (uint32_t)last);
	writel(reg + 4, (uint32_t)(last >> 32));
	after_low = readq(reg);
	writeq(reg, old);
	writeb(board.gicd + GICD_ITARGETSR + spi, 0xff);
	targets = readl(board.gicd + GICD_ITARGETSR + (spi & ~3u));
	if (!case_check(whole == last && low == (uint32_t)last && high == (uint32_t)(last >> 32),
			"IROUTER%u reads %#lx (halves %#x, %#x) after writing %#lx", spi, whole,
			high, low, last))
		return;
	if (!case_check(after_low == last, "IROUTER%u reads %#lx after writing %#lx and then "
			"%#lx by halves", spi, after_low, first, last))
		return;
	case_check(targets == 0, "ITARGETSR of SPIs %u-%u reads %#x with affinity routing on",
		   spi & ~3u, (spi & ~3u) + 3, targets);
}

void case_gicd_routing(void)
{
	unsigned int lines = gic_nr_lines();

	if (!case_check(lines > 32, "the distributor has no SPIs (%u lines)", lines))
		return;
	if (board.gic == GIC_V2)
		targets_v2(lines - 1);
	else
		routing_v3(lines - 1);
}

/*
 * GICv2: an SGI a CPU sends itself while it is disabled stays pending, with
 * the sender's bit in its GICD_SPENDSGIR byte; writing that bit to
 * GICD_CPENDSGIR's byte ends it.
 */
#define SGI_PROBE 9
#define GICD_SGIR 0xf00
#define SGIR_TO_SELF (2u << 24)

static void sgi_pending_v2(void)
{
	uint64_t spend = board.gicd + GICD_SPENDSGIR + SGI_PROBE;
	uint8_t me = (uint8_t)this_cpu()->gic_target, sent, left;
	bool pending;

	gic_disable(SGI_PROBE);
	writel(board.gicd + GICD_SGIR, SGIR_TO_SELF | SGI_PROBE);
	sent = readb(spend);
	writeb(board.gicd + GICD_CPENDSGIR + SGI_PROBE, sent);
	left = readb(spend);
	pending = gic_pending(SGI_PROBE);
	if (case_check(sent == me, "SGI %u sent to itself reads %#x in GICD_SPENDSGIR, not its "
		       "own bit %#x", SGI_PROBE, sent, me))
		case_check(!left && !pending, "SGI %u reads %#x in GICD_SPENDSGIR (ISPENDR: %d) "
			   "after writing %#x to GICD_CPENDSGIR", SGI_PROBE, left, pending, sent);
}

/*
 * The SGI pending registers are byte-accessible: each byte reads as that
 * byte of the word (GICv3 with affinity routing: both RAZ).
 */
void case_gicd_sgi_pending_bytes(void)
{
	static const uint64_t regs[] = { GICD_CPENDSGIR, GICD_SPENDSGIR };

	for (size_t r = 0; r < ARRAY_SIZE(regs); r++) {
		for (unsigned int n = 0; n < 16; n++) {
			uint64_t word = board.gicd + regs[r] + (n & ~3u);
			uint32_t w = readl(word);
			uint8_t b = readb(word + (n & 3));

			if (!case_check(b == (uint8_t)(w >> 8 * (n & 3)) &&
					(board.gic == GIC_V2 || w == 0),
					"byte %u of GICD_%sPENDSGIR reads %#x, the word %#x", n,
					r ? "S" : "C", b, w))
				return;
		}
	}
	if (board.gic == GIC_V2)
		sgi_pending_v2();
}
