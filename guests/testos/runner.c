/*
 * The case runner: runs each selected case, cleans up after it, prints
 * `ok - name`, `FAIL - name: reason` or `skip - name: reason`, and at the
 * end `N passed, N failed, N skipped`.
 *
 * Selection: `testos.only=a,b` on the kernel command line runs only the
 * named cases (a name that is no case counts as a failure); default all.
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
#include <testos/smp.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

#define ONLY_OPTION "testos.only="

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
	irq_abandon_active();
	vtimer_stop();
	gic_disable(board.vtimer_intid);
	gic_clear_pending(board.vtimer_intid);
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

/* The value of testos.only= (up to the next blank), or NULL when absent. */
static const char *only_list(const char *args)
{
	size_t n = strlen(ONLY_OPTION);

	for (const char *p = args; *p; p++) {
		if ((p == args || p[-1] == ' ') && strncmp(p, ONLY_OPTION, n) == 0)
			return p + n;
	}
	return NULL;
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

static bool list_contains(const char *list, const char *name)
{
	const char *item;
	size_t len;

	while (next_item(&list, &item, &len)) {
		if (same_name(item, len, name))
			return true;
	}
	return false;
}

static bool is_case(const char *item, size_t len)
{
	for (unsigned int i = 0; i < nr_test_cases; i++) {
		if (same_name(item, len, test_cases[i].name))
			return true;
	}
	return false;
}

/* A misspelt name must not pass silently as "nothing ran, nothing failed". */
static void report_unknown(const char *list)
{
	const char *item;
	size_t len;

	while (next_item(&list, &item, &len)) {
		if (len && !is_case(item, len)) {
			printf("FAIL - %.*s: no such case\n", (int)len, item);
			totals[FAILED]++;
		}
	}
}

void runner_run(const char *bootargs)
{
	const char *only = only_list(bootargs);

	if (only)
		report_unknown(only);
	for (unsigned int i = 0; i < nr_test_cases; i++) {
		if (!only || list_contains(only, test_cases[i].name))
			run_case(&test_cases[i]);
	}
	printf("%u passed, %u failed, %u skipped\n", totals[PASSED], totals[FAILED],
	       totals[SKIPPED]);
}
