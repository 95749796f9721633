/*
 * printf-style formatter. Output goes to a sink in runs, so the same code
 * serves the UART console and fmt_snprintf. The format string comes from
 * our own code, but arguments may carry any value, so every arithmetic
 * step is kept free of overflow (INT64_MIN, huge '*' widths).
 */
#include <arx/fmt.h>

/*
 * Widths and precisions above this are clamped: nothing legitimate needs
 * more, and a garbage '*' argument must not make us print for a minute.
 */
#define FMT_MAX_FIELD 4096

enum {
	F_LEFT = 1,
	F_ZERO = 2,
	F_SPACE = 4,
	F_PLUS = 8,
	F_ALT = 16,
};

enum len_mod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T };

struct spec {
	unsigned int flags;
	size_t width;
	int prec; /* -1 when absent */
	enum len_mod len;
	char conv;
};

struct out {
	fmt_sink_t sink;
	void *ctx;
	size_t count;
	va_list ap; /* kept here so helpers can consume arguments */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (!n)
		return;
	o->sink(o->ctx, s, n);
	o->count += n;
}

static void pad(struct out *o, char c, size_t n)
{
	char run[32];
	size_t i;

	for (i = 0; i < sizeof(run); i++)
		run[i] = c;
	while (n) {
		size_t k = MIN(n, sizeof(run));

		put(o, run, k);
		n -= k;
	}
}

/* Decimal digits of a width or precision, saturating instead of overflowing. */
static size_t parse_num(const char **p)
{
	size_t v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		if (v <= FMT_MAX_FIELD)
			v = v * 10 + (size_t)(**p - '0');
	}
	return MIN(v, (size_t)FMT_MAX_FIELD);
}

static unsigned int parse_flags(const char **p)
{
	unsigned int flags = 0;

	for (;; (*p)++) {
		switch (**p) {
		case '-': flags |= F_LEFT; break;
		case '0': flags |= F_ZERO; break;
		case ' ': flags |= F_SPACE; break;
		case '+': flags |= F_PLUS; break;
		case '#': flags |= F_ALT; break;
		default: return flags;
		}
	}
}

static void parse_width(struct out *o, const char **p, struct spec *sp)
{
	if (**p != '*') {
		sp->width = parse_num(p);
		return;
	}
	(*p)++;
	int w = va_arg(o->ap, int);
	/* Unsigned negation: -INT_MIN would overflow an int. */
	unsigned int mag = w < 0 ? 0u - (unsigned int)w : (unsigned int)w;

	if (w < 0)
		sp->flags |= F_LEFT;
	sp->width = MIN(mag, (unsigned int)FMT_MAX_FIELD);
}

static void parse_prec(struct out *o, const char **p, struct spec *sp)
{
	sp->prec = -1;
	if (**p != '.')
		return;
	(*p)++;
	if (**p != '*') {
		sp->prec = (int)parse_num(p);
		return;
	}
	(*p)++;
	int pr = va_arg(o->ap, int);

	/* A negative precision argument means "no precision", as in C. */
	if (pr >= 0)
		sp->prec = MIN(pr, FMT_MAX_FIELD);
}

static enum len_mod parse_len(const char **p)
{
	switch (**p) {
	case 'h':
		(*p)++;
		if (**p != 'h')
			return LEN_H;
		(*p)++;
		return LEN_HH;
	case 'l':
		(*p)++;
		if (**p != 'l')
			return LEN_L;
		(*p)++;
		return LEN_LL;
	case 'z': (*p)++; return LEN_Z;
	case 't': (*p)++; return LEN_T;
	default: return LEN_NONE;
	}
}

/* Signed arguments arrive promoted; narrow them back as C's printf does. */
static int64_t get_signed(struct out *o, enum len_mod len)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(o->ap, int);
	case LEN_H: return (short)va_arg(o->ap, int);
	case LEN_L: return va_arg(o->ap, long);
	case LEN_LL: return va_arg(o->ap, long long);
	case LEN_Z:
	case LEN_T: return va_arg(o->ap, ptrdiff_t);
	default: return va_arg(o->ap, int);
	}
}

static uint64_t get_unsigned(struct out *o, enum len_mod len)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(o->ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(o->ap, unsigned int);
	case LEN_L: return va_arg(o->ap, unsigned long);
	case LEN_LL: return va_arg(o->ap, unsigned long long);
	case LEN_Z: return va_arg(o->ap, size_t);
	case LEN_T: return (uint64_t)va_arg(o->ap, ptrdiff_t);
	default: return va_arg(o->ap, unsigned int);
	}
}

/* Writes the digits at the end of buf; returns where they start. */
static char *to_digits(char *end, uint64_t v, unsigned int base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		*--end = set[v % base];
		v /= base;
	} while (v);
	return end;
}

