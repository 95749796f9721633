/*
 * Host tests for hv/lib/cpio.c and hv/lib/path.c: the boot package.
 *
 * Archives come from scripts/mkbootpkg and from the system's cpio (both
 * made by unit.mk into argv[1]) and from hand-built headers for what no
 * archiver writes. The package is also read the way arx will read it:
 * the "arx-domains" index, each config parsed, its files resolved with
 * path_resolve and found. Then every truncation and thousands of random
 * corruptions are iterated: each copy sits in a malloc'd buffer of exactly
 * its size, so a read past it trips AddressSanitizer, and every entry
 * returned must lie inside the archive.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arx/cpio.h>
#include <arx/domain_config.h>
#include <arx/path.h>

#include "blob.h"
#include "check.h"


/* Deterministic pseudo-random numbers (xorshift64), so failures repeat. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---- hand-built archives ---- */

struct builder {
	uint8_t buf[4096];
	size_t len;
};

static void put_entry(struct builder *b, const char *magic, uint32_t mode, const char *name,
		      const void *data, uint32_t size, uint32_t check)
{
	char hdr[111];
	uint32_t namesize = (uint32_t)strlen(name) + 1;

	snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, 1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, check);
	memcpy(b->buf + b->len, hdr, 110);
	b->len += 110;
	memcpy(b->buf + b->len, name, namesize);
	b->len += namesize;
	while (b->len & 3)
		b->buf[b->len++] = 0;
	memcpy(b->buf + b->len, data, size);
	b->len += size;
	while (b->len & 3)
		b->buf[b->len++] = 0;
}

static void put_file(struct builder *b, const char *name, const char *text)
{
	put_entry(b, "070701", 0100644, name, text, (uint32_t)strlen(text), 0);
}

static void put_trailer(struct builder *b)
{
	put_entry(b, "070701", 0, "TRAILER!!!", "", 0, 0);
}

/* Offset of header field i (0 = ino ... 12 = check) of the entry at off. */
static char *field(struct builder *b, size_t off, int i)
{
	return (char *)b->buf + off + 6 + 8 * i;
}

/* Runs cpio_next once on an exact-size copy of the builder's bytes. */
static int next_once(const struct builder *b, size_t *cursor, struct cpio_entry *e)
{
	uint8_t *copy = malloc(b->len ? b->len : 1);
	int r;

	memcpy(copy, b->buf, b->len);
	r = cpio_next(copy, b->len, cursor, e);
	free(copy);
	return r;
}

static int first_result(const struct builder *b)
{
	struct cpio_entry e;
	size_t cursor = 0;

	return next_once(b, &cursor, &e);
}

static void test_basic_entries(void)
{
	struct builder b = { .len = 0 };
	struct cpio_entry e;
	size_t cursor = 0;

	put_file(&b, "./a/one.txt", "1");
	put_file(&b, "/two", "twenty");
	put_file(&b, ".//./three", "");
	put_entry(&b, "070701", 040755, "dir", "", 0, 0);
	put_trailer(&b);
	put_file(&b, "after-trailer", "never seen");
	CHECK_EQ(cpio_next(b.buf, b.len, &cursor, &e), 1);
	CHECK_STR(e.name, "a/one.txt");
	CHECK_EQ(e.size, 1);
	CHECK(memcmp(e.data, "1", 1) == 0);
	CHECK_EQ(e.mode, 0100644);
	CHECK_EQ(cpio_next(b.buf, b.len, &cursor, &e), 1);
	CHECK_STR(e.name, "two");
	CHECK_EQ(e.size, 6);
	CHECK(memcmp(e.data, "twenty", 6) == 0);
	CHECK_EQ(cpio_next(b.buf, b.len, &cursor, &e), 1);
	CHECK_STR(e.name, "three");
	CHECK_EQ(e.size, 0);
	CHECK_EQ(cpio_next(b.buf, b.len, &cursor, &e), 1);
	CHECK_STR(e.name, "dir");
	CHECK_EQ(e.mode, 040755);
	/* The trailer ends it, and the cursor stays at the end. */
	CHECK_EQ(cpio_next(b.buf, b.len, &cursor, &e), 0);
	CHECK_EQ(cursor, b.len);
	CHECK_EQ(cpio_next(b.buf, b.len, &cursor, &e), 0);
	/* Lookups strip "./" and "/" on both sides; only regular files match. */
	CHECK_EQ(cpio_find(b.buf, b.len, "a/one.txt", &e), 0);
	CHECK_EQ(cpio_find(b.buf, b.len, "./a/one.txt", &e), 0);
	CHECK_EQ(cpio_find(b.buf, b.len, "/two", &e), 0);
	CHECK_EQ(e.size, 6);
	CHECK_EQ(cpio_find(b.buf, b.len, "three", &e), 0);
	CHECK_EQ(cpio_find(b.buf, b.len, "dir", &e), -1);
	CHECK_EQ(cpio_find(b.buf, b.len, "a", &e), -1);
	CHECK_EQ(cpio_find(b.buf, b.len, "after-trailer", &e), -1);
	CHECK_EQ(cpio_find(b.buf, b.len, "a/one.tx", &e), -1);
}

