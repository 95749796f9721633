/*
 * Host tests for hv/lib/string.c's memcpy, memmove and memset, built under
 * other names (arx_memcpy...) so the host's libc keeps its own: every
 * alignment of source and destination and every short length, checked
 * byte by byte against a plain loop, with the bytes around the
 * destination untouched.
 */
#include <stdbool.h>
#include <stddef.h>

#include "check.h"

void *arx_memcpy(void *dst, const void *src, size_t n);
void *arx_memmove(void *dst, const void *src, size_t n);
void *arx_memset(void *dst, int c, size_t n);

#define BUF 256
#define GUARD 32 /* bytes before and after the copied range that must not change */

static unsigned char src_buf[BUF], dst_buf[BUF], want[BUF];

/* Plain loops for the expected results: memcmp and memset here would be arx's too. */
static bool same(const unsigned char *a, const unsigned char *b)
{
	for (int i = 0; i < BUF; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static void fill(unsigned char *b, unsigned int seed)
{
	for (int i = 0; i < BUF; i++)
		b[i] = (unsigned char)(i * 31 + seed);
}

static void test_memcpy_every_alignment(void)
{
	fill(src_buf, 7);
	for (size_t d_off = 0; d_off < 16; d_off++)
		for (size_t s_off = 0; s_off < 16; s_off++)
			for (size_t n = 0; n <= 80; n++) {
				fill(dst_buf, 99);
				fill(want, 99);
				for (size_t i = 0; i < n; i++)
					want[GUARD + d_off + i] = src_buf[GUARD + s_off + i];
				void *r = arx_memcpy(dst_buf + GUARD + d_off, src_buf + GUARD + s_off, n);
				CHECK(r == dst_buf + GUARD + d_off);
				CHECK(same(dst_buf, want));
			}
}

static void test_memmove_overlaps(void)
{
	for (int delta = -20; delta <= 20; delta++)
		for (size_t n = 0; n <= 64; n++) {
			fill(dst_buf, 3);
			fill(want, 3);
			unsigned char *from = dst_buf + 96, *to = from + delta;
			for (size_t i = 0; i < n; i++) /* what a correct memmove leaves */
				want[96 + delta + i] = (unsigned char)((96 + i) * 31 + 3);
			arx_memmove(to, from, n);
			CHECK(same(dst_buf, want));
		}
}

static void test_memset_every_alignment(void)
{
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 80; n++) {
			fill(dst_buf, 5);
			fill(want, 5);
			for (size_t i = 0; i < n; i++)
				want[GUARD + off + i] = 0xa5;
			arx_memset(dst_buf + GUARD + off, 0xa5, n);
			CHECK(same(dst_buf, want));
		}
}

int main(void)
{
	test_memcpy_every_alignment();
	test_memmove_overlaps();
	test_memset_every_alignment();
	return check_summary();
}
