/*
 * One console per Linux domain. Linux in a Xen domain (not dom0) makes hvc0
 * a preferred console early in its boot, before it has read console= (so
 * whatever console= says), and hvc0 prints to the PV console when the
 * domain has one. If the command line also makes the PL011 a console
 * (console=ttyAMA0, or no console= at all, when Linux follows
 * /chosen/stdout-path), every kernel message goes to both, and arx's
 * console would show each line twice. The PL011 is then /dev/console and
 * carries all hvc0 would, so arx gives such a domain no PV console: Linux's
 * hvc_xen then has nothing to put behind hvc0, and only the PL011 is a
 * console (/proc/consoles). Naming hvc0 on the command line keeps the PV
 * console.
 */
#include <arx/cmdline.h>
#include <arx/linux_console.h>

/* "--" ends the kernel's options: what follows is init's. */
static bool options_end(const char *w, size_t len)
{
	return len == 2 && w[0] == '-' && w[1] == '-';
}

bool linux_console_is_pl011(const char *cmdline)
{
	static const size_t key = sizeof("console=") - 1;
	bool any = false, pl011 = false, hvc = false;
	const char *pos = cmdline, *w;
	size_t len;
	while ((w = cmdline_next_word(&pos, &len)) && !options_end(w, len)) {
		if (len < key || !cmdline_is(w, len, "console", '='))
			continue;
		any = true; /* even "console=" (no console): Linux then ignores stdout-path */
		pl011 |= cmdline_is(w + key, len - key, "ttyAMA0", ','); /* options after ',' */
		hvc |= cmdline_is(w + key, len - key, "hvc0", ',');
	}
	return !hvc && (pl011 || !any);
}
