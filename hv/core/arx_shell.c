/*
 * arx's own console. The line editor takes keys as the console line sends
 * them: printable ASCII goes into the line (at most LINE_MAX characters),
 * Backspace or DEL erases one, Ctrl-U the whole line, Enter (CR, LF or
 * CR LF) runs it; other control characters and escape sequences (arrow
 * and function keys) are ignored.
 *
 * Commands run in the UART's interrupt handler on whichever CPU takes it;
 * the domain_ctl functions only change a domain's state and kick CPUs,
 * and print their own message, on failure too.
 */
#include <arx/arx_shell.h>
#include <arx/console.h>
#include <arx/domain_ctl.h>
#include <arx/string.h>

#define LINE_MAX 80
#define MAX_WORDS 3
#define ID_DIGITS_MAX 9 /* fits an unsigned int */

#define KEY_BS 0x08
#define KEY_CTRL_U 0x15
#define KEY_ESC 0x1b
#define KEY_DEL 0x7f

static char line[LINE_MAX]; /* what is being typed */
static size_t line_len;
static char command[LINE_MAX + 1]; /* the line Enter made ready, as a C string */
static enum { KEYS_PLAIN, KEYS_ESC, KEYS_CSI } keys;
static bool after_cr;

void arx_shell_focus(void)
{
	console_shell_write(line, line_len, "");
}

/* Swallows escape sequences; true if c was part of one. */
static bool in_escape(char c)
{
	switch (keys) {
	case KEYS_ESC: /* ESC [ and ESC O start the sequences keys send */
		keys = c == '[' || c == 'O' ? KEYS_CSI : KEYS_PLAIN;
		return true;
	case KEYS_CSI: /* parameters and intermediates go on; anything else ends it */
		if (c < 0x20 || c > 0x3f)
			keys = KEYS_PLAIN;
		return true;
	default:
		if (c != KEY_ESC)
			return false;
		keys = KEYS_ESC;
		return true;
	}
}

static void erase(size_t n)
{
	for (; n && line_len; n--) {
		console_shell_write(line, line_len, "\b \b");
		line_len--;
	}
}

static void insert(char c)
{
	char s[2] = { c, '\0' };
	if (line_len == LINE_MAX)
		return;
	console_shell_write(line, line_len, s);
	line[line_len++] = c;
}

static bool enter(void)
{
	console_shell_write(line, line_len, "\r\n");
	memcpy(command, line, line_len);
	command[line_len] = '\0';
	line_len = 0;
	return true;
}

bool arx_shell_key(char c)
{
	bool lf_of_crlf = c == '\n' && after_cr;
	after_cr = c == '\r';
	if (in_escape(c) || lf_of_crlf)
		return false;
	if (c == '\r' || c == '\n')
		return enter();
	if (c == KEY_BS || c == KEY_DEL)
		erase(1);
	else if (c == KEY_CTRL_U)
		erase(line_len);
	else if (c >= 0x20 && c < 0x7f)
		insert(c);
	return false;
}

/* ---------------------------------------------------------------- commands */

static void cmd_help(void);
static void cmd_list(void);

struct command {
	const char *name;
	const char *usage;
	const char *help;
	void (*run)(void); /* a command without arguments */
	int (*on_domain)(unsigned int id); /* a command on one domain */
};

static const struct command commands[] = {
	{ "help", "help", "this list", cmd_help, NULL },
	{ "list", "list", "domains: id, name, state, vCPUs, memory, CPU time, grants mapped", cmd_list, NULL },
	{ "destroy", "destroy N", "end domain N and free its memory", NULL, domain_ctl_destroy },
	{ "restart", "restart N", "end domain N and build it again from its config", NULL,
	  domain_ctl_restart },
	{ "pause", "pause N", "stop running domain N's vCPUs", NULL, domain_ctl_pause },
	{ "unpause", "unpause N", "let domain N run again", NULL, domain_ctl_unpause },
};

static void cmd_help(void)
{
	printk("arx: arx's console; Ctrl-\\ gives the input to the next domain\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printk("arx:   %-10s %s\n", commands[i].usage, commands[i].help);
}

static void cmd_list(void)
{
	struct domain_info di;
	uint64_t free_pages, total_pages, heap_bytes, tables = 0;
	unsigned int n;
	printk("arx:   id name             state    vCPUs     MiB    CPU s  grants\n");
	for (n = 0; domain_ctl_info(n, &di); n++) {
		printk("arx: %4u %-16.31s %-8s %5u %7lu %5lu.%02lu %7u\n", di.id, di.name, di.state,
		       di.vcpus, di.memory_mib, di.cpu_time_us / 1000000,
		       di.cpu_time_us % 1000000 / 10000, di.grant_maps);
		tables += di.table_pages;
	}
	if (n == 0)
		printk("arx: (no domains)\n");
	domain_ctl_memory(&free_pages, &total_pages, &heap_bytes);
	printk("arx: memory: %lu of %lu pages free (4 KiB each); heap: %lu bytes in use; "
	       "stage-2 tables: %lu pages\n", free_pages, total_pages, heap_bytes, tables);
}

/* A domain id in decimal: digits only, no sign, short enough not to overflow. */
static bool parse_id(const char *s, unsigned int *id)
{
	unsigned int v = 0;
	size_t n;
	for (n = 0; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n == ID_DIGITS_MAX)
			return false;
		v = v * 10 + (unsigned int)(s[n] - '0');
	}
	*id = v;
	return n > 0;
}

static void run_on_domain(const struct command *c, char **words, unsigned int n)
{
	unsigned int id;
	if (n == 1)
		printk("arx: %s needs a domain id: %s (\"list\" shows them)\n", c->name, c->usage);
	else if (n > 2)
		printk("arx: %s takes one domain id: %s\n", c->name, c->usage);
	else if (!parse_id(words[1], &id))
		printk("arx: %s: \"%s\" is not a domain id (a number, as \"list\" shows)\n",
		       c->name, words[1]);
	else
		c->on_domain(id); /* it reports what it did or why it could not */
}

/* Splits s at spaces; returns the number of words, max + 1 if there are more. */
static unsigned int split(char *s, char **words, unsigned int max)
{
	unsigned int n = 0;
	while (*s) {
		if (*s == ' ') {
			*s++ = '\0';
			continue;
		}
		if (n == max)
			return max + 1;
		words[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	return n;
}

static void run_words(char **words, unsigned int n)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct command *c = &commands[i];
		if (strcmp(words[0], c->name))
			continue;
		if (c->on_domain)
			run_on_domain(c, words, n);
		else if (n > 1)
			printk("arx: %s takes no arguments\n", c->name);
		else
			c->run();
		return;
	}
	printk("arx: unknown command \"%s\" (try help)\n", words[0]);
}

void arx_shell_run(void)
{
	char *words[MAX_WORDS];
	unsigned int n = split(command, words, MAX_WORDS);
	if (n)
		run_words(words, n);
	console_shell_write(line, line_len, ""); /* the next prompt */
}