static void test_empty_and_ends(void)
{
	struct builder b = { .len = 0 };
	struct cpio_entry e;
	size_t cursor = 0;

	CHECK_EQ(cpio_next("", 0, &cursor, &e), 0);
	CHECK_EQ(cpio_find("", 0, "x", &e), -1);
	put_trailer(&b);
	CHECK_EQ(first_result(&b), 0);
	/* No trailer: stops cleanly at the end. */
	b.len = 0;
	put_file(&b, "f", "abc");
	cursor = 0;
	CHECK_EQ(next_once(&b, &cursor, &e), 1);
	CHECK_EQ(next_once(&b, &cursor, &e), 0);
	/* The last entry's data padding cut off: still fine. */
	b.len -= 1;
	cursor = 0;
	CHECK_EQ(next_once(&b, &cursor, &e), 1);
	CHECK_EQ(next_once(&b, &cursor, &e), 0);
	/* A cursor that was not handed out by cpio_next. */
	cursor = 2;
	CHECK(next_once(&b, &cursor, &e) < 0);
	/* Bytes after the end that cannot hold a header. */
	b.len = 0;
	put_file(&b, "f", "abc");
	memset(b.buf + b.len, 0, 8);
	b.len += 8;
	cursor = 0;
	CHECK_EQ(next_once(&b, &cursor, &e), 1);
	CHECK_EQ(next_once(&b, &cursor, &e), CPIO_ERR_TRUNCATED);
}

/* One bad header each: the expected error, from a one-file archive. */
static void test_bad_headers(void)
{
	static const struct {
		int fld; /* field to overwrite, -1 for the magic */
		const char *text;
		int want;
	} cases[] = {
		{ -1, "070707", CPIO_ERR_MAGIC }, /* old portable format */
		{ -1, "070703", CPIO_ERR_MAGIC },
		{ -1, "X70701", CPIO_ERR_MAGIC },
		{ 0, "0000000g", CPIO_ERR_HEADER },
		{ 1, "+0081A4", CPIO_ERR_HEADER }, /* 7 digits and a sign */
		{ 6, " 0000003", CPIO_ERR_HEADER },
		{ 6, "0x000003", CPIO_ERR_HEADER },
		{ 12, "0000000-", CPIO_ERR_HEADER },
		{ 11, "00000000", CPIO_ERR_HEADER }, /* namesize 0 */
		{ 11, "00000001", CPIO_ERR_HEADER }, /* empty name */
		{ 11, "00000003", CPIO_ERR_HEADER }, /* last name byte is not NUL */
		{ 11, "FFFFFFFF", CPIO_ERR_TRUNCATED },
		{ 11, "00000100", CPIO_ERR_TRUNCATED },
		{ 6, "FFFFFFFF", CPIO_ERR_TRUNCATED },
		{ 6, "00000005", CPIO_ERR_TRUNCATED },
		{ 6, "00000004", 1 }, /* into the padding, still inside */
		{ 6, "00000001", 1 },
		{ 1, "0000a1b4", 1 }, /* lower-case hex */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct builder b = { .len = 0 };
		char *at;

		put_file(&b, "name", "abc"); /* 110 + 5 name + 3 pad + 3 data + 1 pad */
		at = cases[i].fld < 0 ? (char *)b.buf : field(&b, 0, cases[i].fld);
		memcpy(at, cases[i].text, strlen(cases[i].text));
		CHECKF(first_result(&b) == cases[i].want, "case %zu (%s): got %d, want %d", i,
		       cases[i].text, first_result(&b), cases[i].want);
	}
}

