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
 * QEMU before 8.0 reports in GICD_TYPER one block of 32 SPIs fewer than its
 * GICv3 model implements (fixed upstream). That model is recognised by its
 * GICD_IIDR (implementer ARM, product 0, revision 0); arx's virtual GIC
 * reports an IIDR of its own, so this never excuses arx.
 */
#define GICD_IIDR 0x008
#define QEMU_GICV3_IIDR 0x43b

static unsigned int first_unimplemented(unsigned int lines)
{
	if (board.gic != GIC_V3 || readl(board.gicd + GICD_IIDR) != QEMU_GICV3_IIDR)
		return lines;
	printf("# gicd_beyond_lines: QEMU's GICv3 (IIDR %#x) implements 32 SPIs more than "
	       "GICD_TYPER says; checking from INTID %u\n", QEMU_GICV3_IIDR, lines + 32);
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

static void check_block(unsigned int enable_intid, unsigned int prio_intid)
{
	uint64_t enable = GICD_ISENABLER + enable_intid / 8;
	uint64_t prio = GICD_IPRIORITYR + prio_intid;

	check_raz_wi("GICD_ISENABLER", enable, enable_intid, enable_intid + 31,
		     enable + (GICD_ICENABLER - GICD_ISENABLER), 0xffffffff);
	check_raz_wi("GICD_IPRIORITYR", prio, prio_intid, prio_intid + 3, prio, 0);
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
