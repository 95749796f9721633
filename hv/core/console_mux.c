/*
 * Tags and line ends for the shared console; see arx/console_mux.h.
 *
 * A guest may print any bytes. Its own line ends and escape sequences pass
 * through unchanged, but it must not make its text pass for arx's or
 * another domain's: after every '\r' or '\n' its next character comes
 * after its tag again (so "\r" and text lands on the tag, not before it),
 * and when another source takes the UART, what the guest may have left the
 * terminal in (an unfinished escape sequence, another character set,
 * colours or hidden text) is undone first. What a domain without the
 * focus prints waits in its slot until its line end, at most MUX_LINE_MAX
 * characters: a line that never ends goes out in pieces, and holds no one up.
 */
#include <arx/console_mux.h>
#include <arx/fmt.h>

/*
 * CAN ends an unfinished escape sequence or control string; SI and ESC ( B
 * go back to the ASCII character set; SGR 0 restores plain attributes.
 * Each does nothing on a terminal that is already in that state.
 */
static const char reset_modes[] = "\x18\x0f\x1b(B\x1b[0m";

/* Bytes after which a terminal may no longer show text plainly. */
static bool changes_modes(char c)
{
	uint8_t b = (uint8_t)c;
	return b == 0x1b || b == 0x0e || (b >= 0x80 && b < 0xa0); /* ESC, SO, C1 controls */
}

/* src takes the UART: the previous owner's line is ended first. */
static void take(struct console_mux *m, unsigned int src)
{
	if (m->owner == src)
		return;
	if (m->dirty_modes)
		m->emit(reset_modes, sizeof(reset_modes) - 1);
	if (!m->bol) {
		m->emit("\r\n", 2);
		m->cut = m->owner;
	}
	m->resuming = src == m->cut;
	if (m->resuming)
		m->cut = MUX_NONE;
	m->owner = src;
	m->bol = true;
	m->col0 = true;
	m->dirty_modes = false;
}

static void put_tag(struct console_mux *m, unsigned int src)
{
	char tag[16];
	if (src == MUX_SHELL) {
		m->emit("arx> ", 5);
		if (m->shell_len)
			m->emit(m->shell_line, m->shell_len);
	} else if (src == MUX_ARX) {
		if (m->resuming) /* the rest of a line of arx's that was cut */
			m->emit("arx: ", 5);
	} else {
		size_t n = fmt_snprintf(tag, sizeof(tag), "(d%u) ", src);
		m->emit(tag, MIN(n, sizeof(tag) - 1));
		if (m->resuming && src == m->live && m->live_plain)
			m->emit(m->live_text, m->live_len); /* its line whole again */
	}
}

/* Keeps the live domain's line so far, while it is plain text that fits. */
static void note_live(struct console_mux *m, char c)
{
	if (c == '\n' || c == '\r') {
		m->live_len = 0;
		m->live_plain = c == '\n';
	} else if (c >= 0x20 && c < 0x7f && m->live_len < MUX_LINE_MAX) {
		m->live_text[m->live_len++] = c;
	} else {
		m->live_plain = false; /* showing it again could repeat a control sequence */
	}
}

/*
 * '\r' or '\n'. A source going on with a line that was cut does not get
 * an empty line for the line end it meant: the cut ended that line already.
 */
static void line_control(struct console_mux *m, char c)
{
	if (m->resuming) {
		if (c == '\n')
			m->resuming = false;
		return;
	}
	m->emit(&c, 1);
	m->col0 = true;
	if (c == '\n')
		m->bol = true;
}

void mux_putc(struct console_mux *m, unsigned int src, char c)
{
	take(m, src);
	if (c == '\r' || c == '\n') {
		line_control(m, c);
		return;
	}
	if (m->col0)
		put_tag(m, src);
	m->resuming = false;
	if (changes_modes(c))
		m->dirty_modes = true;
	m->emit(&c, 1);
	m->bol = false;
	m->col0 = false;
}

void mux_show(struct console_mux *m, unsigned int src)
{
	take(m, src);
	if (!m->col0 || src == MUX_ARX) /* arx's lines bring their own "arx: " */
		return;
	put_tag(m, src);
	m->resuming = false;
	m->bol = false;
	m->col0 = false;
}

static void flush_line(struct console_mux *m, struct mux_line *l)
{
	unsigned int len = l->len;
	l->len = 0;
	for (unsigned int i = 0; i < len; i++)
		mux_putc(m, l->src, l->text[i]);
}

void mux_guest_putc(struct console_mux *m, unsigned int domid, char c)
{
	struct mux_line *l = &m->held[domid % MUX_SLOTS];
	/* The slot may hold the last words of a domain gone since: they go first. */
	if (l->len && (l->src != domid || domid == m->live))
		flush_line(m, l);
	if (domid == m->live) {
		mux_putc(m, domid, c);
		note_live(m, c);
		return;
	}
	l->src = domid;
	l->text[l->len++] = c;
	if (c == '\n' || l->len == MUX_LINE_MAX)
		flush_line(m, l);
}

void mux_set_live(struct console_mux *m, unsigned int domid)
{
	m->live = domid;
	m->live_len = 0;
	m->live_plain = false; /* what its line holds so far is not known here */
}

void mux_flush(struct console_mux *m)
{
	for (unsigned int i = 0; i < MUX_SLOTS; i++) {
		struct mux_line *l = &m->held[i];
		if (l->len && l->src != m->live)
			flush_line(m, l);
	}
}

void mux_flush_live(struct console_mux *m)
{
	struct mux_line *l = &m->held[m->live % MUX_SLOTS];
	if (m->live != MUX_NONE && l->len && l->src == m->live)
		flush_line(m, l);
}
