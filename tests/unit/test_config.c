/*
 * Host tests for hv/lib/config.c: good configs give the right fields, bad
 * ones the exact message naming file, line and key, and random bytes never
 * crash it. Every text is copied into a malloc'd buffer of exactly its
 * length with no NUL after it, so reading past the end trips ASan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/domain_config.h>

#include "check.h"

/* Parses text[0..len) from an exact-size copy. */
static int parse_n(const char *text, size_t len, const char *file, struct domain_config *cfg,
		   char *err, size_t err_size)
{
	char *copy = malloc(len ? len : 1);
	int r;

	if (len)
		memcpy(copy, text, len);
	r = config_parse(copy, len, file, cfg, err, err_size);
	free(copy);
	return r;
}

static int parse(const char *text, struct domain_config *cfg, char *err, size_t err_size)
{
	return parse_n(text, strlen(text), "x.cfg", cfg, err, err_size);
}

#define BASE "name = \"d\"\nmemory = 64\nkernel = \"k\"\n"

/* Configs that must be refused, with the message they must give. */
static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{ "name = \"d\"\nkernel = \"k\"\nmemory = 12x\n", "x.cfg:3: memory: not a number" },
	{ BASE "\n#\ncolour = 3\n", "x.cfg:6: colour: unknown key" },
	{ "name = \"a\"\nname = \"b\"\n", "x.cfg:2: name: given twice" },
	{ BASE "vcpus = 9\n", "x.cfg:4: vcpus: out of range (1-8)" },
	{ BASE "vcpus = 0\n", "x.cfg:4: vcpus: out of range (1-8)" },
	{ BASE "vcpus = 99999999999999999999999999999\n", "x.cfg:4: vcpus: out of range (1-8)" },
	{ BASE "vcpus = 18446744073709551617\n", "x.cfg:4: vcpus: out of range (1-8)" },
	{ BASE "vcpus = 4294967297\n", "x.cfg:4: vcpus: out of range (1-8)" },
	{ BASE "vcpus = 1\nvcpus = 1\n", "x.cfg:5: vcpus: given twice" },
	{ "memory = 3", "x.cfg:1: memory: out of range (4-65536)" },
	{ "memory = 65537", "x.cfg:1: memory: out of range (4-65536)" },
	{ "memory = 18446744073709551616", "x.cfg:1: memory: out of range (4-65536)" },
	{ "memory = -5", "x.cfg:1: memory: not a number" },
	{ "memory = +5", "x.cfg:1: memory: not a number" },
	{ "memory = 0x100", "x.cfg:1: memory: not a number" },
	{ "memory = \"256\"", "x.cfg:1: memory: not a number" },
	{ "memory = 25.6", "x.cfg:1: memory: not a number" },
	{ "memory =", "x.cfg:1: memory: not a number" },
	{ "memory = # none", "x.cfg:1: memory: not a number" },
	{ "memory = 25 6", "x.cfg:1: memory: unexpected text after the value" },
	{ "memory = 256MB", "x.cfg:1: memory: not a number" },
	{ "kernel = Image", "x.cfg:1: kernel: string expected (in double quotes)" },
	{ "kernel = 'Image'", "x.cfg:1: kernel: string expected (in double quotes)" },
	{ "kernel =", "x.cfg:1: kernel: string expected (in double quotes)" },
	{ "kernel = \"\"", "x.cfg:1: kernel: empty" },
	{ "kernel = \"Image", "x.cfg:1: kernel: unterminated string" },
	{ "kernel = \"Image\\", "x.cfg:1: kernel: unterminated string" },
	{ "kernel = \"Image\n\"", "x.cfg:1: kernel: unterminated string" },
	{ "kernel = \"a\\nb\"",
	  "x.cfg:1: kernel: invalid escape (only \\\" and \\\\ are allowed)" },
	{ "kernel = \"a\tb\"", "x.cfg:1: kernel: control character in string" },
	{ "kernel = \"a\x7f\"", "x.cfg:1: kernel: control character in string" },
	{ "kernel = \"a\" \"b\"", "x.cfg:1: kernel: unexpected text after the value" },
	{ "kernel = \"a\"b", "x.cfg:1: kernel: unexpected text after the value" },
	{ "name = \"\"", "x.cfg:1: name: empty" },
	{ "name = \"a b\"", "x.cfg:1: name: invalid character (allowed: A-Z a-z 0-9 _ . -)" },
	{ "name = \"a/b\"", "x.cfg:1: name: invalid character (allowed: A-Z a-z 0-9 _ . -)" },
	{ "name = \"caf\xc3\xa9\"",
	  "x.cfg:1: name: invalid character (allowed: A-Z a-z 0-9 _ . -)" },
	{ "name = \"0123456789012345678901234567890x\"",
	  "x.cfg:1: name: too long (max 31 characters)" },
	{ "type = \"xen\"", "x.cfg:1: type: must be \"linux\" or \"testos\"" },
	{ "type = \"linuxlinux\"", "x.cfg:1: type: must be \"linux\" or \"testos\"" },
	{ "type = \"Linux\"", "x.cfg:1: type: must be \"linux\" or \"testos\"" },
	{ "type = \"\"", "x.cfg:1: type: must be \"linux\" or \"testos\"" },
	{ "type = linux", "x.cfg:1: type: string expected (in double quotes)" },
	{ "type = \"linux", "x.cfg:1: type: unterminated string" },
	{ "just words", "x.cfg:1: syntax error: expected key = value" },
	{ "\n\n\n\n\n\n\n\nname \"x\"", "x.cfg:9: syntax error: expected key = value" },
	{ "name", "x.cfg:1: syntax error: expected key = value" },
	{ "= 5", "x.cfg:1: syntax error: expected key = value" },
	{ "name: \"x\"", "x.cfg:1: syntax error: expected key = value" },
	{ "na me = \"x\"", "x.cfg:1: syntax error: expected key = value" },
	{ "\"name\" = \"x\"", "x.cfg:1: syntax error: expected key = value" },
	{ "name == \"x\"", "x.cfg:1: name: string expected (in double quotes)" },
	{ "Name = \"x\"", "x.cfg:1: Name: unknown key" },
	{ "extra_stuff_9 = 1", "x.cfg:1: extra_stuff_9: unknown key" },
	{ "x123456789x123456789x123456789x123456789x123456789 = 1",
	  "x.cfg:1: x123456789x123456789x123456789x123456789: unknown key" },
	{ "name = \"a\"\r\nmemory = 4\r\nmemory = 4\r\n", "x.cfg:3: memory: given twice" },
	{ "name = \"a\"\rmemory = 4", "x.cfg:1: name: unexpected text after the value" },
	{ "name = \"a\"\r\r\n", "x.cfg:1: name: unexpected text after the value" },
	{ "\fname = \"a\"", "x.cfg:1: syntax error: expected key = value" },
	{ "", "x.cfg: name: missing (required)" },
	{ "# nothing\n\n", "x.cfg: name: missing (required)" },
	{ "name = \"a\"\nkernel = \"k\"", "x.cfg: memory: missing (required)" },
	{ "name = \"a\"\nmemory = 4", "x.cfg: kernel: missing (required)" },
	{ "ramdisk = \"r\"\nramdisk = \"r\"", "x.cfg:2: ramdisk: given twice" },
	{ "dom0 = 2", "x.cfg:1: dom0: out of range (0-1)" },
	{ "name = \"d\"\nmemory = 64\nkernel = \"k\"\ntype = \"testos\"\ndom0 = 1",
	  "x.cfg: dom0: the control domain needs xen = 1" },
	{ "name = \"d\"\nmemory = 64\nkernel = \"k\"\nxen = 0\ndom0 = 1",
	  "x.cfg: dom0: the control domain needs xen = 1" },
	{ "disk = \"target=/a b'c\"", "x.cfg:1: disk: invalid character (printable ASCII "
	  "without quotes, backslash, backquote or $)" },
	{ "vif = \"mac=$(reboot)\"", "x.cfg:1: vif: invalid character (printable ASCII "
	  "without quotes, backslash, backquote or $)" },
	{ "vif = \"a\\\"b\"", "x.cfg:1: vif: invalid character (printable ASCII "
	  "without quotes, backslash, backquote or $)" },
	{ "disk = \"a\tb\"", "x.cfg:1: disk: control character in string" },
	{ "disk = \"a\xc3\xa9\"", "x.cfg:1: disk: invalid character (printable ASCII "
	  "without quotes, backslash, backquote or $)" },
	{ "disk = \"x\"\ndisk = \"y\"", "x.cfg:2: disk: given twice" },
	{ "name = \"d\"\nmemory = 64\nkernel = \"k\"\nxen = 0\ndisk = \"vdev=xvda\"",
	  "x.cfg: disk: devices come through Xen's drivers: needs xen = 1" },
	{ "name = \"d\"\nmemory = 64\nkernel = \"k\"\ntype = \"testos\"\nvif = \"bridge=b\"",
	  "x.cfg: vif: devices come through Xen's drivers: needs xen = 1" },
	{ "name = \"d\"\nmemory = 64\nkernel = \"k\"\ndom0 = 1\nvif = \"bridge=b\"",
	  "x.cfg: vif: the control domain serves devices, it has none" },
};

