/*
 * Parser for domain configuration files (see domain_config.h).
 *
 * The text comes from the boot package, so it is treated as len bytes of
 * anything: it need not end in a NUL and any NUL inside is an error. It is
 * read one line at a time; each line is blank, a comment, or
 * "key = value" with an optional trailing comment. The first problem ends
 * the parse with a message naming file, line and key, so a user can fix
 * the file without guessing. Numbers stop growing once they pass their
 * limit, so no input can make them wrap.
 */
#include <arx/domain_config.h>
#include <arx/fmt.h>
#include <arx/string.h>

/* Longest key echoed back in an "unknown key" message. */
#define KEY_ECHO_MAX 40

struct parser {
	const char *file;
	unsigned int line;
	char *err;
	size_t err_size;
	struct domain_config *out;
	unsigned int seen; /* one bit per entry of keys[] */
};

/* The current line without its line end; pos moves along it. */
struct line {
	const char *s;
	size_t len;
	size_t pos;
};

struct key_def {
	const char *key;
	bool required;
	int (*set)(struct parser *p, struct line *l);
};

/* Writes "<file>:<line>: <key>: <problem>" and returns -1. */
PRINTF_LIKE(3, 4) static int fail(struct parser *p, const char *key, const char *fmt, ...)
{
	size_t n = fmt_snprintf(p->err, p->err_size, "%s:%u: %s: ", p->file, p->line, key);
	va_list ap;

	if (n < p->err_size) {
		va_start(ap, fmt);
		fmt_vsnprintf(p->err + n, p->err_size - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* True when s[0..n) contains a NUL byte. */
static bool memchr_nul(const char *s, size_t n)
{
	while (n--) {
		if (*s++ == '\0')
			return true;
	}
	return false;
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static void skip_space(struct line *l)
{
	while (l->pos < l->len && is_space(l->s[l->pos]))
		l->pos++;
}

/* At the end of the line or at a comment: nothing more to read. */
static bool at_end(const struct line *l)
{
	return l->pos == l->len || l->s[l->pos] == '#';
}

/*
 * A decimal number in min..max. Digits past the limit are still consumed
 * but no longer added, so the value never exceeds max * 10 + 9.
 */
static int get_number(struct parser *p, struct line *l, const char *key, uint64_t min,
		      uint64_t max, uint64_t *out)
{
	size_t start = l->pos;
	uint64_t v = 0;

	while (!at_end(l) && !is_space(l->s[l->pos])) {
		char c = l->s[l->pos++];

		if (!is_digit(c))
			return fail(p, key, "not a number");
		if (v <= max)
			v = v * 10 + (uint64_t)(c - '0');
	}
	if (l->pos == start)
		return fail(p, key, "not a number");
	if (v < min || v > max)
		return fail(p, key, "out of range (%llu-%llu)", (unsigned long long)min,
			    (unsigned long long)max);
	*out = v;
	return 0;
}

/* One character of a quoted string at l->pos (after any backslash); 0 or -1. */
static int string_char(struct parser *p, struct line *l, const char *key, char *c)
{
	*c = l->s[l->pos++];
	if (*c == '\\') {
		if (l->pos == l->len)
			return fail(p, key, "unterminated string");
		*c = l->s[l->pos++];
		if (*c != '"' && *c != '\\')
			return fail(p, key, "invalid escape (only \\\" and \\\\ are allowed)");
	} else if ((unsigned char)*c < 0x20 || *c == 0x7f) {
		return fail(p, key, "control character in string");
	}
	return 0;
}

/*
 * A double-quoted string into buf (size bytes, NUL included). Returns 0,
 * -1 with the message written, or 1 when it does not fit, leaving the
 * message to the caller, who knows what the limit means.
 */
static int scan_string(struct parser *p, struct line *l, const char *key, char *buf,
		       size_t size)
{
	size_t n = 0;

	if (l->pos == l->len || l->s[l->pos] != '"')
		return fail(p, key, "string expected (in double quotes)");
	l->pos++;
	for (;;) {
		char c;

		if (l->pos == l->len)
			return fail(p, key, "unterminated string");
		if (l->s[l->pos] == '"')
			break;
		if (string_char(p, l, key, &c))
			return -1;
		if (n + 1 >= size)
			return 1;
		buf[n++] = c;
	}
	l->pos++; /* the closing quote */
	buf[n] = '\0';
	return 0;
}

static int get_string(struct parser *p, struct line *l, const char *key, char *buf, size_t size)
{
	int r = scan_string(p, l, key, buf, size);

	if (r > 0)
		return fail(p, key, "too long (max %zu characters)", size - 1);
	return r;
}

static bool is_name_char(char c)
{
	return is_key_char(c) || c == '.' || c == '-';
}

static int set_name(struct parser *p, struct line *l)
{
	char *name = p->out->name;
	size_t i;

	if (get_string(p, l, "name", name, sizeof(p->out->name)))
		return -1;
	if (name[0] == '\0')
		return fail(p, "name", "empty");
	for (i = 0; name[i]; i++) {
		if (!is_name_char(name[i]))
			return fail(p, "name", "invalid character (allowed: A-Z a-z 0-9 _ . -)");
	}
	return 0;
}

static int set_type(struct parser *p, struct line *l)
{
	char type[8];
	int r = scan_string(p, l, "type", type, sizeof(type));

	if (r < 0)
		return -1;
	if (r == 0 && strcmp(type, "linux") == 0)
		p->out->type = DOMAIN_LINUX;
	else if (r == 0 && strcmp(type, "testos") == 0)
		p->out->type = DOMAIN_TESTOS;
	else
		return fail(p, "type", "must be \"linux\" or \"testos\"");
	return 0;
}

static int set_memory(struct parser *p, struct line *l)
{
	return get_number(p, l, "memory", CONFIG_MEMORY_MIN_MIB, CONFIG_MEMORY_MAX_MIB,
			  &p->out->memory_mib);
}

static int set_vcpus(struct parser *p, struct line *l)
{
	uint64_t v;

	if (get_number(p, l, "vcpus", 1, CONFIG_VCPUS_MAX, &v))
		return -1;
	p->out->vcpus = (unsigned int)v;
	return 0;
}

static int set_kernel(struct parser *p, struct line *l)
{
	if (get_string(p, l, "kernel", p->out->kernel, sizeof(p->out->kernel)))
		return -1;
	if (p->out->kernel[0] == '\0')
		return fail(p, "kernel", "empty");
	return 0;
}

/* An empty ramdisk string means none, like leaving the key out. */
static int set_ramdisk(struct parser *p, struct line *l)
{
	return get_string(p, l, "ramdisk", p->out->ramdisk, sizeof(p->out->ramdisk));
}

static int set_cmdline(struct parser *p, struct line *l)
{
	return get_string(p, l, "cmdline", p->out->cmdline, sizeof(p->out->cmdline));
}

/* A key that is 0 or 1. */
static int set_flag(struct parser *p, struct line *l, const char *key, bool *flag)
{
	uint64_t v;

	if (get_number(p, l, key, 0, 1, &v))
		return -1;
	*flag = v == 1;
	return 0;
}

static int set_xen(struct parser *p, struct line *l)
{
	return set_flag(p, l, "xen", &p->out->xen);
}

static int set_dom0(struct parser *p, struct line *l)
{
	return set_flag(p, l, "dom0", &p->out->dom0);
}

static int set_weight(struct parser *p, struct line *l)
{
	uint64_t v;

	if (get_number(p, l, "weight", 1, CONFIG_WEIGHT_MAX, &v))
		return -1;
	p->out->weight = (unsigned int)v;
	return 0;
}

/* A CPU number in a cpus list: decimal, below CONFIG_MAX_CPUS. */
static int cpu_number(struct parser *p, const char **s, unsigned int *out)
{
	unsigned int v = 0;
	const char *start = *s;

	while (is_digit(**s) && v < CONFIG_MAX_CPUS)
		v = v * 10 + (unsigned int)(*(*s)++ - '0');
	if (*s == start || is_digit(**s) || v >= CONFIG_MAX_CPUS)
		return fail(p, "cpus", "expected CPU numbers 0-%u like \"0-1\" or \"0,2\"",
			    CONFIG_MAX_CPUS - 1);
	*out = v;
	return 0;
}

/* "0-1", "2", "0,2-3": ranges and single CPUs separated by commas. */
static int parse_cpu_list(struct parser *p, const char *s, uint64_t *mask)
{
	*mask = 0;
	for (;;) {
		unsigned int lo, hi;

		if (cpu_number(p, &s, &lo))
			return -1;
		hi = lo;
		if (*s == '-' && (s++, cpu_number(p, &s, &hi)))
			return -1;
		if (hi < lo)
			return fail(p, "cpus", "range %u-%u is backwards", lo, hi);
		for (unsigned int c = lo; c <= hi; c++)
			*mask |= 1ULL << c;
		if (*s == '\0')
			return 0;
		if (*s++ != ',')
			return fail(p, "cpus", "expected ',' or '-' in the CPU list");
	}
}

static int set_cpus(struct parser *p, struct line *l)
{
	char list[64];

	if (get_string(p, l, "cpus", list, sizeof(list)))
		return -1;
	return parse_cpu_list(p, list, &p->out->cpus);
}

/* An action name; "preserve" only where preserve_ok (a powered-off domain has nothing to keep). */
static int get_action(struct parser *p, struct line *l, const char *key, bool preserve_ok,
		      enum domain_action *out)
{
	char name[10];
	int r = scan_string(p, l, key, name, sizeof(name));

	if (r < 0)
		return -1;
	if (r == 0 && strcmp(name, "destroy") == 0)
		*out = ACTION_DESTROY;
	else if (r == 0 && strcmp(name, "restart") == 0)
		*out = ACTION_RESTART;
	else if (r == 0 && preserve_ok && strcmp(name, "preserve") == 0)
		*out = ACTION_PRESERVE;
	else
		return fail(p, key, preserve_ok ? "must be \"destroy\", \"restart\" or \"preserve\""
						: "must be \"destroy\" or \"restart\"");
	return 0;
}

static int set_on_crash(struct parser *p, struct line *l)
{
	return get_action(p, l, "on_crash", true, &p->out->on_crash);
}

static int set_on_poweroff(struct parser *p, struct line *l)
{
	return get_action(p, l, "on_poweroff", false, &p->out->on_poweroff);
}

static int set_on_reboot(struct parser *p, struct line *l)
{
	return get_action(p, l, "on_reboot", false, &p->out->on_reboot);
}

/*
 * xl's device specs go to the control domain as they are (arx's log, read by its
 * arx-dom0less, which hands them to xl on a command line): printable ASCII only, and no
 * quote, backslash or backquote, so they stay one harmless word there.
 */
static int get_devices(struct parser *p, struct line *l, const char *key, char *buf,
		       size_t size)
{
	if (get_string(p, l, key, buf, size))
		return -1;
	for (size_t i = 0; buf[i]; i++)
		if (buf[i] < ' ' || buf[i] > '~' || strchr("\"'`\\$", buf[i]))
			return fail(p, key, "invalid character (printable ASCII without quotes, "
					    "backslash, backquote or $)");
	return 0;
}

static int set_disk(struct parser *p, struct line *l)
{
	return get_devices(p, l, "disk", p->out->disk, sizeof(p->out->disk));
}

static int set_vif(struct parser *p, struct line *l)
{
	return get_devices(p, l, "vif", p->out->vif, sizeof(p->out->vif));
}

/* A label of the policy (checked against it when the domain is built): printable, no spaces. */
static int set_seclabel(struct parser *p, struct line *l)
{
	char *buf = p->out->seclabel;
	if (get_string(p, l, "seclabel", buf, sizeof(p->out->seclabel)))
		return -1;
	if (!buf[0])
		return fail(p, "seclabel", "empty");
	for (size_t i = 0; buf[i]; i++)
		if (buf[i] <= ' ' || buf[i] > '~')
			return fail(p, "seclabel", "invalid character (printable ASCII, no spaces)");
	return 0;
}

static const struct key_def keys[] = {
	{ "name", true, set_name },	    { "type", false, set_type },
	{ "memory", true, set_memory },	    { "vcpus", false, set_vcpus },
	{ "kernel", true, set_kernel },	    { "ramdisk", false, set_ramdisk },
	{ "cmdline", false, set_cmdline },  { "cpus", false, set_cpus },
	{ "weight", false, set_weight },    { "on_crash", false, set_on_crash },
	{ "on_poweroff", false, set_on_poweroff }, { "on_reboot", false, set_on_reboot },
	{ "xen", false, set_xen },	    { "dom0", false, set_dom0 },
	{ "disk", false, set_disk },	    { "vif", false, set_vif },
	{ "seclabel", false, set_seclabel },
};

#define KEY_XEN 12 /* its index above */

/* The table entry for the key s[0..n), or -1. */
static int find_key(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (strlen(keys[i].key) == n && memcmp(keys[i].key, s, n) == 0)
			return (int)i;
	}
	return -1;
}

/* Reads "key =" and finds the key in the table; -1 with the message written. */
static int read_key(struct parser *p, struct line *l)
{
	size_t start = l->pos, n;
	int k;

	while (l->pos < l->len && is_key_char(l->s[l->pos]))
		l->pos++;
	n = l->pos - start;
	skip_space(l);
	if (n == 0 || l->pos == l->len || l->s[l->pos] != '=')
		return fail(p, "syntax error", "expected key = value");
	l->pos++;
	k = find_key(l->s + start, n);
	if (k < 0) {
		fmt_snprintf(p->err, p->err_size, "%s:%u: %.*s: unknown key", p->file, p->line,
			     (int)MIN(n, (size_t)KEY_ECHO_MAX), l->s + start);
		return -1;
	}
	if (p->seen & (1u << k))
		return fail(p, keys[k].key, "given twice");
	p->seen |= 1u << k;
	return k;
}

static int parse_line(struct parser *p, struct line *l)
{
	int k;

	if (memchr_nul(l->s, l->len))
		return fail(p, "syntax error", "NUL byte in the text");
	skip_space(l);
	if (at_end(l))
		return 0; /* blank or comment */
	k = read_key(p, l);
	if (k < 0)
		return -1;
	skip_space(l);
	if (keys[k].set(p, l))
		return -1;
	skip_space(l);
	if (!at_end(l))
		return fail(p, keys[k].key, "unexpected text after the value");
	return 0;
}

/* Names the first required key that never appeared; -1 then. */
static int check_required(struct parser *p)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (keys[i].required && !(p->seen & (1u << i))) {
			fmt_snprintf(p->err, p->err_size, "%s: %s: missing (required)", p->file,
				     keys[i].key);
			return -1;
		}
	}
	return 0;
}

static void set_defaults(struct domain_config *out)
{
	memset(out, 0, sizeof(*out));
	out->type = DOMAIN_LINUX;
	out->vcpus = 1;
	out->cpus = ~0ULL;
	out->weight = CONFIG_WEIGHT_DEFAULT;
	out->on_crash = ACTION_DESTROY;
	out->on_poweroff = ACTION_DESTROY;
	out->on_reboot = ACTION_RESTART;
}

/* Parses each line of text[0..len); a final line without '\n' counts too. */
static int parse_lines(struct parser *p, const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		size_t end = pos;
		struct line l;

		while (end < len && text[end] != '\n')
			end++;
		l.s = text + pos;
		l.len = end - pos;
		l.pos = 0;
		if (l.len > 0 && l.s[l.len - 1] == '\r')
			l.len--; /* CRLF line end */
		p->line++;
		if (parse_line(p, &l))
			return -1;
		pos = end + 1;
	}
	return 0;
}