static void test_bad_names(void)
{
	struct builder b = { .len = 0 };

	/* A NUL inside the name (namesize still 5). */
	put_file(&b, "name", "abc");
	b.buf[112] = '\0';
	CHECK_EQ(first_result(&b), CPIO_ERR_HEADER);
	/* Archive ends inside the header, the name and the name padding. */
	b.len = 0;
	put_file(&b, "name", "abc");
	b.len = 109;
	CHECK_EQ(first_result(&b), CPIO_ERR_TRUNCATED);
	b.len = 114;
	CHECK_EQ(first_result(&b), CPIO_ERR_TRUNCATED);
	b.len = 116;
	CHECK_EQ(first_result(&b), CPIO_ERR_TRUNCATED);
	/* An unpadded trailer at the very end is accepted. */
	b.len = 0;
	put_trailer(&b);
	b.len = 110 + 11;
	CHECK_EQ(first_result(&b), 0);
}

static void test_checksum(void)
{
	struct builder b = { .len = 0 };
	struct cpio_entry e;
	uint32_t sum = 'a' + 'b' + 'c';

	put_entry(&b, "070702", 0100644, "f", "abc", 3, sum);
	CHECK_EQ(first_result(&b), 1);
	CHECK_EQ(cpio_find(b.buf, b.len, "f", &e), 0);
	b.len = 0;
	put_entry(&b, "070702", 0100644, "f", "abc", 3, sum + 1);
	CHECK_EQ(first_result(&b), CPIO_ERR_CHECKSUM);
	CHECK_EQ(cpio_find(b.buf, b.len, "f", &e), -1);
	/* newc's check field is not a checksum and is ignored. */
	b.len = 0;
	put_entry(&b, "070701", 0100644, "f", "abc", 3, 12345);
	CHECK_EQ(first_result(&b), 1);
	CHECK_STR(cpio_strerror(CPIO_ERR_CHECKSUM), "checksum mismatch");
	CHECK_STR(cpio_strerror(CPIO_ERR_TRUNCATED), "truncated");
	CHECK(cpio_strerror(-99) != NULL);
}

/* ---- archives made by scripts/mkbootpkg ---- */

/* The archive path mkbootpkg gives a file of this repository: cwd without "/". */
static void repo_name(char *out, size_t size, const char *rel)
{
	char cwd[1024];

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(out, size, "%s/%s", cwd + 1, rel);
}

static void check_file(const struct blob *pkg, const char *name, const char *want)
{
	struct cpio_entry e;
	int r = cpio_find(pkg->data, pkg->size, name, &e);

	CHECKF(r == 0, "%s not found", name);
	if (r)
		return;
	CHECK_EQ(e.size, strlen(want));
	CHECKF(e.size == strlen(want) && memcmp(e.data, want, e.size) == 0, "%s: wrong data",
	       name);
	CHECK_EQ(e.mode, 0100644);
}

/* Every entry in order, as "name:size" joined by spaces (prefix cut away). */
static const char *listing(const struct blob *pkg, const char *cut)
{
	static char buf[2048];
	struct cpio_entry e;
	size_t cursor = 0, used = 0, n = strlen(cut);

	buf[0] = '\0';
	while (cpio_next(pkg->data, pkg->size, &cursor, &e) == 1) {
		const char *name = strncmp(e.name, cut, n) == 0 ? e.name + n : e.name;

		used += snprintf(buf + used, sizeof(buf) - used, "%s%s:%zu", used ? " " : "",
				 name, e.size);
	}
	return buf;
}

