/*
 * Attacks with software-generated interrupts aimed outside the domain's own
 * vCPUs: GICv2 GICD_SGIR target lists naming CPU interfaces the domain does
 * not have and the reserved target filter; GICv3 ICC_SGI1R_EL1 (and SGI0R,
 * ASGI1R) with affinity levels 1-3 set, range selectors past the domain's
 * CPUs and target bits beyond them. None of those may arrive anywhere the
 * domain can see (or anywhere else: the canary domain watches for strays).
 * Sends that name the domain's own CPUs are mixed in as controls: each of
 * its CPUs must get exactly the SGIs meant for it.
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

#define GICD_SGIR 0xf00
#define NR_SGIS 16
#define SETTLE_US 20000
#define CPU_TIMEOUT_US 1000000

/* ICC_SGI1R_EL1 fields. */
#define SGIR_AFF1(n) ((uint64_t)(n) << 16)
#define SGIR_INTID(n) ((uint64_t)(n) << 24)
#define SGIR_AFF2(n) ((uint64_t)(n) << 32)
#define SGIR_IRM (1UL << 40)
#define SGIR_RS(n) ((uint64_t)(n) << 44)
#define SGIR_AFF3(n) ((uint64_t)(n) << 48)

static uint32_t expected[TESTOS_MAX_CPUS][NR_SGIS];
static uint32_t before[TESTOS_MAX_CPUS][NR_SGIS];
static uint32_t ready[TESTOS_MAX_CPUS];
static uint32_t release;

static void enable_sgis(bool on)
{
	for (unsigned int sgi = 0; sgi < NR_SGIS; sgi++) {
		if (on)
			gic_enable(sgi);
		else
			gic_disable(sgi);
	}
}

/* On each secondary: take SGIs until the boot CPU has checked the counts. */
static void receive(void *arg)
{
	unsigned int me = this_cpu_id();

	(void)arg;
	enable_sgis(true);
	irq_unmask();
	store_release(&ready[me], 1);
	WAIT_UNTIL(load_acquire(&release), 4 * CPU_TIMEOUT_US);
	irq_mask();
	enable_sgis(false);
}

/* Bit i set: testos CPU i is to get one more of `sgi`. */
static void expect(uint32_t cpus_mask, unsigned int sgi)
{
	for (unsigned int c = 0; c < board.nr_cpus; c++) {
		if (cpus_mask & (1u << c))
			expected[c][sgi]++;
	}
}

static uint32_t all_cpus(void)
{
	return (1u << board.nr_cpus) - 1;
}

static uint32_t others(void)
{
	return all_cpus() & ~1u;
}

/* An MSR to an SGI register that may be UNDEFINED (which is a fine answer too). */
#define TRY_MSR(reg, v) do {						\
	fault_expect();							\
	write_sysreg(reg, v);						\
	isb();								\
	if (fault_taken(&f) && ESR_EC(f.esr) != EC_UNKNOWN)		\
		case_fail("MSR " #reg ", %#lx: EC %#x (%s)", (uint64_t)(v),	\
			  ESR_EC(f.esr), esr_class_name(ESR_EC(f.esr)));	\
} while (0)

static void send_v2(void)
{
	uint32_t own = 0, foreign;
	struct fault f;

	for (unsigned int c = 0; c < board.nr_cpus; c++)
		own |= load_acquire(&cpus[c].gic_target);
	foreign = 0xff & ~own;
	if (foreign) {
		writel(board.gicd + GICD_SGIR, foreign << 16 | 1);		/* nobody */
		writel(board.gicd + GICD_SGIR, 3u << 24 | foreign << 16 | 2);	/* reserved */
	}
	writel(board.gicd + GICD_SGIR, 1u << 24 | 3);		/* all but self */
	expect(others(), 3);
	writel(board.gicd + GICD_SGIR, 2u << 24 | 4);		/* self */
	expect(1, 4);
	if (own & ~cpus[0].gic_target) {
		writel(board.gicd + GICD_SGIR, (own & ~cpus[0].gic_target) << 16 | 5);
		expect(others(), 5);
	}
	writel(board.gicd + GICD_SGIR, 0xffu << 16 | 6);	/* every interface */
	expect(all_cpus(), 6);
	/* The GICv3 system register does not exist here. */
	TRY_MSR(icc_sgi1r_el1, SGIR_INTID(7) | 0xffff);
}

