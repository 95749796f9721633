/*
 * Host tests for hv/core/console_mux.c: which tags and line ends the mux
 * adds between sources, and what it leaves alone. Each case feeds text
 * from sources in turn and compares the whole UART output.
 */
#include <stdio.h>
#include <string.h>

#include <arx/console_mux.h>

#include "check.h"

static char out[4096];
static size_t out_len;

static void emit(const char *s, size_t len)
{
	if (out_len + len < sizeof(out)) {
		memcpy(out + out_len, s, len);
		out_len += len;
	}
	out[out_len] = '\0';
}

static struct console_mux fresh(void)
{
	struct console_mux m = CONSOLE_MUX_INIT(emit);
	out_len = 0;
	out[0] = '\0';
	return m;
}

static void put(struct console_mux *m, unsigned int src, const char *s)
{
	for (; *s; s++)
		mux_putc(m, src, *s);
}

/* arx's text as printk hands it over: '\n' already made "\r\n". */
static void arx(struct console_mux *m, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			mux_putc(m, MUX_ARX, '\r');
		mux_putc(m, MUX_ARX, *s);
	}
}

static void test_each_line_tagged(void)
{
	struct console_mux m = fresh();
	put(&m, 1, "one\r\ntwo\r\n\r\nthree");
	CHECK_STR(out, "(d1) one\r\n(d1) two\r\n\r\n(d1) three");
}

static void test_arx_lines_untagged(void)
{
	struct console_mux m = fresh();
	arx(&m, "\narx: ready\narx: go\n");
	CHECK_STR(out, "\r\narx: ready\r\narx: go\r\n");
}

static void test_cut_and_resume(void)
{
	struct console_mux m = fresh();
	put(&m, 1, "/ # ");
	arx(&m, "arx: hello\n");
	put(&m, 1, "ls\r\n");
	CHECK_STR(out, "(d1) / # \r\narx: hello\r\n(d1) ls\r\n");
}

static void test_resumed_line_end_not_doubled(void)
{
	struct console_mux m = fresh();
	put(&m, 2, "half");
	put(&m, 1, "x\r\n");
	put(&m, 2, "\r\nnext\r\n");
	CHECK_STR(out, "(d2) half\r\n(d1) x\r\n(d2) next\r\n");
}

static void test_two_domains_interleaved(void)
{
	struct console_mux m = fresh();
	put(&m, 1, "ab");
	put(&m, 2, "cd");
	put(&m, 1, "e\r\n");
	put(&m, 2, "\r\n");
	CHECK_STR(out, "(d1) ab\r\n(d2) cd\r\n(d1) e\r\n");
}

static void test_arx_line_cut(void)
{
	struct console_mux m = fresh();
	arx(&m, "arx: part");
	put(&m, 3, "guest\r\n");
	arx(&m, " rest\n");
	CHECK_STR(out, "arx: part\r\n(d3) guest\r\narx:  rest\r\n");
}

static void test_carriage_return_retags(void)
{
	struct console_mux m = fresh();
	put(&m, 1, "50%\r75%\r\n");
	CHECK_STR(out, "(d1) 50%\r(d1) 75%\r\n");
}

static void test_guest_cannot_end_in_escape(void)
{
	struct console_mux m = fresh();
	put(&m, 1, "\x1b]0;title");
	arx(&m, "arx: x\n");
	CHECK_STR(out, "(d1) \x1b]0;title\x18\x0f\x1b(B\x1b[0m\r\narx: x\r\n");
}

static void test_escape_reset_at_line_start_too(void)
{
	struct console_mux m = fresh();
	put(&m, 1, "\x0e\r\n");
	arx(&m, "arx: x\n");
	CHECK_STR(out, "(d1) \x0e\r\n\x18\x0f\x1b(B\x1b[0marx: x\r\n");
}

static void test_no_reset_for_plain_text(void)
{
	struct console_mux m = fresh();
	put(&m, 1, "plain\r\n");
	put(&m, 2, "x");
	CHECK_STR(out, "(d1) plain\r\n(d2) x");
}

static void test_shell_prompt_and_redraw(void)
{
	struct console_mux m = fresh();
	m.shell_line = "li";
	m.shell_len = 0;
	mux_show(&m, MUX_SHELL);
	mux_putc(&m, MUX_SHELL, 'l');
	m.shell_len = 1;
	mux_putc(&m, MUX_SHELL, 'i');
	put(&m, 1, "boo\r\n");
	m.shell_len = 2;
	mux_putc(&m, MUX_SHELL, 's');
	CHECK_STR(out, "arx> li\r\n(d1) boo\r\narx> lis");
}

static void test_shell_prompt_after_output(void)
{
	struct console_mux m = fresh();
	m.shell_line = "";
	m.shell_len = 0;
	mux_show(&m, MUX_SHELL);
	mux_putc(&m, MUX_SHELL, '\r');
	mux_putc(&m, MUX_SHELL, '\n');
	arx(&m, "arx: listed\n");
	mux_show(&m, MUX_SHELL);
	mux_show(&m, MUX_SHELL);
	CHECK_STR(out, "arx> \r\narx: listed\r\narx> ");
}