static void test_mkbootpkg_layout(void)
{
	struct blob pkg = load("bootpkg.cpio");
	char dir[1024], name[1200], index[2600], want[256];

	if (!pkg.data)
		return;
	repo_name(dir, sizeof(dir), "tests/unit/data/bootpkg/");
	snprintf(index, sizeof(index), "%salpha.cfg\n%sbeta.cfg\n", dir, dir);
	/* Index first; each file once (beta's kernel is alpha's); sizes as on disk. */
	snprintf(want, sizeof(want),
		 "arx-domains:%zu alpha.cfg:257 kernel.txt:6 initrd.txt:7 beta.cfg:137",
		 strlen(index));
	CHECK_STR(listing(&pkg, dir), want);
	check_file(&pkg, "arx-domains", index);
	snprintf(name, sizeof(name), "%skernel.txt", dir);
	check_file(&pkg, name, "KERNEL");
	snprintf(name, sizeof(name), "/%sinitrd.txt", dir);
	check_file(&pkg, name, "initrd!");
	/* Deterministic: mtime, uid and gid 0; inode numbers from 1. */
	CHECK(memcmp(pkg.data, "07070100000001000081A4000000000000000000000001", 46) == 0);
	free(pkg.data);
}

/* Reads a config from the package and parses it; 0 or -1. */
static int load_config(const struct blob *pkg, const char *name, struct domain_config *cfg)
{
	struct cpio_entry e;
	char err[256];

	if (cpio_find(pkg->data, pkg->size, name, &e))
		return -1;
	if (config_parse(e.data, e.size, name, cfg, err, sizeof(err))) {
		printf("  %s\n", err);
		return -1;
	}
	return 0;
}

/* Finds the file a config names, the way arx does; its size or -1. */
static long find_named(const struct blob *pkg, const char *cfg_name, const char *file)
{
	struct cpio_entry e;
	char path[CONFIG_PATH_MAX * 2];

	if (path_resolve(cfg_name, file, path, sizeof(path)))
		return -1;
	if (cpio_find(pkg->data, pkg->size, path, &e))
		return -1;
	return (long)e.size;
}

/* What arx does at boot: the index, then each config and the files it names. */
static void test_mkbootpkg_boot_walk(void)
{
	static const char *const want_names[] = { "alpha", "beta" };
	struct blob pkg = load("bootpkg.cpio");
	struct cpio_entry idx;
	char line[CONFIG_PATH_MAX];
	struct domain_config cfg;
	size_t pos = 0, n = 0;

	if (!pkg.data)
		return;
	CHECK_EQ(cpio_find(pkg.data, pkg.size, "arx-domains", &idx), 0);
	while (pos < idx.size && n < ARRAY_SIZE(want_names)) {
		const char *s = (const char *)idx.data + pos;
		const char *nl = memchr(s, '\n', idx.size - pos);
		size_t len = nl ? (size_t)(nl - s) : idx.size - pos;

		snprintf(line, sizeof(line), "%.*s", (int)len, s);
		pos += len + 1;
		CHECKF(load_config(&pkg, line, &cfg) == 0, "config %s", line);
		CHECK_STR(cfg.name, want_names[n]);
		CHECK_EQ(find_named(&pkg, line, cfg.kernel), 6);
		if (cfg.ramdisk[0])
			CHECK_EQ(find_named(&pkg, line, cfg.ramdisk), 7);
		n++;
	}
	CHECK_EQ(n, 2);
	CHECK_EQ(pos, idx.size);
	CHECK_STR(cfg.cmdline, "");
	CHECK_EQ(cfg.type, DOMAIN_TESTOS);
	free(pkg.data);
}

/* gamma.cfg names two missing files: left out, with a warning each. */
static void test_mkbootpkg_missing(void)
{
	struct blob pkg = load("bootpkg-missing.cpio");
	struct blob log = load("bootpkg-missing.log");
	struct domain_config cfg;
	char name[1200];

	if (!pkg.data || !log.data)
		return;
	repo_name(name, sizeof(name), "tests/unit/data/bootpkg/gamma.cfg");
	CHECK_EQ(load_config(&pkg, name, &cfg), 0);
	CHECK_EQ(find_named(&pkg, name, cfg.kernel), -1);
	CHECK_EQ(find_named(&pkg, name, cfg.ramdisk), -1);
	CHECK(strstr(listing(&pkg, ""), "no-such") == NULL);
	log.data = realloc(log.data, log.size + 1);
	log.data[log.size] = '\0';
	CHECK(strstr((char *)log.data, "no-such-kernel.bin does not exist") != NULL);
	CHECK(strstr((char *)log.data, "/no/such/initrd.img does not exist") != NULL);
	free(pkg.data);
	free(log.data);
}

