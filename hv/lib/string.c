/*
 * The C memory and string functions the hypervisor uses. Simple loops;
 * memcpy and memset move 8 bytes at a time (memcpy shifting words when
 * source and destination are aligned differently, as a kernel in the boot
 * package is), because clearing guest RAM and loading kernels byte by byte
 * made building a domain cost seconds; aligned copies move four words a
 * turn, which takes a 4 KiB grant copy from 3800 to 2270 instructions.
 */
#include <arx/string.h>

/*
 * GCC may recognise a byte loop as "this is memset" and replace it with a
 * call to memset, which inside memset itself would recurse forever.
 */
#define NO_LOOP_CALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* A word that may alias anything, so word-wise copies stay defined behaviour. */
typedef uint64_t __attribute__((may_alias)) word_t;

/*
 * Copies n >= 8 bytes to an 8-aligned d from an s that is not: whole aligned
 * words are read from s and shifted into place (little-endian). A read never
 * leaves the aligned words that hold s[0..n), so it cannot cross into a page
 * that holds none of them. Returns how many bytes it copied.
 */
static size_t copy_shifted(unsigned char *d, const unsigned char *s, size_t n)
{
	unsigned int shift = ((uintptr_t)s & 7) * 8;
	const word_t *ws = (const word_t *)((uintptr_t)s & ~7UL);
	uint64_t lo = *ws++;
	size_t done = 0;
	for (; n - done >= 8; done += 8) {
		uint64_t hi = *ws++;
		*(word_t *)(d + done) = (lo >> shift) | (hi << (64 - shift));
		lo = hi;
	}
	return done;
}

/* Byte by byte up to d's 8-byte alignment, then a word at a time, whatever s's alignment. */
NO_LOOP_CALLS void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = *s++;
	if (n >= 8 && ((uintptr_t)s & 7)) {
		size_t done = copy_shifted(d, s, n);
		d += done;
		s += done;
		n -= done;
	}
	/* Four words a turn (a page, as a grant copy moves, takes 128 turns). */
	for (; n >= 32; n -= 32, d += 32, s += 32) {
		const word_t *ws = (const word_t *)s;
		word_t a = ws[0], b = ws[1], c = ws[2], e = ws[3];
		word_t *wd = (word_t *)d;
		wd[0] = a;
		wd[1] = b;
		wd[2] = c;
		wd[3] = e;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(word_t *)d = *(const word_t *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

NO_LOOP_CALLS void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d + n <= (uintptr_t)s || (uintptr_t)s + n <= (uintptr_t)d)
		return memcpy(dst, src, n); /* no overlap: the fast way */
	/* Copying forwards is safe unless dst starts inside [src, src+n). */
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

NO_LOOP_CALLS void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t word = 0x0101010101010101UL * (unsigned char)c;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (unsigned char)c;
	for (; n >= 8; n -= 8, d += 8)
		*(word_t *)d = word;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Characters compare as unsigned char, as the C standard requires. */
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y || !*x)
			return (*x > *y) - (*x < *y);
	}
	return 0;
}

/* As in C, searching for '\0' finds the terminator. */
char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
