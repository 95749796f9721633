/*
 * The host device-tree parser (hv/core/platform.c): a good QEMU-like tree
 * gives the right description, and each broken variant (made from it with
 * fdtput by unit.mk) gives the message that names what is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arx/platform.h"
#include "check.h"

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[1 << 20];
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	void *copy = malloc(*len);
	memcpy(copy, buf, *len);
	return copy;
}

static void check_good_v3(const char *dir)
{
	char path[512];
	size_t len;
	struct platform p;
	snprintf(path, sizeof(path), "%s/virt-gicv3.dtb", dir);
	void *dtb = read_file(path, &len);
	CHECK(dtb != NULL);
	if (!dtb)
		return;
	const char *err = platform_parse(&p, dtb, len);
	CHECKF(err == NULL, "unexpected error: %s", err);
	CHECK_EQ(p.gic.version, 3);
	CHECK_EQ(p.gic.dist.base, 0x08000000);
	CHECK_EQ(p.gic.redist[0].base, 0x080a0000);
	CHECK_EQ(p.uart.base, 0x09000000);
	CHECK_EQ(p.psci, PSCI_SMC);
	CHECK_EQ(p.timer_hyp_irq, 26);
	CHECK(p.nr_ram >= 1);
	CHECK_EQ(p.ram[0].base, 0x40000000);
	CHECK(p.nr_cpus >= 1);
	free(dtb);
}

struct bad_case {
	const char *file;
	const char *message; /* a part of the expected message */
};

static const struct bad_case bad_cases[] = {
	{ "no-memory.dtb", "no usable memory node" },
	{ "no-psci.dtb", "no PSCI node with method \"smc\"" },
	{ "psci-hvc.dtb", "no PSCI node with method \"smc\"" },
	{ "no-gic.dtb", "no interrupt controller (GICv2 or GICv3)" },
	{ "unsupported-gic.dtb", "unsupported interrupt controller \"arm,gic-v5\"" },
	{ "no-uart.dtb", "no PL011 UART" },
	{ "no-cpus.dtb", "no CPU nodes" },
	{ "no-timer.dtb", "no arm,armv8-timer node" },
	{ "gicv2-no-virt.dtb", "GICv2 without virtualization extensions" },
};

static void check_bad(const char *dir, const struct bad_case *c)
{
	char path[512];
	size_t len;
	struct platform p;
	snprintf(path, sizeof(path), "%s/%s", dir, c->file);
	void *dtb = read_file(path, &len);
	CHECKF(dtb != NULL, "missing %s", path);
	if (!dtb)
		return;
	const char *err = platform_parse(&p, dtb, len);
	CHECKF(err && strstr(err, c->message), "%s: got \"%s\", want \"%s\"", c->file,
	       err ? err : "(no error)", c->message);
	free(dtb);
}

static void check_not_a_dtb(void)
{
	struct platform p;
	static const char junk[64] = "this is not a device tree";
	const char *err = platform_parse(&p, junk, sizeof(junk));
	CHECKF(err && strstr(err, "bad magic"), "got \"%s\"", err ? err : "(no error)");
}

static void check_options(void)
{
	struct platform p = { .bootargs = "console=x arx.selftest=crash arx.flag arx.selftestx=1" };
	char buf[16];
	CHECK_STR(platform_option(&p, "arx.selftest", buf, sizeof(buf)), "crash");
	CHECK_STR(platform_option(&p, "arx.flag", buf, sizeof(buf)), "");
	CHECK(platform_option(&p, "arx.none", buf, sizeof(buf)) == NULL);
	CHECK(platform_option(&p, "arx.selftest", buf, 3) == NULL); /* value does not fit */
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build/unit";
	check_good_v3(dir);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		check_bad(dir, &bad_cases[i]);
	check_not_a_dtb();
	check_options();
	return check_summary();
}