static void test_bad(void)
{
	struct domain_config cfg;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(err, 'Z', sizeof(err));
		CHECKF(parse(bad[i].text, &cfg, err, sizeof(err)) == -1, "case %zu accepted", i);
		CHECKF(strcmp(err, bad[i].err) == 0, "case %zu: got \"%s\", want \"%s\"", i, err,
		       bad[i].err);
		/* A refused config leaves nothing half-filled behind. */
		CHECK(cfg.name[0] == '\0' && cfg.kernel[0] == '\0' && cfg.memory_mib == 0);
	}
}

static void test_example(void)
{
	static const char text[] =
		"# comment\n"
		"name = \"linux1\"\n"
		"type = \"linux\"          # linux | testos\n"
		"memory = 256            # MiB\n"
		"vcpus = 2\n"
		"kernel = \"../build/guests/linux/Image\"\n"
		"ramdisk = \"../build/guests/linux/initramfs.cpio.gz\"\n"
		"cmdline = \"console=ttyAMA0\"\n";
	struct domain_config cfg;
	char err[256] = "";

	CHECKF(parse(text, &cfg, err, sizeof(err)) == 0, "example: %s", err);
	CHECK_STR(cfg.name, "linux1");
	CHECK_EQ(cfg.type, DOMAIN_LINUX);
	CHECK_EQ(cfg.memory_mib, 256);
	CHECK_EQ(cfg.vcpus, 2);
	CHECK_STR(cfg.kernel, "../build/guests/linux/Image");
	CHECK_STR(cfg.ramdisk, "../build/guests/linux/initramfs.cpio.gz");
	CHECK_STR(cfg.cmdline, "console=ttyAMA0");
	CHECK_STR(err, "");
	CHECK(!config_has_devices(&cfg));
}

