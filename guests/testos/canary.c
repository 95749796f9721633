/*
 * Canary mode: `testos.canary=SECONDS`. testos fills all free RAM above its
 * image (and around the device tree, which stays in use) with a pattern
 * that differs at every address, then for SECONDS of virtual-counter time
 * verifies all of it every CHECK_PERIOD_MS, sleeping in WFI on its virtual
 * timer in between. It also marks CPU registers that a hypervisor must
 * switch between domains (cpu_state.h) and checks them each time, and
 * counts interrupts it never asked for. Then:
 *
 *   # canary: 31260672 bytes at 0x40030000-0x41e00000, checked every 500 ms for 20 s
 *   canary intact: 31260672 bytes checked 41 times
 *   1 passed, 0 failed, 0 skipped
 *
 * or `canary CORRUPTED at 0x...: read 0x..., expected 0x... (check N)` or
 * `canary DISTURBED: ...` (a marked register changed, stray interrupts) and
 * `0 passed, 1 failed, 0 skipped`, and testos powers off.
 */
#include <arx/fmt.h>
#include <arx/string.h>
#include <testos/board.h>
#include <testos/canary.h>
#include <testos/console.h>
#include <testos/cpu_state.h>
#include <testos/exception.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

#define CANARY_OPTION "testos.canary="
#define CANARY_MAX_SECONDS 3600
#define CHECK_PERIOD_MS 500
#define REGION_ALIGN (64 * KiB)
#define REGION_MIN (1 * MiB)
#define REGION_MAX (256 * MiB)		/* bounds a pass natively (1 GiB of RAM there) */
#define PATTERN_MULT 0x9e3779b97f4a7c15UL	/* odd: a different value at every address */
#define PATTERN_SEED 0xca9a7e5eedUL

extern char __image_end[];

static struct {
	uint64_t start, end;		/* the region, 8-byte words */
	uint32_t wakes;			/* timer interrupts taken */
	uint64_t worst_late;		/* the longest delay from a deadline to its interrupt */
	uint64_t deadline;
} canary;

static uint64_t pattern(uint64_t addr)
{
	return (addr * PATTERN_MULT) ^ PATTERN_SEED;
}

/* The value of testos.canary= as seconds; 0 when absent, -1 when not a number in range. */
static long seconds_option(const char *args)
{
	size_t n = strlen(CANARY_OPTION);
	long s = 0;

	for (const char *p = args; *p; p++) {
		if ((p != args && p[-1] != ' ') || strncmp(p, CANARY_OPTION, n) != 0)
			continue;
		p += n;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9' && s <= CANARY_MAX_SECONDS)
			s = s * 10 + (*p++ - '0');
		return (*p && *p != ' ') || s < 1 || s > CANARY_MAX_SECONDS ? -1 : s;
	}
	return 0;
}

/* The largest free stretch of RAM above the image, avoiding the device tree. */
static void choose_region(void)
{
	uint64_t start = ALIGN_UP((uint64_t)(uintptr_t)__image_end, REGION_ALIGN);
	uint64_t end = board.ram_end;
	uint64_t dtb = board.dtb, dtb_end = board.dtb + board.dtb_size;

	if (dtb < end && dtb_end > start) {
		uint64_t below = ALIGN_DOWN(dtb, 8), above = ALIGN_UP(dtb_end, REGION_ALIGN);

		if (below - start >= (above < end ? end - above : 0))
			end = below;
		else
			start = above;
	}
	if (end > start + REGION_MAX)
		end = start + REGION_MAX;
	canary.start = start;
	canary.end = end > start ? end : start;
}

static void fill(void)
{
	for (uint64_t a = canary.start; a < canary.end; a += 8)
		*(volatile uint64_t *)a = pattern(a);
	dsb(sy);
}

/* The first word that lost its value, or 0. */
static uint64_t first_corrupted(void)
{
	for (uint64_t a = canary.start; a < canary.end; a += 8) {
		if (*(volatile uint64_t *)a != pattern(a))
			return a;
	}
	return 0;
}

static void wake(unsigned int intid)
{
	uint64_t late = timer_now() - canary.deadline;

	(void)intid;
	vtimer_stop();
	if (late > canary.worst_late)
		canary.worst_late = late;
	store_release(&canary.wakes, canary.wakes + 1);
}

