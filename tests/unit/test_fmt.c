/*
 * Host tests for hv/lib/fmt.c: the output of fmt_snprintf is compared with
 * the host C library's snprintf over a large generated table of formats and
 * values, then the places where arx deliberately differs or where C leaves
 * things undefined (clamped widths, NULL %s, %p, unknown conversions, a
 * trailing '%') are checked against fixed expectations.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/fmt.h>

#include "check.h"

#define BUF 8192

/*
 * Formats with both implementations and compares length and bytes (with
 * memcmp, so embedded NULs from %c count). Reports the caller's line.
 */
static void vcompare(int line, const char *fmt, va_list ap)
{
	static char want[BUF], got[BUF];
	char what[600];
	va_list ap2;
	int wn;
	size_t gn;

	va_copy(ap2, ap);
	memset(got, 0x55, sizeof(got));
	wn = vsnprintf(want, sizeof(want), fmt, ap);
	gn = fmt_vsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	if (wn >= 0 && gn == (size_t)wn && !memcmp(got, want, MIN(gn + 1, (size_t)BUF))) {
		check_record(1, __FILE__, line, "");
		return;
	}
	snprintf(what, sizeof(what), "format \"%s\": got %zu \"%.200s\", want %d \"%.200s\"", fmt,
		 gn, got, wn, want);
	check_record(0, __FILE__, line, what);
}

static void compare_at(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(line, fmt, ap);
	va_end(ap);
}

/* Literal formats: the compiler checks the arguments against them. */
#define CMP(...) compare_line(__LINE__, __VA_ARGS__)
static void compare_line(int line, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void compare_line(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(line, fmt, ap);
	va_end(ap);
}

/* For formats the compiler would reject, or which C leaves undefined. */
static size_t raw(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static const int64_t int_values[] = {
	0, 1, -1, 7, -7, 42, -42, 100, 127, 128, -128, -129, 255, 256, 4095, 32767,
	-32768, 65535, 65536, 1000000, INT32_MAX, INT32_MIN, (int64_t)UINT32_MAX,
	0x100000000ll, -0x100000000ll, 0x123456789abcdefll, INT64_MAX, INT64_MIN,
	INT64_MIN + 1, -1000000000000ll,
};

static const char *const flag_sets[] = { "", "-", "0", " ", "+", "#", "-0", "+ ", "0#",
					 "-#", "+0", " 0", "-+", "- #", "+0#", "-+ 0#" };
static const char *const widths[] = { "", "1", "2", "7", "23" };
static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".21" };
static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "t" };
static const char convs[] = "diuxXo";

/* Passes v with the C type that length modifier `len` and `conv` expect. */
static void compare_int(const char *fmt, const char *len, char conv, int64_t v)
{
	int line = __LINE__;
	bool sgn = conv == 'd' || conv == 'i';

	if (!strcmp(len, "l") || !strcmp(len, "ll"))
		sgn ? compare_at(line, fmt, (long long)v) : compare_at(line, fmt, (unsigned long long)v);
	else if (!strcmp(len, "z"))
		sgn ? compare_at(line, fmt, (ptrdiff_t)v) : compare_at(line, fmt, (size_t)v);
	else if (!strcmp(len, "t"))
		compare_at(line, fmt, (ptrdiff_t)v);
	else
		sgn ? compare_at(line, fmt, (int)v) : compare_at(line, fmt, (unsigned int)v);
}

/* Every flag set x width x precision x length x conversion x value. */
static void test_int_table(void)
{
	size_t f, w, p, l, c, v;
	char fmt[64];
	unsigned long before = check_failed;

	for (f = 0; f < ARRAY_SIZE(flag_sets); f++)
		for (w = 0; w < ARRAY_SIZE(widths); w++)
			for (p = 0; p < ARRAY_SIZE(precs); p++)
				for (l = 0; l < ARRAY_SIZE(lens); l++)
					for (c = 0; convs[c]; c++) {
						snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>",
							 flag_sets[f], widths[w], precs[p],
							 lens[l], convs[c]);
						for (v = 0; v < ARRAY_SIZE(int_values); v++)
							compare_int(fmt, lens[l], convs[c],
								    int_values[v]);
						if (check_failed - before > 40)
							return; /* enough to diagnose */
					}
}