/* Disks and vifs: xl's specs, kept as written for the control domain's toolstack. */
static void test_devices(void)
{
	static const char text[] =
		"name = \"io\"\nmemory = 64\nkernel = \"k\"\n"
		"disk = \"format=raw, vdev=xvda, access=rw, target=/var/lib/arx/a.img; "
		"phy:/dev/loop7,xvdb,r\"\n"
		"vif = \"bridge=xenbr0, mac=00:16:3e:77:00:30\"\n";
	struct domain_config cfg;
	char err[256] = "";

	CHECKF(parse(text, &cfg, err, sizeof(err)) == 0, "devices: %s", err);
	CHECK_STR(cfg.disk, "format=raw, vdev=xvda, access=rw, target=/var/lib/arx/a.img; "
			    "phy:/dev/loop7,xvdb,r");
	CHECK_STR(cfg.vif, "bridge=xenbr0, mac=00:16:3e:77:00:30");
	CHECK(cfg.xen && config_has_devices(&cfg));
}

static const char layout[] = "\r\n  # c\r\n\tname\t=\t\"a.B-9_\"  \t\r\n"
			     "memory= 0065536 # max\r\n"
			     "vcpus =8\n"
			     "type = \"testos\"#x\n"
			     "kernel = \"dir with space/#not a comment\"\n"
			     "ramdisk = \"\"\n"
			     "cmdline = \"a=\\\"b c\\\" d\\\\e \xc3\xa9\"   \n"
			     "   \n";