/* The same directory archived by the system's cpio (names start with "./"). */
static void test_system_cpio(const char *file, bool has_sum)
{
	struct blob pkg = load(file);
	struct cpio_entry e;
	uint8_t *kdata;

	if (!pkg.data)
		return;
	if (pkg.size == 0) {
		printf("%s: no system cpio, skipped\n", file);
		free(pkg.data);
		return;
	}
	CHECK_EQ(cpio_find(pkg.data, pkg.size, "alpha.cfg", &e), 0);
	CHECK_EQ(e.size, 257);
	CHECK_EQ(cpio_find(pkg.data, pkg.size, "./kernel.txt", &e), 0);
	CHECK_EQ(e.size, 6);
	CHECK_EQ(cpio_find(pkg.data, pkg.size, "/initrd.txt", &e), 0);
	CHECK_EQ(e.size, 7);
	CHECK_EQ(cpio_find(pkg.data, pkg.size, ".", &e), -1); /* a directory */
	CHECK_EQ(cpio_find(pkg.data, pkg.size, "kernel.txt", &e), 0);
	/* Spoil one byte of kernel.txt's data: only the crc format notices. */
	kdata = (uint8_t *)e.data;
	kdata[0] ^= 1;
	CHECK_EQ(cpio_find(pkg.data, pkg.size, "kernel.txt", &e), has_sum ? -1 : 0);
	free(pkg.data);
}

/* ---- truncation and corruption ---- */

#define MAX_ENTRIES 64

struct walk {
	int result; /* the final cpio_next result: 0 or an error */
	size_t n;
	struct cpio_entry e[MAX_ENTRIES];
};

/*
 * Iterates a whole archive, checking every entry lies inside it. The
 * number of steps is bounded by the size: each entry takes >= 112 bytes.
 */
static void walk_all(const uint8_t *a, size_t size, struct walk *w)
{
	size_t cursor = 0, steps = 0;
	struct cpio_entry e;

	w->n = 0;
	while ((w->result = cpio_next(a, size, &cursor, &e)) == 1) {
		const uint8_t *d = e.data, *name = (const uint8_t *)e.name;

		CHECKF(name >= a && name + strlen(e.name) < a + size, "name outside");
		CHECKF(d >= a && (size_t)(d - a) <= size && e.size <= size - (size_t)(d - a),
		       "data outside");
		if (w->n < MAX_ENTRIES)
			w->e[w->n++] = e;
		if (++steps > size / 112 + 1) {
			CHECKF(0, "iteration does not end");
			break;
		}
	}
	CHECK(w->result <= 0);
}

/* Every prefix of the archive: entries seen are exactly the full ones, in order. */
static void fuzz_truncate(const struct blob *pkg, const char *what)
{
	struct walk full, part;
	size_t len, i, errors = 0;

	walk_all(pkg->data, pkg->size, &full);
	CHECK_EQ(full.result, 0);
	for (len = 0; len < pkg->size; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, pkg->data, len);
		walk_all(copy, len, &part);
		errors += part.result < 0;
		CHECK(part.n <= full.n);
		for (i = 0; i < part.n && i < full.n; i++) {
			CHECKF(strcmp(part.e[i].name, full.e[i].name) == 0 &&
				       part.e[i].size == full.e[i].size &&
				       (const uint8_t *)part.e[i].data - copy ==
					       (const uint8_t *)full.e[i].data - pkg->data,
			       "%s truncated at %zu: entry %zu differs", what, len, i);
		}
		free(copy);
	}
	printf("truncate %s: %zu lengths, %zu ended in an error\n", what, pkg->size, errors);
}

static void mutate(uint8_t *p, size_t size)
{
	static const char useful[] = "0123456789abcdefABCDEF07!/.\0";
	int flips = 1 + (int)(rng() % 4), i;

	for (i = 0; i < flips; i++) {
		size_t at = (size_t)(rng() % size);

		if (rng() & 1)
			p[at] = (uint8_t)rng();
		else
			p[at] = (uint8_t)useful[rng() % (sizeof(useful) - 1)];
	}
}