static size_t make_prefix(char *pre, const struct spec *sp, uint64_t mag, bool neg)
{
	size_t n = 0;
	bool is_signed = sp->conv == 'd' || sp->conv == 'i';

	if (neg)
		pre[n++] = '-';
	else if (is_signed && (sp->flags & F_PLUS))
		pre[n++] = '+';
	else if (is_signed && (sp->flags & F_SPACE))
		pre[n++] = ' ';
	/* C prints no "0x" for a zero %#x; %p always has it. */
	if (sp->conv == 'p' || ((sp->flags & F_ALT) && mag &&
				(sp->conv == 'x' || sp->conv == 'X'))) {
		pre[n++] = '0';
		pre[n++] = sp->conv == 'X' ? 'X' : 'x';
	}
	return n;
}

static unsigned int conv_base(char conv)
{
	if (conv == 'o')
		return 8;
	if (conv == 'x' || conv == 'X' || conv == 'p')
		return 16;
	return 10;
}

/* Lays out [spaces][prefix][zeros][digits][spaces] for one number. */
static void put_number(struct out *o, const struct spec *sp, uint64_t mag, bool neg)
{
	char buf[24], pre[3];
	char *end = buf + sizeof(buf);
	char *dig = to_digits(end, mag, conv_base(sp->conv), sp->conv == 'X');
	size_t ndig = (size_t)(end - dig), zeros = 0;

	if (sp->prec == 0 && mag == 0)
		ndig = 0; /* "%.0d" of 0 prints nothing */
	if (sp->prec >= 0 && (size_t)sp->prec > ndig)
		zeros = (size_t)sp->prec - ndig;
	/* %#o guarantees a leading zero, and adds one only if needed. */
	if (sp->conv == 'o' && (sp->flags & F_ALT) && !zeros && (!ndig || *dig != '0'))
		zeros = 1;

	size_t npre = make_prefix(pre, sp, mag, neg);
	size_t body = npre + zeros + ndig;
	size_t fill = sp->width > body ? sp->width - body : 0;

	if (!(sp->flags & F_LEFT) && (sp->flags & F_ZERO) && sp->prec < 0) {
		zeros += fill; /* the '0' flag pads between sign and digits */
		fill = 0;
	}
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', fill);
	put(o, pre, npre);
	pad(o, '0', zeros);
	put(o, dig, ndig);
	if (sp->flags & F_LEFT)
		pad(o, ' ', fill);
}

static void put_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	size_t fill = sp->width > n ? sp->width - n : 0;

	if (!(sp->flags & F_LEFT))
		pad(o, ' ', fill);
	put(o, s, n);
	if (sp->flags & F_LEFT)
		pad(o, ' ', fill);
}

static void put_string(struct out *o, const struct spec *sp)
{
	const char *s = va_arg(o->ap, const char *);
	size_t n = 0;

	if (!s)
		s = "(null)";
	/* Never read past the precision: the string need not be terminated. */
	while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n])
		n++;
	put_padded(o, sp, s, n);
}

/* Returns false for a conversion character this formatter does not know. */
static bool convert(struct out *o, const struct spec *sp)
{
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i': {
		int64_t v = get_signed(o, sp->len);
		/* Negate in unsigned arithmetic: -INT64_MIN does not fit. */
		uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

		put_number(o, sp, mag, v < 0);
		return true;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		put_number(o, sp, get_unsigned(o, sp->len), false);
		return true;
	case 'p':
		put_number(o, sp, (uintptr_t)va_arg(o->ap, void *), false);
		return true;
	case 's':
		put_string(o, sp);
		return true;
	case 'c':
		c = (char)va_arg(o->ap, int);
		put_padded(o, sp, &c, 1);
		return true;
	case '%':
		put(o, "%", 1);
		return true;
	default:
		return false;
	}
}

/* Handles one conversion starting at '%'; returns where the text resumes. */
static const char *do_spec(struct out *o, const char *pct)
{
	const char *p = pct + 1;
	struct spec sp;

	sp.flags = parse_flags(&p);
	parse_width(o, &p, &sp);
	parse_prec(o, &p, &sp);
	sp.len = parse_len(&p);
	sp.conv = *p;
	if (!sp.conv) {
		put(o, pct, (size_t)(p - pct)); /* format ends inside a spec */
		return p;
	}
	p++;
	if (!convert(o, &sp))
		put(o, pct, (size_t)(p - pct)); /* unknown: show it as written */
	return p;
}

size_t fmt_vformat(fmt_sink_t sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { .sink = sink, .ctx = ctx, .count = 0 };

	va_copy(o.ap, ap);
	while (*fmt) {
		const char *p = fmt;

		while (*p && *p != '%')
			p++;
		put(&o, fmt, (size_t)(p - fmt));
		fmt = *p ? do_spec(&o, p) : p;
	}
	va_end(o.ap);
	return o.count;
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t pos; /* always < size when size > 0, leaving room for the NUL */
};

static void buf_put(void *ctx, const char *s, size_t len)
{
	struct buf_sink *b = ctx;
	size_t room = b->size ? b->size - 1 - b->pos : 0;
	size_t n = MIN(len, room), i;

	for (i = 0; i < n; i++)
		b->buf[b->pos + i] = s[i];
	b->pos += n;
}

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { .buf = buf, .size = size, .pos = 0 };
	size_t n = fmt_vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.pos] = '\0';
	return n;
}

size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