static void test_star(void)
{
	static const int ws[] = { 0, 1, 5, 12, -1, -5, -12 };
	static const int ps[] = { 0, 1, 3, 9, -1, -7 };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(ws); i++) {
		for (j = 0; j < ARRAY_SIZE(ps); j++) {
			CMP("[%*.*d]", ws[i], ps[j], -42);
			compare_at(__LINE__, "[%0*.*x]", ws[i], ps[j], 0xbeefu); /* 0 flag + "no precision" */
			CMP("[%-*.*s]", ws[i], ps[j], "string");
			CMP("[%*d|%.*u]", ws[i], 7, ps[j], 9u);
		}
	}
	CMP("[%*c]", -4, 'z');
	CMP("[%.*s]", 3, "abcdef");
}

static void test_strings_chars(void)
{
	static const char *const strs[] = { "", "a", "hello", "hello, world of arx" };
	static const char *const sfmts[] = { "%s", "%10s", "%-10s", "%.0s", "%.3s",
					     "%10.3s", "%-10.3s", "%1s", "%.30s", "%25.25s" };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(strs); i++)
		for (j = 0; j < ARRAY_SIZE(sfmts); j++)
			compare_at(__LINE__, sfmts[j], strs[i]);
	for (i = 0; i < 256; i += 17) {
		CMP("%c", (int)i);
		CMP("[%5c]", (int)i);
		CMP("[%-3c]", (int)i);
	}
	CMP("%c%c%c", 'a', 0, 'b');
	CMP("100%%");
	CMP("%%d %d %%", 5);
	compare_at(__LINE__, "");
	CMP("plain text, no conversions");
	CMP("%s=%d, %s=%#x; %-6s|%6s|", "a", -1, "b", 255u, "left", "right");
}

static void test_pointers(void)
{
	int x;
	void *ptrs[] = { &x, (void *)(uintptr_t)0x1, (void *)(uintptr_t)0xffff0000deadbeefull };
	char got[64], want[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		CMP("%p", ptrs[i]);
		CMP("[%20p]", ptrs[i]);
		CMP("[%-20p]", ptrs[i]);
		snprintf(want, sizeof(want), "0x%lx", (unsigned long)(uintptr_t)ptrs[i]);
		fmt_snprintf(got, sizeof(got), "%p", ptrs[i]);
		CHECK_STR(got, want);
	}
	/* glibc prints "(nil)"; arx prints the number, like any other pointer. */
	fmt_snprintf(got, sizeof(got), "%p", (void *)0);
	CHECK_STR(got, "0x0");
}

/* Truncation: the return value is always the untruncated length. */
static void test_truncation(void)
{
	char buf[16];
	size_t n;

	memset(buf, 'x', sizeof(buf));
	n = fmt_snprintf(buf, 5, "hello world");
	CHECK_EQ(n, 11);
	CHECK_STR(buf, "hell");
	CHECK_EQ(buf[5], 'x');
	n = fmt_snprintf(buf, 1, "abc");
	CHECK_EQ(n, 3);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(fmt_snprintf(NULL, 0, "%d-%s", 12345, "xyz"), 9);
	memset(buf, 'x', sizeof(buf));
	n = fmt_snprintf(buf, 6, "%8d", -12);
	CHECK_EQ(n, 8);
	CHECK_STR(buf, "     ");
	n = fmt_snprintf(buf, sizeof(buf), "%s", "exactly fifteen");
	CHECK_EQ(n, 15);
	CHECK_STR(buf, "exactly fifteen");
	n = fmt_snprintf(buf, sizeof(buf), "%s", "sixteen chars!!!");
	CHECK_EQ(n, 16);
	CHECK_STR(buf, "sixteen chars!!");
}

