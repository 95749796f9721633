/*
 * perfcheck: does this (virtual) CPU give Linux working hardware debug and
 * PMU? Two checks through perf_event_open(2), one PASS/FAIL line each:
 *
 *   watchpoint  a hardware watchpoint (PERF_TYPE_BREAKPOINT, HW_BREAKPOINT_W)
 *               on a variable counts exactly the N writes made to it;
 *   counters    CPU cycles and instructions (PERF_TYPE_HARDWARE) around a
 *               loop of known length are non-zero and plausible. An event
 *               the PMU does not implement (QEMU counts instructions only
 *               with -icount) is reported as such, not as a failure.
 *
 * Exits 0 when nothing failed. Usage: perfcheck [watchpoint|counters]...
 */
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WRITES 1000
#define LOOP_ROUNDS 1000000ULL

static volatile uint64_t watched;

/*
 * Opens a counter for this process's own user-space work, disabled: a
 * hardware event (type PERF_TYPE_HARDWARE) or a write watchpoint on `addr`
 * (PERF_TYPE_BREAKPOINT). Returns the fd, or -1 with errno set.
 */
static int perf_open(uint32_t type, uint64_t config, const volatile void *addr)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config = config;
	if (type == PERF_TYPE_BREAKPOINT) {
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = (uint64_t)(uintptr_t)addr;
		attr.bp_len = HW_BREAKPOINT_LEN_8;
	}
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

/* Runs `work` between enable and disable; returns the count, or -1 (errno set). */
static long long measure(int fd, void (*work)(void))
{
	uint64_t count;

	if (ioctl(fd, PERF_EVENT_IOC_RESET, 0) || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0))
		return -1;
	work();
	if (ioctl(fd, PERF_EVENT_IOC_DISABLE, 0))
		return -1;
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return -1;
	return (long long)count;
}

static void write_watched(void)
{
	for (int i = 0; i < WRITES; i++)
		watched = (uint64_t)i;
}

static int check_watchpoint(void)
{
	int fd = perf_open(PERF_TYPE_BREAKPOINT, 0, &watched);
	long long n;

	if (fd < 0) {
		printf("perfcheck: FAIL watchpoint: perf_event_open: %s\n", strerror(errno));
		return 1;
	}
	n = measure(fd, write_watched);
	close(fd);
	if (n != WRITES) {
		printf("perfcheck: FAIL watchpoint: counted %lld of %d writes\n", n, WRITES);
		return 1;
	}
	printf("perfcheck: PASS watchpoint: counted %lld of %d writes\n", n, WRITES);
	return 0;
}

/* Two instructions a round (SUBS, B.NE). */
static void known_loop(void)
{
	uint64_t n = LOOP_ROUNDS;
	__asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(n) : : "cc");
}

/* Counts one hardware event around the loop: >= 0, or -1 (not supported), -2 (error). */
static long long count_hw(uint64_t config, const char *name)
{
	int fd = perf_open(PERF_TYPE_HARDWARE, config, NULL);
	long long n;

	if (fd < 0) {
		printf("perfcheck: %s: perf_event_open: %s\n", name, strerror(errno));
		return errno == ENOENT || errno == EOPNOTSUPP ? -1 : -2;
	}
	n = measure(fd, known_loop);
	close(fd);
	return n < 0 ? -2 : n;
}

static int check_counters(void)
{
	const long long insns = 2 * LOOP_ROUNDS;
	long long cycles = count_hw(PERF_COUNT_HW_CPU_CYCLES, "cycles");
	long long instructions = count_hw(PERF_COUNT_HW_INSTRUCTIONS, "instructions");
	int failed = 0;

	/* The loop cannot retire two instructions in less than a cycle each on QEMU's 1 GHz. */
	if (cycles < insns / 4) {
		printf("perfcheck: FAIL cycles: %lld around %lld instructions\n", cycles, insns);
		failed = 1;
	} else {
		printf("perfcheck: PASS cycles: %lld around %lld instructions\n", cycles, insns);
	}
	if (instructions == -1 || instructions == 0) {
		printf("perfcheck: PASS instructions: not counted by this PMU (%lld)\n",
		       instructions);
	} else if (instructions < insns || instructions > insns + insns / 10 + 10000) {
		printf("perfcheck: FAIL instructions: %lld, the loop alone is %lld\n", instructions,
		       insns);
		failed = 1;
	} else {
		printf("perfcheck: PASS instructions: %lld, the loop alone is %lld\n", instructions,
		       insns);
	}
	return failed;
}

int main(int argc, char **argv)
{
	bool watchpoint = argc < 2, counters = argc < 2;
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "watchpoint")) {
			watchpoint = true;
		} else if (!strcmp(argv[i], "counters")) {
			counters = true;
		} else {
			fprintf(stderr, "usage: perfcheck [watchpoint|counters]...\n");
			return 2;
		}
	}
	if (watchpoint)
		failed |= check_watchpoint();
	if (counters)
		failed |= check_counters();
	printf("perfcheck: %s\n", failed ? "FAILED" : "all passed");
	return failed;
}