static void test_defaults_and_layout(void)
{
	struct domain_config cfg;
	char err[256];

	CHECK_EQ(parse("memory=4\nkernel=\"k\"\nname=\"n\"", &cfg, err, sizeof(err)), 0);
	CHECK_EQ(cfg.vcpus, 1);
	CHECK_EQ(cfg.type, DOMAIN_LINUX);
	CHECK_EQ(cfg.memory_mib, 4);
	CHECK_STR(cfg.ramdisk, "");
	CHECK_STR(cfg.cmdline, "");
	/* Tabs, CRLF, trailing blanks, comments, '#' and escapes inside strings. */
	CHECK_EQ(parse(layout, &cfg, err, sizeof(err)), 0);
	CHECK_STR(cfg.name, "a.B-9_");
	CHECK_EQ(cfg.memory_mib, 65536);
	CHECK_EQ(cfg.vcpus, 8);
	CHECK_EQ(cfg.type, DOMAIN_TESTOS);
	CHECK_STR(cfg.kernel, "dir with space/#not a comment");
	CHECK_STR(cfg.ramdisk, "");
	CHECK_STR(cfg.cmdline, "a=\"b c\" d\\e \xc3\xa9");
}

/* name = "<n x c>" style line: the key and n repetitions of c. */
static char *long_line(const char *key, size_t n, const char *tail)
{
	char *s = malloc(n + 256);
	size_t len = (size_t)sprintf(s, "%s = \"", key);

	memset(s + len, 'a', n);
	sprintf(s + len + n, "\"\n%s", tail);
	return s;
}

