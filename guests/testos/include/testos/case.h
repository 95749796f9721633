/*
 * The test-case API. A case is a void function in cases/ listed in
 * cases/table.c; it passes unless it calls case_fail (directly or through
 * case_check) or case_skip. The first failure's message is the one shown.
 */
#ifndef TESTOS_CASE_H
#define TESTOS_CASE_H

#include <arx/types.h>

/*
 * Which set a case belongs to. With no selection on the command line the
 * default suite runs; `testos.suite=attack` runs the attack suite (cases
 * where testos tries to break out of its domain, see cases/attack_*.c).
 */
enum case_suite { SUITE_DEFAULT, SUITE_ATTACK, SUITE_XEN, SUITE_ALONE, NR_SUITES };

struct test_case {
	const char *name;
	void (*run)(void);
	enum case_suite suite;
};

extern const struct test_case test_cases[];
extern const unsigned int nr_test_cases;

void case_fail(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Fails the case with the message when `ok` is false; returns `ok`. */
bool case_check(bool ok, const char *fmt, ...) PRINTF_LIKE(2, 3);

void case_skip(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Skips the case (returning false) when the board has fewer than `n` CPUs. */
bool case_need_cpus(unsigned int n);

/*
 * Called by the exception code on the boot CPU: fails the running case with
 * `reason` and resumes the runner after it. Returns only when no case runs.
 */
void runner_abort(const char *reason);

/* Runs the cases bootargs select; prints one line each and the totals. */
void runner_run(const char *bootargs);

#endif
