/*
 * The console's output side (hv/core/console_mux.c): arx and every domain
 * share one UART, and each line says whose it is. A domain's lines start
 * with "(dN) "; arx's messages carry "arx: " themselves; arx's console
 * shows its prompt "arx> " and the line being typed.
 *
 * The domain with the input focus is shown character by character, so its
 * prompt and echo appear at once. Other domains are shown a line at a
 * time, so that lines of domains printing together do not mix: each holds
 * back at most MUX_LINE_MAX characters, shown at its line end, when they
 * fill up, when it gets the focus, or before arx prints. arx's own output
 * is never held. The mux tracks whose line is on the screen and ends it
 * with "\r\n" when another source writes; the source that was cut gets its
 * tag again when it goes on, and the live domain gets its line so far
 * again too if it was plain text (so "ARX-GUEST-READY" cut in two by
 * another domain's line still shows whole once). Pure code: the caller serialises the calls
 * (the console lock), so the host unit tests can drive it.
 */
#ifndef ARX_CONSOLE_MUX_H
#define ARX_CONSOLE_MUX_H

#include "types.h"

/* Sources besides domains, whose ids are small positive numbers. */
#define MUX_ARX 0xffffffffu /* arx's messages (printk) */
#define MUX_SHELL 0xfffffffeu /* arx's console: prompt and echo of what is typed */
#define MUX_NONE 0xfffffffdu

#define MUX_SLOTS 16 /* held lines, by domain id % MUX_SLOTS */
#define MUX_LINE_MAX 256

struct mux_line {
	unsigned int src;
	unsigned int len; /* 0: empty */
	char text[MUX_LINE_MAX];
};

struct console_mux {
	void (*emit)(const char *s, size_t len); /* to the UART, as is */
	unsigned int owner; /* whose text is on the current line */
	unsigned int cut; /* whose line was last ended early by another source */
	bool bol; /* the current line is empty: nothing since the last '\n' */
	bool col0; /* the cursor is in column 0: after '\r' or '\n' */
	bool resuming; /* the owner was cut and has written no text since */
	bool dirty_modes; /* the owner sent escapes or shifts that may linger */
	const char *shell_line; /* what is typed at arx's console, redrawn after the prompt */
	size_t shell_len;
	unsigned int live; /* the domain shown as it prints (MUX_NONE: none) */
	char live_text[MUX_LINE_MAX]; /* its line so far, to show again after a cut */
	unsigned int live_len;
	bool live_plain; /* live_text is all of its line, printable characters only */
	struct mux_line held[MUX_SLOTS]; /* what other domains printed since their line end */
};

#define CONSOLE_MUX_INIT(emit_fn)                                                  \
	{ .emit = (emit_fn), .owner = MUX_ARX, .cut = MUX_NONE, .bol = true, .col0 = true, \
	  .live = MUX_NONE }

/* One character from src, shown now, after the line end or tag it needs first. */
void mux_putc(struct console_mux *m, unsigned int src, char c);
/* src takes the line; on a new line its tag shows at once (arx's prompt). */
void mux_show(struct console_mux *m, unsigned int src);
/* A domain's character: shown now if it is the live domain, else with its line. */
void mux_guest_putc(struct console_mux *m, unsigned int domid, char c);
/* From now on domid (MUX_NONE: none) is shown as it prints. */
void mux_set_live(struct console_mux *m, unsigned int domid);
/* What the live domain held back before it was live goes out (its prompt, say). */
void mux_flush_live(struct console_mux *m);
/* What the other domains held back goes out as it stands (before arx prints). */
void mux_flush(struct console_mux *m);

#endif