static void test_long_line_passes_at_once(void)
{
	struct console_mux m = fresh();
	for (int i = 0; i < 1000; i++)
		mux_putc(&m, 7, 'x');
	CHECK_EQ(out_len, 1005);
	put(&m, 8, "y");
	CHECK(!strcmp(out + 1005, "\r\n(d8) y"));
}

static void test_big_domain_id(void)
{
	struct console_mux m = fresh();
	put(&m, 4000000000u, "z");
	CHECK_STR(out, "(d4000000000) z");
}

/* A domain's text through mux_guest_putc, as vpl011 hands it over. */
static void guest(struct console_mux *m, unsigned int domid, const char *s)
{
	for (; *s; s++)
		mux_guest_putc(m, domid, *s);
}

static void test_live_domain_shown_at_once(void)
{
	struct console_mux m = fresh();
	mux_set_live(&m, 1);
	guest(&m, 1, "/ # ");
	CHECK_STR(out, "(d1) / # ");
}

static void test_other_domains_a_line_at_a_time(void)
{
	struct console_mux m = fresh();
	mux_set_live(&m, 1);
	guest(&m, 1, "ab");
	guest(&m, 2, "two\r");
	guest(&m, 1, "c");
	guest(&m, 3, "three\r\n");
	guest(&m, 2, "\n");
	guest(&m, 1, "d\r\n");
	CHECK_STR(out, "(d1) abc\r\n(d3) three\r\n(d2) two\r\n(d1) d\r\n");
}

static void test_cut_live_line_shown_whole_again(void)
{
	struct console_mux m = fresh();
	mux_set_live(&m, 1);
	guest(&m, 1, "\nARX-GUES");
	guest(&m, 2, "x\n");
	guest(&m, 1, "T-READY\r\n");
	CHECK_STR(out, "\n(d1) ARX-GUES\r\n(d2) x\n(d1) ARX-GUEST-READY\r\n");
}

static void test_cut_live_line_with_escapes_not_repeated(void)
{
	struct console_mux m = fresh();
	mux_set_live(&m, 1);
	guest(&m, 1, "\n# \x1b[6n");
	guest(&m, 2, "x\n");
	guest(&m, 1, "ls");
	CHECK_STR(out, "\n(d1) # \x1b[6n\x18\x0f\x1b(B\x1b[0m\r\n(d2) x\n(d1) ls");
}

static void test_held_prompt_shown_with_focus(void)
{
	struct console_mux m = fresh();
	mux_set_live(&m, 1);
	guest(&m, 2, "log\r\n~ # ");
	CHECK_STR(out, "(d2) log\r\n");
	mux_set_live(&m, 2);
	arx(&m, "arx: input goes to d2\n");
	mux_flush_live(&m);
	guest(&m, 2, "l");
	CHECK_STR(out, "(d2) log\r\narx: input goes to d2\r\n(d2) ~ # l");
}

static void test_held_text_before_arx_message(void)
{
	struct console_mux m = fresh();
	guest(&m, 4, "Kernel panic");
	mux_flush(&m);
	arx(&m, "arx: domain 4 crashed\n");
	CHECK_STR(out, "(d4) Kernel panic\r\narx: domain 4 crashed\r\n");
}

static void test_endless_line_goes_in_pieces(void)
{
	struct console_mux m = fresh();
	for (int i = 0; i < MUX_LINE_MAX - 1; i++)
		mux_guest_putc(&m, 5, 'x');
	CHECK_EQ(out_len, 0);
	mux_guest_putc(&m, 5, 'x');
	CHECK_EQ(out_len, MUX_LINE_MAX + 5);
	mux_guest_putc(&m, 5, 'y');
	guest(&m, 6, "z\n");
	CHECK(!strcmp(out + MUX_LINE_MAX + 5, "\r\n(d6) z\n"));
}

static void test_slot_reused_by_another_domain(void)
{
	struct console_mux m = fresh();
	guest(&m, 1, "last words");
	guest(&m, 1 + MUX_SLOTS, "new\n");
	CHECK_STR(out, "(d1) last words\r\n(d17) new\n");
}

int main(void)
{
	test_each_line_tagged();
	test_arx_lines_untagged();
	test_cut_and_resume();
	test_resumed_line_end_not_doubled();
	test_two_domains_interleaved();
	test_arx_line_cut();
	test_carriage_return_retags();
	test_guest_cannot_end_in_escape();
	test_escape_reset_at_line_start_too();
	test_no_reset_for_plain_text();
	test_shell_prompt_and_redraw();
	test_shell_prompt_after_output();
	test_long_line_passes_at_once();
	test_big_domain_id();
	test_live_domain_shown_at_once();
	test_other_domains_a_line_at_a_time();
	test_cut_live_line_shown_whole_again();
	test_cut_live_line_with_escapes_not_repeated();
	test_held_prompt_shown_with_focus();
	test_held_text_before_arx_message();
	test_endless_line_goes_in_pieces();
	test_slot_reused_by_another_domain();
	return check_summary();
}