static void check_limit(const char *key, size_t max, const char *tail, int line)
{
	struct domain_config cfg;
	char err[256], want[256];
	char *fits = long_line(key, max, tail), *over = long_line(key, max + 1, tail);

	CHECKF(parse(fits, &cfg, err, sizeof(err)) == 0, "%s of %zu: %s", key, max, err);
	CHECK_EQ(parse(over, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "x.cfg:%d: %s: too long (max %zu characters)", line, key,
		 max);
	CHECK_STR(err, want);
	free(fits);
	free(over);
}

static void test_limits(void)
{
	check_limit("name", 31, "memory = 4\nkernel = \"k\"\n", 1);
	check_limit("kernel", 255, "memory = 4\nname = \"k\"\n", 1);
	check_limit("ramdisk", 255, BASE, 1);
	check_limit("cmdline", 511, BASE, 1);
	{
		char *over = long_line("cmdline", 512, "");
		char text[1024];
		struct domain_config cfg;
		char err[256];

		snprintf(text, sizeof(text), "%s\n# x\n\n%s", BASE, over);
		CHECK_EQ(parse(text, &cfg, err, sizeof(err)), -1);
		CHECK_STR(err, "x.cfg:7: cmdline: too long (max 511 characters)");
		free(over);
	}
}

/* The text is len bytes: NULs inside are errors, a missing final NUL is fine. */
static void test_nul_and_length(void)
{
	static const char with_nul[] = "name = \"d\"\nmemory = 64\nkernel = \"k\0\"\n";
	static const char comment_nul[] = BASE "# \0 hidden?\n";
	struct domain_config cfg;
	char err[256];

	CHECK_EQ(parse_n(with_nul, sizeof(with_nul) - 1, "n.cfg", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, "n.cfg:3: syntax error: NUL byte in the text");
	CHECK_EQ(parse_n(comment_nul, sizeof(comment_nul) - 1, "n.cfg", &cfg, err, sizeof(err)),
		 -1);
	CHECK_STR(err, "n.cfg:4: syntax error: NUL byte in the text");
	/* Only the first len bytes count: the rest of the buffer is not read. */
	CHECK_EQ(parse_n(BASE "colour = 1", strlen(BASE), "n.cfg", &cfg, err, sizeof(err)), 0);
	CHECK_EQ(parse_n(BASE, strlen(BASE) - 2, "n.cfg", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, "n.cfg:3: kernel: unterminated string");
	CHECK_EQ(config_parse(NULL, 0, "n.cfg", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, "n.cfg: name: missing (required)");
}

/* Messages are cut to the buffer and always NUL-terminated; no buffer is fine. */
static void test_err_buffer(void)
{
	struct domain_config cfg;
	char err[8];

	memset(err, 'Z', sizeof(err));
	CHECK_EQ(parse("memory = x", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, "x.cfg:1");
	memset(err, 'Z', sizeof(err));
	CHECK_EQ(parse("colour = x", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, "x.cfg:1");
	memset(err, 'Z', sizeof(err));
	CHECK_EQ(parse("", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, "x.cfg: ");
	CHECK_EQ(parse("memory = x", &cfg, err, 0), -1);
	CHECK_EQ(err[0], 'x');
	CHECK_EQ(parse("memory = x", &cfg, NULL, 0), -1);
	CHECK_EQ(parse("memory = x", &cfg, NULL, 100), -1);
	CHECK_EQ(parse(BASE, &cfg, NULL, 0), 0);
	CHECK_EQ(parse_n(BASE "x", strlen(BASE) + 1, NULL, &cfg, err, sizeof(err)), -1);
	CHECK(err[0] != '\0');
}

/* ---- fuzzing ---- */

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool valid_name(const char *s)
{
	size_t n = strnlen(s, CONFIG_NAME_MAX);

	if (n == 0 || n >= CONFIG_NAME_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* What a successful parse promises; what a failed one must have written. */
static void check_outcome(int r, const struct domain_config *cfg, const char *err)
{
	if (r == 0) {
		CHECK(valid_name(cfg->name));
		CHECK(cfg->memory_mib >= CONFIG_MEMORY_MIN_MIB &&
		      cfg->memory_mib <= CONFIG_MEMORY_MAX_MIB);
		CHECK(cfg->vcpus >= 1 && cfg->vcpus <= CONFIG_VCPUS_MAX);
		CHECK(cfg->type == DOMAIN_LINUX || cfg->type == DOMAIN_TESTOS);
		CHECK(cfg->kernel[0] && strnlen(cfg->kernel, CONFIG_PATH_MAX) < CONFIG_PATH_MAX);
		CHECK(strnlen(cfg->ramdisk, CONFIG_PATH_MAX) < CONFIG_PATH_MAX);
		CHECK(strnlen(cfg->cmdline, CONFIG_CMDLINE_MAX) < CONFIG_CMDLINE_MAX);
		return;
	}
	CHECK_EQ(r, -1);
	CHECKF(strncmp(err, "f.cfg:", 6) == 0 && strlen(err) > 8, "bad message \"%s\"", err);
}

static void fuzz_random(int rounds)
{
	struct domain_config cfg;
	char text[300], err[128];
	int i;

	for (i = 0; i < rounds; i++) {
		size_t len = (size_t)(rng() % sizeof(text)), j;

		for (j = 0; j < len; j++)
			text[j] = (char)rng();
		check_outcome(parse_n(text, len, "f.cfg", &cfg, err, sizeof(err)), &cfg, err);
	}
	printf("fuzz random bytes: %d texts\n", rounds);
}

/* Mutates a good config with bytes that matter to the grammar. */
static void fuzz_mutants(int rounds)
{
	static const char seed[] = "# c\nname = \"lin-1\"\ntype = \"testos\"\nmemory = 256\n"
				   "vcpus = 2\nkernel = \"a/b\\\"c\"\r\nramdisk = \"r\"\n"
				   "cmdline = \"x=1 # y\"   # z\n";
	static const char alphabet[] = "\"\\#=\n\r\t 0123456789aZ_.-/\0\x7f\xff";
	struct domain_config cfg;
	char text[sizeof(seed)], err[128];
	int i, ok = 0;

	for (i = 0; i < rounds; i++) {
		size_t len = sizeof(seed) - 1 - (rng() % 4 ? 0 : (size_t)(rng() % sizeof(seed)));
		int k, flips = 1 + (int)(rng() % 3);
		int r;

		memcpy(text, seed, sizeof(seed));
		for (k = 0; k < flips && len; k++)
			text[rng() % len] = alphabet[rng() % (sizeof(alphabet) - 1)];
		r = parse_n(text, len, "f.cfg", &cfg, err, sizeof(err));
		ok += r == 0;
		check_outcome(r, &cfg, err);
	}
	printf("fuzz mutants: %d texts, %d accepted\n", rounds, ok);
}

int main(void)
{
	struct domain_config cfg;
	char err[64];

	test_example();
	test_devices();
	test_defaults_and_layout();
	test_bad();
	test_limits();
	test_nul_and_length();
	test_err_buffer();
	CHECK_EQ(parse_n(BASE, strlen(BASE), "seed.cfg", &cfg, err, sizeof(err)), 0);
	fuzz_random(50000);
	fuzz_mutants(200000);
	return check_summary();
}