static void fuzz_corrupt(const struct blob *pkg, const char *what, int rounds)
{
	int r, ok = 0;
	struct walk w;

	if (pkg->size == 0)
		return;
	for (r = 0; r < rounds; r++) {
		size_t len = pkg->size - (rng() & 1 ? 0 : (size_t)(rng() % pkg->size));
		uint8_t *copy = malloc(len ? len : 1);
		struct cpio_entry e;

		memcpy(copy, pkg->data, len);
		if (len)
			mutate(copy, len);
		walk_all(copy, len, &w);
		ok += w.result == 0;
		cpio_find(copy, len, "kernel.txt", &e);
		free(copy);
	}
	printf("fuzz %s: %d mutants, %d read to the end\n", what, rounds, ok);
}

static void fuzz_archive(const char *file)
{
	struct blob pkg = load(file);

	if (!pkg.data || pkg.size == 0) {
		free(pkg.data);
		return;
	}
	fuzz_truncate(&pkg, file);
	fuzz_corrupt(&pkg, file, 20000);
	free(pkg.data);
}

/* ---- path_resolve ---- */

static void check_resolve(const char *cfg, const char *file, const char *want)
{
	char out[64];
	int r = path_resolve(cfg, file, out, sizeof(out));

	if (want)
		CHECKF(r == 0 && strcmp(out, want) == 0, "resolve(%s, %s): %d \"%s\", want \"%s\"",
		       cfg, file, r, r ? "" : out, want);
	else
		CHECKF(r == -1 && out[0] == '\0', "resolve(%s, %s) should fail: %d \"%s\"", cfg,
		       file, r, out);
}

static void test_path_resolve(void)
{
	check_resolve("work/main/configs/demo.cfg", "../build/Image", "work/main/build/Image");
	check_resolve("work/main/configs/demo.cfg", "Image", "work/main/configs/Image");
	check_resolve("work/main/configs/demo.cfg", "./a/./b", "work/main/configs/a/b");
	check_resolve("work/main/configs/demo.cfg", "/boot/Image", "boot/Image");
	check_resolve("work/main/configs/demo.cfg", "//boot//x///y", "boot/x/y");
	check_resolve("work/main/configs/demo.cfg", "a/../../../../x", "x");
	check_resolve("work/main/configs/demo.cfg", "a/../../../../../x", NULL);
	check_resolve("work/main/configs/demo.cfg", "/../x", NULL);
	check_resolve("work/main/configs/demo.cfg", "/..", NULL);
	check_resolve("work/main/configs/demo.cfg", "/", NULL);
	check_resolve("work/main/configs/demo.cfg", "", NULL);
	check_resolve("work/main/configs/demo.cfg", "/a/..", NULL);
	check_resolve("demo.cfg", "Image", "Image");
	check_resolve("demo.cfg", "../Image", NULL);
	check_resolve("/etc/arx/demo.cfg", "k", "etc/arx/k");
	check_resolve("./etc//arx/./demo.cfg", "k/", "etc/arx/k");
	check_resolve("etc/../../demo.cfg", "k", NULL);
	check_resolve("a/b/c.cfg", "...", "a/b/...");
	check_resolve("a/b/c.cfg", "..x/.y", "a/b/..x/.y");
	/* Length limits: 63 characters fit in 64 bytes, 64 do not. */
	check_resolve("d/c.cfg", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		      "d/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	check_resolve("d/c.cfg", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		      NULL);
	/* A long path that shrinks again through ".." never overflows. */
	check_resolve("d/c.cfg", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/../cccccccccccccccccccccccccccccc",
		      "d/cccccccccccccccccccccccccccccc");
	{
		char small[1];

		CHECK_EQ(path_resolve("a/c.cfg", "k", small, 0), -1);
		CHECK_EQ(path_resolve("a/c.cfg", "k", small, 1), -1);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		data_dir = argv[1];
	test_basic_entries();
	test_empty_and_ends();
	test_bad_headers();
	test_bad_names();
	test_checksum();
	test_mkbootpkg_layout();
	test_mkbootpkg_boot_walk();
	test_mkbootpkg_missing();
	test_system_cpio("sys-newc.cpio", false);
	test_system_cpio("sys-crc.cpio", true);
	fuzz_archive("bootpkg.cpio");
	fuzz_archive("sys-newc.cpio");
	fuzz_archive("sys-crc.cpio");
	test_path_resolve();
	return check_summary();
}