static void test_undefined_in_c(void)
{
	char buf[64];
	const char unterminated[3] = { 'a', 'b', 'c' };

	CHECK_EQ(raw(buf, sizeof(buf), "%s", (char *)NULL), 6);
	CHECK_STR(buf, "(null)");
	raw(buf, sizeof(buf), "[%8s]", (char *)NULL);
	CHECK_STR(buf, "[  (null)]");
	raw(buf, sizeof(buf), "[%.3s]", (char *)NULL);
	CHECK_STR(buf, "[(nu]");
	/* Precision bounds the read: ASan catches any byte read past the array. */
	raw(buf, sizeof(buf), "[%.3s]", unterminated);
	CHECK_STR(buf, "[abc]");
	CHECK_EQ(raw(buf, sizeof(buf), "%y"), 2);
	CHECK_STR(buf, "%y");
	raw(buf, sizeof(buf), "a%-5.2yb");
	CHECK_STR(buf, "a%-5.2yb");
	raw(buf, sizeof(buf), "%lq|%d", 3);
	CHECK_STR(buf, "%lq|3");
	CHECK_EQ(raw(buf, sizeof(buf), "abc%"), 4);
	CHECK_STR(buf, "abc%");
	raw(buf, sizeof(buf), "abc%-08.");
	CHECK_STR(buf, "abc%-08.");
	raw(buf, sizeof(buf), "%ll");
	CHECK_STR(buf, "%ll");
	raw(buf, sizeof(buf), "%");
	CHECK_STR(buf, "%");
	raw(buf, sizeof(buf), "%5%|");
	CHECK_STR(buf, "%|");
}

/* Widths and precisions are clamped to 4096 characters per field. */
static void test_clamping(void)
{
	static char big[BUF];

	CHECK_EQ(raw(big, sizeof(big), "%4096d", 1), 4096);
	CHECK_EQ(raw(big, sizeof(big), "%4097d", 1), 4096);
	CHECK_EQ(raw(big, sizeof(big), "%999999999999999999999999999d", 1), 4096);
	CHECK_EQ(raw(big, sizeof(big), "%*d", INT_MAX, 1), 4096);
	CHECK_EQ(raw(big, sizeof(big), "%*d|", INT_MIN, 1), 4097);
	CHECK(big[0] == '1' && big[1] == ' ' && big[4095] == ' ' && big[4096] == '|');
	CHECK_EQ(raw(big, sizeof(big), "%.*d", INT_MAX, 7), 4096);
	CHECK(big[0] == '0' && big[4095] == '7');
	CHECK_EQ(raw(big, sizeof(big), "%.99999999999999999999x", 0xau), 4096);
	CHECK_EQ(raw(big, sizeof(big), "%-*.*s|", INT_MIN, INT_MIN, "ab"), 4097);
	CHECK_EQ(raw(NULL, 0, "%*d%*d", 5000, 1, 5000, 2), 8192);
}

struct runs {
	char text[256];
	size_t len, calls;
};

static void sink(void *ctx, const char *s, size_t len)
{
	struct runs *r = ctx;

	CHECK(len > 0);
	memcpy(r->text + r->len, s, len);
	r->len += len;
	r->calls++;
}

static size_t format_to(struct runs *r, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vformat(sink, r, fmt, ap);
	va_end(ap);
	return n;
}

static void test_sink(void)
{
	struct runs r = { .len = 0 };
	char want[256];
	size_t n = format_to(&r, "x=%d y=%s %-40s|", 12, "ok", "pad");

	snprintf(want, sizeof(want), "x=%d y=%s %-40s|", 12, "ok", "pad");
	CHECK_EQ(n, r.len);
	r.text[r.len] = '\0';
	CHECK_STR(r.text, want);
	r.len = r.calls = 0;
	CHECK_EQ(format_to(&r, "%s", ""), 0);
	CHECK_EQ(r.calls, 0);
}

int main(void)
{
	test_int_table();
	test_star();
	test_strings_chars();
	test_pointers();
	test_truncation();
	test_undefined_in_c();
	test_clamping();
	test_sink();
	return check_summary();
}