/* Sleeps (WFI, interrupts on) until the virtual timer fires at `deadline`. */
static void sleep_until(uint64_t deadline)
{
	uint32_t wakes = canary.wakes;

	canary.deadline = deadline;
	vtimer_arm_at(deadline);
	irq_unmask();
	while (load_acquire(&canary.wakes) == wakes)
		wfi();
	irq_mask();
}

/* Interrupts nobody asked for: any SGI, or any interrupt without a handler. */
static uint32_t strays(char *what, size_t size)
{
	uint32_t n = irq_unhandled(0);

	fmt_snprintf(what, size, "%u interrupts without a handler", n);
	for (unsigned int sgi = 0; sgi < 16; sgi++) {
		if (irq_count(0, sgi)) {
			fmt_snprintf(what, size, "SGI %u arrived %u times", sgi, irq_count(0, sgi));
			n += irq_count(0, sgi);
		}
	}
	return n;
}

/* The CPU registers it marked (cpu_state.h): still its own, and never another's. */
static bool cpu_state_intact(unsigned int check)
{
	char buf[128];
	const char *why = cpu_state_check(CPU_STATE_SIG_CANARY, "canary", buf, sizeof(buf));

	if (why)
		printf("canary DISTURBED: %s (check %u)\n", why, check);
	return !why;
}

static bool watch(uint64_t seconds, unsigned int *checks)
{
	uint64_t period = timer_us_to_ticks(CHECK_PERIOD_MS * 1000UL);
	uint64_t start = timer_now(), end = start + seconds * timer_freq(), next = start;
	uint64_t bad;

	for (*checks = 0;; ) {
		bad = first_corrupted();
		(*checks)++;
		if (!cpu_state_intact(*checks))
			return false;
		if (bad) {
			printf("canary CORRUPTED at %#lx: read %#lx, expected %#lx (check %u, %lu ms "
			       "in)\n", bad, *(volatile uint64_t *)bad, pattern(bad), *checks,
			       (timer_now() - start) * 1000 / timer_freq());
			return false;
		}
		if (timer_now() >= end)
			return true;
		next = MIN(next + period, end);
		sleep_until(next);
	}
}

static void run(uint64_t seconds)
{
	unsigned int intid = board.vtimer_intid, checks = 0;
	uint64_t bytes;
	char what[128];
	bool intact;

	choose_region();
	bytes = canary.end - canary.start;
	if (bytes < REGION_MIN) {
		printf("canary error: only %lu bytes of free RAM above the image\n", bytes);
		printf("0 passed, 1 failed, 0 skipped\n");
		return;
	}
	printf("# canary: %lu bytes at %#lx-%#lx, checked every %u ms for %lu s\n", bytes,
	       canary.start, canary.end, CHECK_PERIOD_MS, seconds);
	fill();
	if (cpu_state_find(CPU_STATE_SIG_ATTACKER, "canary", what, sizeof(what))) {
		printf("canary DISTURBED: %s\n", what);
		printf("0 passed, 1 failed, 0 skipped\n");
		return;
	}
	cpu_state_write(CPU_STATE_SIG_CANARY);
	irq_set_handler(intid, wake);
	gic_enable(intid);
	for (unsigned int sgi = 0; sgi < 16; sgi++)
		gic_enable(sgi);	/* an SGI from elsewhere must be seen, not lost */
	intact = watch(seconds, &checks);
	vtimer_stop();
	printf("# canary: %u timer interrupts, the latest %lu us after its deadline\n",
	       canary.wakes, canary.worst_late * 1000000 / timer_freq());
	if (intact && strays(what, sizeof(what))) {
		printf("canary DISTURBED: %s\n", what);
		intact = false;
	}
	if (intact)	/* otherwise watch() or the line above said why */
		printf("canary intact: %lu bytes checked %u times\n", bytes, checks);
	printf("%u passed, %u failed, 0 skipped\n", intact ? 1 : 0, intact ? 0 : 1);
}

bool canary_run(const char *bootargs)
{
	long seconds = seconds_option(bootargs);

	if (seconds == 0)
		return false;
	if (seconds < 0) {
		printf("canary error: testos.canary= takes whole seconds, 1 to %u\n",
		       CANARY_MAX_SECONDS);
		printf("0 passed, 1 failed, 0 skipped\n");
		return true;
	}
	run((uint64_t)seconds);
	return true;
}
