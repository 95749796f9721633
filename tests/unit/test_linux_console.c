/*
 * Host tests for hv/lib/cmdline.c and hv/lib/linux_console.c: how a kernel
 * command line splits into words, and which command lines make the PL011 a
 * Linux domain's console (so it gets no PV console, or every kernel message
 * would reach arx's console twice).
 */
#include <stdbool.h>
#include <stddef.h>

#include <arx/cmdline.h>
#include <arx/linux_console.h>

#include "check.h"

static void test_words(void)
{
	const char *pos = "  console=ttyAMA0   quiet x=1 ", *w;
	size_t len;

	w = cmdline_next_word(&pos, &len);
	CHECK(w && len == 15 && strncmp(w, "console=ttyAMA0", len) == 0);
	w = cmdline_next_word(&pos, &len);
	CHECK(w && len == 5 && strncmp(w, "quiet", len) == 0);
	w = cmdline_next_word(&pos, &len);
	CHECK(w && len == 3 && strncmp(w, "x=1", len) == 0);
	CHECK(cmdline_next_word(&pos, &len) == NULL && len == 0);
	CHECK(cmdline_next_word(&pos, &len) == NULL); /* and stays at the end */
	pos = "";
	CHECK(cmdline_next_word(&pos, &len) == NULL);
}

static void test_word_is(void)
{
	CHECK(cmdline_is("quiet", 5, "quiet", '='));
	CHECK(cmdline_is("arx.x=3", 7, "arx.x", '='));
	CHECK(!cmdline_is("arx.xy=3", 8, "arx.x", '='));
	CHECK(!cmdline_is("arx", 3, "arx.x", '='));
	CHECK(cmdline_is("ttyAMA0,115200", 14, "ttyAMA0", ','));
	CHECK(!cmdline_is("ttyAMA0=1", 9, "ttyAMA0", ','));
	CHECK(!cmdline_is("ttyAMA01", 8, "ttyAMA0", ','));
	CHECK(!cmdline_is("quiet", 3, "quiet", '=')); /* only len bytes count */
}

struct console_case {
	const char *cmdline;
	bool pl011;
};

static const struct console_case cases[] = {
	/* The PL011 is the console: Linux's hvc0 would copy it. */
	{ "console=ttyAMA0", true },
	{ "console=ttyAMA0,115200n8 hostname=a", true },
	{ "earlycon console=ttyAMA0", true },
	{ "", true }, /* no console=: /chosen/stdout-path names the PL011 */
	{ "hostname=a quiet", true },
	{ "console=ttyAMA0 -- console=hvc0", true }, /* after "--": init's arguments */
	{ "consolex=hvc0", true },
	{ "console", true }, /* not console=: Linux ignores it */
	/* hvc0 is asked for: the PV console stays. */
	{ "console=hvc0", false },
	{ "console=hvc0 earlycon", false },
	{ "console=ttyAMA0 console=hvc0", false },
	{ "console=hvc0 console=ttyAMA0", false },
	{ "console=hvc0,115200", false },
	/* Another console is named: the PL011 is none, hvc0 carries the kernel's messages. */
	{ "console=tty0", false },
	{ "console=", false }, /* no console at all (ttynull) */
	{ "console=ttyAMA1", false },
	{ "console=ttyAMA01", false },
	{ "console=hvc1", false },
};

static void test_consoles(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[128];
		snprintf(what, sizeof(what), "\"%s\" makes the PL011 the console: %d",
			 cases[i].cmdline, cases[i].pl011);
		check_record(linux_console_is_pl011(cases[i].cmdline) == cases[i].pl011, __FILE__,
			     __LINE__, what);
	}
}

int main(void)
{
	test_words();
	test_word_is();
	test_consoles();
	return check_summary();
}