int config_parse(const char *text, size_t len, const char *file, struct domain_config *out,
		 char *err, size_t err_size)
{
	struct parser p = {
		.file = file ? file : "(config)",
		.line = 0,
		.err = err,
		.err_size = err ? err_size : 0,
		.out = out,
		.seen = 0,
	};

	if (p.err_size)
		err[0] = '\0';
	set_defaults(out);
	if (parse_lines(&p, text, len) || check_required(&p)) {
		set_defaults(out); /* no half-filled config for a careless caller */
		return -1;
	}
	if (!(p.seen & (1u << KEY_XEN)))
		out->xen = out->type == DOMAIN_LINUX; /* Linux has the drivers; the test guest asks */
	if (out->dom0 && !out->xen) {
		if (err)
			fmt_snprintf(err, err_size, "%s: dom0: the control domain needs xen = 1", file);
		set_defaults(out);
		return -1;
	}
	if (config_has_devices(out) && (!out->xen || out->dom0)) {
		if (err)
			fmt_snprintf(err, err_size, "%s: %s: %s", file, out->disk[0] ? "disk" : "vif",
				     out->dom0 ? "the control domain serves devices, it has none"
					       : "devices come through Xen's drivers: needs xen = 1");
		set_defaults(out);
		return -1;
	}
	return 0;
}
