/*
 * Attacks on the interrupt controller: distributor state of interrupts the
 * domain does not have, routing to CPUs it does not have, redistributors
 * beyond its own vCPUs, and SGIs aimed outside its own vCPUs. The first
 * must read as zero and change nothing, the second must not stick, the
 * third must abort, the last must reach nobody (and nothing may crash).
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/exception.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/mmio.h>
#include <testos/smp.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "attack.h"
#include "cases.h"

#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_IROUTER 0x6000
#define GICR_FRAME 0x10000
#define GICR_STRIDE 0x20000		/* RD_base + SGI_base, no vLPI frames */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_TYPER_LAST (1u << 4)
#define LAST_LINE 1019			/* the last INTID that can be an interrupt line */

/* Writes `ones` to an unimplemented register; it must read as zero afterwards. */
static bool raz_wi(const char *name, uint64_t reg, uint32_t ones, unsigned int first)
{
	uint32_t v;

	writel(reg, ones);
	v = readl(reg);
	return case_check(v == 0, "%s for INTIDs from %u (not implemented) reads %#x after "
			  "writing %#x", name, first, v, ones);
}

/* One-bit banks: set-enable, set-pending, set-active, group, for every word past `lines`. */
static bool bit_banks(uint64_t base, unsigned int from, unsigned int to)
{
	static const struct { const char *name; uint32_t set, clear; } banks[] = {
		{ "ISENABLER", GICD_ISENABLER, GICD_ICENABLER },
		{ "ISPENDR", GICD_ISPENDR, GICD_ICPENDR },
		{ "ISACTIVER", GICD_ISACTIVER, GICD_ICACTIVER },
		{ "IGROUPR", GICD_IGROUPR, GICD_IGROUPR },
	};

	for (size_t b = 0; b < ARRAY_SIZE(banks); b++) {
		for (unsigned int intid = from; intid < to; intid += 32) {
			bool ok = raz_wi(banks[b].name, base + banks[b].set + intid / 8,
					 0xffffffff, intid);

			writel(base + banks[b].clear + intid / 8, banks[b].clear ==
			       banks[b].set ? 0 : 0xffffffff);
			if (!ok)
				return false;
		}
	}
	return true;
}

/* Byte-per-interrupt banks (priority, GICv2 targets) and the configuration bank. */
static bool field_banks(uint64_t base, unsigned int from, unsigned int to, bool targets)
{
	for (unsigned int intid = from; intid < to; intid += 4) {
		if (!raz_wi("IPRIORITYR", base + GICD_IPRIORITYR + intid, 0xffffffff, intid) ||
		    (targets && !raz_wi("ITARGETSR", base + GICD_ITARGETSR + intid, 0xffffffff,
					intid)))
			return false;
	}
	for (unsigned int intid = from; intid < to; intid += 16) {
		if (!raz_wi("ICFGR", base + GICD_ICFGR + intid / 4, 0xaaaaaaaa, intid))
			return false;
	}
	return true;
}

/* GICv3: routing registers of unimplemented SPIs are RAZ/WI too. */
static bool irouter_beyond(unsigned int from)
{
	for (unsigned int intid = from; intid <= LAST_LINE; intid++) {
		uint64_t reg = board.gicd + GICD_IROUTER + 8UL * intid, v;

		writeq(reg, 0xff00ffffffUL);
		v = readq(reg);
		if (!case_check(v == 0, "GICD_IROUTER%u (not implemented) reads %#lx after a write",
				intid, v))
			return false;
	}
	return true;
}

/*
 * GICv3 with affinity routing: the distributor's copies of the SGI/PPI
 * registers are RAZ/WI, and writing them must not reach the redistributor.
 */
static bool private_in_distributor(void)
{
	uint64_t sgi_base = this_cpu()->gicr + GICR_FRAME;
	uint32_t enabled = readl(sgi_base + GICD_ISENABLER);

	if (!bit_banks(board.gicd, 0, 32) || !field_banks(board.gicd, 0, 32, false))
		return false;
	return case_check(readl(sgi_base + GICD_ISENABLER) == enabled,
			  "writing GICD_ISENABLER0 changed the redistributor's enables from %#x to "
			  "%#x", enabled, readl(sgi_base + GICD_ISENABLER));
}

static uint32_t own_targets(void)
{
	uint32_t mask = 0;

	for (unsigned int i = 0; i < board.nr_cpus && i < 8; i++)
		mask |= 1u << i;
	return mask;
}

