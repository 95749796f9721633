/*
 * Minimal assertions for the host unit tests. A failed check prints one
 * line with file:line and carries on, so one run shows every failure;
 * check_summary() prints "N passed, N failed" and gives the exit status.
 */
#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned long check_passed, check_failed;

static inline void check_record(int ok, const char *file, int line, const char *what)
{
	if (ok) {
		check_passed++;
		return;
	}
	check_failed++;
	printf("%s:%d: FAILED: %s\n", file, line, what);
}

/* CHECK(cond): counts a pass or prints the failed condition. */
#define CHECK(cond) check_record(!!(cond), __FILE__, __LINE__, #cond)

/* CHECK_EQ(a, b) on integers, printing both values when they differ. */
#define CHECK_EQ(a, b)                                                               \
	do {                                                                         \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);     \
		char check_msg_[256];                                                \
		snprintf(check_msg_, sizeof(check_msg_), "%s == %s (%lld vs %lld)", \
			 #a, #b, check_a_, check_b_);                               \
		check_record(check_a_ == check_b_, __FILE__, __LINE__, check_msg_); \
	} while (0)

/* CHECK_STR(got, want) for C strings, printing both when they differ. */
#define CHECK_STR(got, want)                                                         \
	do {                                                                         \
		const char *check_g_ = (got), *check_w_ = (want);                   \
		int check_ok_ = check_g_ && check_w_ && !strcmp(check_g_, check_w_); \
		char check_msg_[512];                                                \
		snprintf(check_msg_, sizeof(check_msg_), "%s: got \"%.200s\", want \"%.200s\"", \
			 #got, check_g_ ? check_g_ : "(null)",                     \
			 check_w_ ? check_w_ : "(null)");                           \
		check_record(check_ok_, __FILE__, __LINE__, check_msg_);            \
	} while (0)

/* CHECKF(cond, fmt, ...): like CHECK with a formatted explanation. */
#define CHECKF(cond, ...)                                                            \
	do {                                                                         \
		char check_msg_[1024];                                               \
		int check_ok_ = !!(cond);                                            \
		if (!check_ok_)                                                      \
			snprintf(check_msg_, sizeof(check_msg_), __VA_ARGS__);      \
		check_record(check_ok_, __FILE__, __LINE__, check_ok_ ? "" : check_msg_); \
	} while (0)

static inline int check_summary(void)
{
	printf("%lu passed, %lu failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
