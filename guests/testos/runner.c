/*
 * The case runner: runs each selected case, cleans up after it, prints
 * `ok - name`, `FAIL - name: reason` or `skip - name: reason`, and at the
 * end `N passed, N failed, N skipped`.
 *
 * Selection on the kernel command line: `testos.only=a,b,attack_*` runs the
 * named cases (an item ending in `*` names every case starting with what
 * precedes it), `testos.suite=attack` every case of a suite; with both, the
 * cases either selects. An item that selects nothing counts as a failure.
 * Without either, the default suite runs. Cases run in table order.
 */
#include <arx/fmt.h>
#include <arx/string.h>
#include <testos/board.h>
#include <testos/case.h>
#include <testos/console.h>
#include <testos/exception.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/jump.h>
#include <testos/mmu.h>
#include <testos/options.h>
#include <testos/smp.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

#define ONLY_OPTION "testos.only="
#define SUITE_OPTION "testos.suite="

static const char *const suite_names[NR_SUITES] = {
	[SUITE_DEFAULT] = "default",
	[SUITE_ATTACK] = "attack",
	[SUITE_XEN] = "xen",
	[SUITE_ALONE] = NULL,	/* not selectable as a suite */
};

enum outcome { PASSED, FAILED, SKIPPED };

static struct {
	bool running;
	enum outcome outcome;
	char reason[192];
	struct jump_buf resume;	/* where runner_abort continues */
} current;

static unsigned int totals[3];

static void set_outcome(enum outcome o, const char *fmt, va_list ap)
{
	/* The first failure explains best; a failure outranks a skip. */
	if (current.outcome == FAILED || (o == SKIPPED && current.outcome == SKIPPED))
		return;
	current.outcome = o;
	fmt_vsnprintf(current.reason, sizeof(current.reason), fmt, ap);
}

void case_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_outcome(FAILED, fmt, ap);
	va_end(ap);
}

bool case_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	va_start(ap, fmt);
	set_outcome(FAILED, fmt, ap);
	va_end(ap);
	return false;
}

void case_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_outcome(SKIPPED, fmt, ap);
	va_end(ap);
}

bool case_need_cpus(unsigned int n)
{
	if (board.nr_cpus >= n)
		return true;
	case_skip("needs %u CPUs, has %u", n, board.nr_cpus);
	return false;
}

void runner_abort(const char *reason)
{
	if (!current.running)
		return;
	case_fail("%s", reason);
	jump_resume(&current.resume);
}

/* Leaves the machine as the next case expects it, whatever this one did. */
static void cleanup(void)
{
	unsigned int cpu;
	const char *why;

	daif_default();
	mmu_off();
	irq_abandon_active();
	vtimer_stop();
	gic_disable(board.vtimer_intid);
	gic_clear_pending(board.vtimer_intid);
	gic_disable(31);	/* PPI 31, the Xen event upcall, which the xen cases enable */
	irq_reset_handlers();
	fault_taken(NULL);
	if ((why = smp_settle(&cpu)))
		case_fail("cpu%u %s", cpu, why);
}

static void run_case(const struct test_case *tc)
{
	current.outcome = PASSED;
	current.reason[0] = '\0';
	if (jump_save(&current.resume) == 0) {
		current.running = true;
		tc->run();
	}
	current.running = false;
	cleanup();
	totals[current.outcome]++;
	if (current.outcome == PASSED)
		printf("ok - %s\n", tc->name);
	else
		printf("%s - %s: %s\n", current.outcome == FAILED ? "FAIL" : "skip", tc->name,
		       current.reason);
}

/*
 * Steps through a comma-separated list that ends at a blank or the end of
 * the string: the next item (possibly empty) in *item and *len; false at the end.
 */
static bool next_item(const char **list, const char **item, size_t *len)
{
	const char *p = *list;
	size_t n = 0;

	if (!*p || *p == ' ')
		return false;
	while (p[n] && p[n] != ' ' && p[n] != ',')
		n++;
	*item = p;
	*len = n;
	*list = p[n] == ',' ? p + n + 1 : p + n;
	return true;
}

static bool same_name(const char *item, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(item, name, len) == 0;
}

/* An exact name, or `prefix*`. */
static bool item_matches(const char *item, size_t len, const char *name)
{
	if (len && item[len - 1] == '*')
		return strncmp(item, name, len - 1) == 0;
	return same_name(item, len, name);
}

static bool list_matches(const char *list, const char *name)
{
	const char *item;
	size_t len;

	while (next_item(&list, &item, &len)) {
		if (item_matches(item, len, name))
			return true;
	}
	return false;
}

static bool selects_a_case(const char *item, size_t len)
{
	for (unsigned int i = 0; i < nr_test_cases; i++) {
		if (item_matches(item, len, test_cases[i].name))
			return true;
	}
	return false;
}

static bool is_suite(const char *item, size_t len)
{
	for (unsigned int s = 0; s < NR_SUITES; s++) {
		if (suite_names[s] && item_matches(item, len, suite_names[s]))
			return true;
	}
	return false;
}

/* A misspelt name must not pass silently as "nothing ran, nothing failed". */
static void report_unknown(const char *list, bool (*known)(const char *, size_t),
			   const char *what)
{
	const char *item;
	size_t len;

	while (next_item(&list, &item, &len)) {
		if (len && !known(item, len)) {
			printf("FAIL - %.*s: no such %s\n", (int)len, item, what);
			totals[FAILED]++;
		}
	}
}

static bool selected(const struct test_case *tc, const char *only, const char *suite)
{
	if (!only && !suite)
		return tc->suite == SUITE_DEFAULT;
	return (only && list_matches(only, tc->name)) ||
	       (suite && suite_names[tc->suite] && list_matches(suite, suite_names[tc->suite]));
}

void runner_run(const char *bootargs)
{
	const char *only = boot_option(bootargs, ONLY_OPTION, NULL);
	const char *suite = boot_option(bootargs, SUITE_OPTION, NULL);

	if (only)
		report_unknown(only, selects_a_case, "case");
	if (suite)
		report_unknown(suite, is_suite, "suite");
	for (unsigned int i = 0; i < nr_test_cases; i++) {
		if (selected(&test_cases[i], only, suite))
			run_case(&test_cases[i]);
	}
	printf("%u passed, %u failed, %u skipped\n", totals[PASSED], totals[FAILED],
	       totals[SKIPPED]);
}