/* Routing an implemented SPI to CPUs the domain does not have must not stick. */
static bool foreign_routing(unsigned int lines)
{
	unsigned int spi = lines - 1;

	if (board.gic == GIC_V2) {
		uint64_t reg = board.gicd + GICD_ITARGETSR + spi;
		uint8_t old = readb(reg), v;

		writeb(reg, (uint8_t)~own_targets());
		v = readb(reg);
		writeb(reg, old);
		return case_check(!(v & ~own_targets()), "GICD_ITARGETSR of SPI %u kept %#x, "
				  "naming CPUs beyond the domain's %u", spi, v, board.nr_cpus);
	}
	/* Aff0 of an absent vCPU, Aff0 255, then Aff1, Aff2, Aff3 set. */
	const uint64_t foreign[] = { board.nr_cpus, 0xff, 1UL << 8, 1UL << 16, 1UL << 32 };
	uint64_t reg = board.gicd + GICD_IROUTER + 8UL * spi, old = readq(reg);

	for (size_t i = 0; i < ARRAY_SIZE(foreign); i++) {
		uint64_t v;

		writeq(reg, foreign[i]);
		v = readq(reg);
		writeq(reg, old);
		if (!case_check((v & 0xff00ffff00UL) == 0 && (v & 0xff) < board.nr_cpus,
				"GICD_IROUTER%u reads %#lx after routing to %#lx, a CPU the domain "
				"does not have", spi, v, foreign[i]))
			return false;
	}
	return true;
}

void case_attack_gicd_lines(void)
{
	unsigned int lines = gic_nr_lines();

	printf("# attack_gicd_lines: the distributor implements %u lines\n", lines);
	if (lines < GIC_SPURIOUS_FIRST &&
	    (!bit_banks(board.gicd, lines, 1024) ||
	     !field_banks(board.gicd, lines, GIC_SPURIOUS_FIRST, board.gic == GIC_V2) ||
	     (board.gic == GIC_V3 && !irouter_beyond(lines))))
		return;
	if (board.gic == GIC_V3 && !private_in_distributor())
		return;
	if (lines > 32)
		foreign_routing(lines);
}

/* RD_base of the i-th redistributor of the first region. */
static uint64_t gicr_frame(unsigned int i)
{
	return board.gicr_base[0] + (uint64_t)i * GICR_STRIDE;
}

/* Redistributors past the domain's own: every frame access must abort. */
static bool frames_beyond(unsigned int own)
{
	static const uint64_t offsets[] = {
		GICR_CTLR, GICR_TYPER, GICR_WAKER, GICR_FRAME + GICD_ISENABLER,
		GICR_FRAME + GICD_ISPENDR, GICR_FRAME + GICD_IPRIORITYR,
	};

	for (unsigned int i = own; i < own + 8; i++) {
		for (size_t k = 0; k < ARRAY_SIZE(offsets); k++) {
			uint64_t a = gicr_frame(i) + offsets[k];

			if (attack_is_own(a, 4))
				continue;
			if (!attack_access(ACC_LDRW, a) || !attack_access(ACC_STRW, a))
				return false;
		}
	}
	return true;
}

/* Each own frame names its CPU; only the last one says it is the last. */
static bool own_frames(unsigned int own)
{
	for (unsigned int i = 0; i < own; i++) {
		uint32_t typer = readl(gicr_frame(i) + GICR_TYPER);
		bool last = typer & GICR_TYPER_LAST;

		if (!case_check(last == (i == own - 1), "GICR_TYPER of frame %u (of %u) has "
				"Last = %d", i, own, last))
			return false;
	}
	return true;
}

/*
 * Any vCPU may program another vCPU's redistributor of the same domain;
 * what it writes there must land in that vCPU's state alone.
 */
static bool cross_vcpu_state(unsigned int own)
{
	uint64_t prio1 = gicr_frame(1) + GICR_FRAME + GICD_IPRIORITYR + 8;
	uint64_t prio0 = gicr_frame(0) + GICR_FRAME + GICD_IPRIORITYR + 8;
	uint32_t old1, old0, v1, v0;

	if (own < 2)
		return true;
	old1 = readl(prio1);
	old0 = readl(prio0);
	writel(prio1, 0x40404040);
	v1 = readl(prio1);
	v0 = readl(prio0);
	writel(prio1, old1);
	return case_check(v1 == 0x40404040, "frame 1's IPRIORITYR2 reads %#x after writing "
			  "0x40404040", v1) &&
	       case_check(v0 == old0, "writing frame 1's IPRIORITYR2 changed frame 0's from %#x "
			  "to %#x", old0, v0);
}

void case_attack_gicr_frames(void)
{
	unsigned int own;

	if (board.gic != GIC_V3) {
		case_skip("GICv2 has no redistributors");
		return;
	}
	own = (unsigned int)(board.gicr_size[0] / GICR_STRIDE);
	attack_tally_start();
	if (own_frames(own) && cross_vcpu_state(own) && frames_beyond(own))
		attack_tally_print("attack_gicr_frames");
}

/*
 * Access sizes the GIC spec does not allow at an offset (UNPREDICTABLE):
 * arx refuses each with a data abort, and the registers keep their state.
 */
struct bad_size {
	uint32_t offset;
	enum access load, store;
};