/* The target-list bits of the domain's CPUs (those with Aff1-3 zero and Aff0 < 16). */
static uint64_t own_list(uint32_t cpus_mask)
{
	uint64_t list = 0;

	for (unsigned int c = 0; c < board.nr_cpus; c++) {
		uint64_t m = board.mpidr[c];

		if ((cpus_mask & (1u << c)) && !(m & 0xff00ffff00UL) && (m & 0xff) < 16)
			list |= 1UL << (m & 0xff);
	}
	return list;
}

static void sgi1r(uint64_t v)
{
	dsb(sy);
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

static void send_v3(void)
{
	uint64_t own = own_list(all_cpus()), foreign = 0xffff & ~own;
	struct fault f;

	sgi1r(SGIR_AFF1(1) | SGIR_INTID(1) | 0xffff);
	sgi1r(SGIR_AFF2(1) | SGIR_INTID(2) | 0xffff);
	sgi1r(SGIR_AFF3(1) | SGIR_INTID(7) | 0xffff);
	sgi1r(SGIR_RS(1) | SGIR_INTID(8) | 0xffff);		/* Aff0 16..31 */
	sgi1r(SGIR_RS(15) | SGIR_INTID(9) | 0xffff);		/* Aff0 240..255 */
	if (foreign)
		sgi1r(SGIR_INTID(10) | foreign);
	sgi1r(SGIR_IRM | SGIR_INTID(3));
	expect(others(), 3);
	sgi1r(SGIR_INTID(4) | own_list(1));
	expect(1, 4);
	if (own_list(others())) {
		sgi1r(SGIR_INTID(5) | own_list(others()));
		expect(others(), 5);
	}
	sgi1r(SGIR_INTID(6) | 0xffff);
	expect(all_cpus(), 6);
	/* IRM=1 means every CPU but the sender, whatever the other fields say. */
	sgi1r(SGIR_IRM | SGIR_AFF3(1) | SGIR_RS(15) | SGIR_AFF1(1) | SGIR_INTID(11) | 0xffff);
	expect(others(), 11);
	TRY_MSR(icc_sgi0r_el1, SGIR_AFF1(1) | SGIR_INTID(12) | 0xffff);
	TRY_MSR(icc_asgi1r_el1, SGIR_RS(1) | SGIR_INTID(13) | 0xffff);
	if (foreign)
		TRY_MSR(icc_sgi0r_el1, SGIR_INTID(14) | foreign);
}

static bool start_receivers(void)
{
	for (unsigned int c = 1; c < board.nr_cpus; c++) {
		int32_t r;

		store_release(&ready[c], 0);
		r = smp_start(c, receive, NULL);
		if (!case_check(r == 0, "CPU_ON of cpu%u returned %d", c, r) ||
		    !case_check(WAIT_UNTIL(load_acquire(&ready[c]), CPU_TIMEOUT_US),
				"cpu%u did not get ready within 1 s", c))
			return false;
	}
	return true;
}

/* Fails with the first difference; lists them all, as each is a different send. */
static void compare(void)
{
	for (unsigned int c = 0; c < board.nr_cpus; c++) {
		for (unsigned int sgi = 0; sgi < NR_SGIS; sgi++) {
			uint32_t got = irq_count(c, sgi) - before[c][sgi];

			if (got == expected[c][sgi])
				continue;
			printf("# attack_sgi_targets: cpu%u took SGI %u %u times, expected %u\n", c,
			       sgi, got, expected[c][sgi]);
			case_fail("cpu%u took SGI %u %u times, expected %u", c, sgi, got,
				  expected[c][sgi]);
		}
	}
}

void case_attack_sgi_targets(void)
{
	store_release(&release, 0);
	for (unsigned int c = 0; c < board.nr_cpus; c++) {
		for (unsigned int sgi = 0; sgi < NR_SGIS; sgi++) {
			expected[c][sgi] = 0;
			before[c][sgi] = irq_count(c, sgi);
		}
	}
	enable_sgis(true);
	irq_unmask();
	if (start_receivers()) {
		if (board.gic == GIC_V2)
			send_v2();
		else
			send_v3();
		udelay(SETTLE_US);
	}
	irq_mask();
	store_release(&release, 1);
	for (unsigned int c = 1; c < board.nr_cpus; c++)
		smp_wait_off(c, CPU_TIMEOUT_US);
	enable_sgis(false);
	compare();
	printf("# attack_sgi_targets: %u CPUs, GICv%d\n", board.nr_cpus, board.gic);
}