static const struct bad_size dist_bad[] = {
	{ GICD_CTLR, ACC_LDRB, ACC_STRB }, { GICD_CTLR, ACC_LDRH, ACC_STRH },
	{ GICD_CTLR, ACC_LDRX, ACC_STRX }, { GICD_TYPER, ACC_LDRB, ACC_STRB },
	{ GICD_ISENABLER + 4, ACC_LDRB, ACC_STRB }, { GICD_ISENABLER + 4, ACC_LDRH, ACC_STRH },
	{ GICD_ISENABLER, ACC_LDRX, ACC_STRX }, { GICD_ICENABLER + 4, ACC_LDRB, ACC_STRB },
	{ GICD_IPRIORITYR + 32, ACC_LDRH, ACC_STRH }, { GICD_IPRIORITYR + 32, ACC_LDRX, ACC_STRX },
	{ GICD_ICFGR + 8, ACC_LDRB, ACC_STRB }, { GICD_ICFGR + 8, ACC_LDRH, ACC_STRH },
	{ GICD_ICFGR + 8, ACC_LDRX, ACC_STRX },
};

static const struct bad_size v2_bad[] = {
	{ GICD_ITARGETSR + 32, ACC_LDRH, ACC_STRH }, { GICD_ITARGETSR + 32, ACC_LDRX, ACC_STRX },
	{ GICD_SGIR, ACC_LDRB, ACC_STRB }, { GICD_SGIR, ACC_LDRH, ACC_STRH },
};

static const struct bad_size v3_bad[] = {
	{ GICD_IROUTER + 8 * 32, ACC_LDRB, ACC_STRB }, { GICD_IROUTER + 8 * 32, ACC_LDRH, ACC_STRH },
	{ GICD_IROUTER + 8 * 32 + 4, ACC_LDRB, ACC_STRB },
};

static const struct bad_size gicr_bad[] = {
	{ GICR_CTLR, ACC_LDRB, ACC_STRB }, { GICR_WAKER, ACC_LDRH, ACC_STRH },
	{ GICR_WAKER - 4, ACC_LDRX, ACC_STRX }, { GICR_FRAME + GICD_ISENABLER, ACC_LDRB, ACC_STRB },
	{ GICR_FRAME + GICD_ISENABLER, ACC_LDRX, ACC_STRX },
	{ GICR_FRAME + GICD_IPRIORITYR, ACC_LDRH, ACC_STRH },
	{ GICR_FRAME + GICD_ICFGR, ACC_LDRB, ACC_STRB },
};

static bool refused(uint64_t base, const struct bad_size *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t a = base + list[i].offset;

		if (!attack_access(list[i].load, a) || !attack_access(list[i].store, a))
			return false;
	}
	return true;
}

/* The state words the refused stores aimed at (registers that change by themselves left out). */
static const uint32_t dist_state[] = {
	GICD_CTLR, GICD_ISENABLER + 4, GICD_IPRIORITYR + 32, GICD_IPRIORITYR + 36,
	GICD_ICFGR + 8, GICD_ICFGR + 12,
};
static const uint32_t v2_state[] = { GICD_ITARGETSR + 32, GICD_ITARGETSR + 36 };
static const uint32_t v3_state[] = { GICD_IROUTER + 8 * 32, GICD_IROUTER + 8 * 32 + 4 };
static const uint32_t gicr_state[] = {
	GICR_CTLR, GICR_WAKER, GICR_FRAME + GICD_ISENABLER, GICR_FRAME + GICD_IPRIORITYR,
	GICR_FRAME + GICD_ICFGR,
};

#define MAX_STATE 16

struct state {
	uint64_t base;
	const uint32_t *offsets;
	size_t n;
	uint32_t words[MAX_STATE];
};

static void snapshot(struct state *s, uint64_t base, const uint32_t *offsets, size_t n)
{
	s->base = base;
	s->offsets = offsets;
	s->n = n;
	for (size_t i = 0; i < n; i++)
		s->words[i] = readl(base + offsets[i]);
}

static bool unchanged(const struct state *s)
{
	for (size_t i = 0; i < s->n; i++) {
		uint32_t now = readl(s->base + s->offsets[i]);

		if (!case_check(now == s->words[i], "the word at %#lx was %#x before the refused "
				"accesses, %#x after", s->base + s->offsets[i], s->words[i], now))
			return false;
	}
	return true;
}

void case_attack_gic_sizes(void)
{
	bool v3 = board.gic == GIC_V3;
	uint64_t gicr = this_cpu()->gicr;
	struct state dist, version, redist = { 0 };

	snapshot(&dist, board.gicd, dist_state, ARRAY_SIZE(dist_state));
	snapshot(&version, board.gicd, v3 ? v3_state : v2_state, 2);
	if (v3)
		snapshot(&redist, gicr, gicr_state, ARRAY_SIZE(gicr_state));
	attack_tally_start();
	if (!refused(board.gicd, dist_bad, ARRAY_SIZE(dist_bad)) ||
	    !(v3 ? refused(board.gicd, v3_bad, ARRAY_SIZE(v3_bad)) :
		   refused(board.gicd, v2_bad, ARRAY_SIZE(v2_bad))) ||
	    (v3 && !refused(gicr, gicr_bad, ARRAY_SIZE(gicr_bad))))
		return;
	if (unchanged(&dist) && unchanged(&version) && unchanged(&redist))
		attack_tally_print("attack_gic_sizes");
}
