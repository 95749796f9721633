/*
 * Console input: what is typed at the UART goes to the domain that has the
 * focus, or to arx's own console (arx_shell.c). Ctrl-\ moves the focus on,
 * round-robin: arx, then each live domain in id order, then arx again. The
 * focus is kept as a domain id, never a pointer: a domain that restarts is
 * freed and built again under the same id. When the focused domain is gone
 * the focus falls back to arx's console, checked at each key.
 *
 * A domain takes input only as fast as its guest reads its vPL011 (or its
 * PV console, see has_room); what it
 * has not taken yet waits in a ring here. The UART itself is always read,
 * so Ctrl-\ gets through even when the focused guest never reads: a guest
 * cannot hold the console hostage. Keys that find the ring full are
 * dropped, with one message. When the guest has read enough, vpl011 calls
 * console_input_room() with its own lock held; the ring is then fed from
 * an SGI this CPU sends itself, outside that lock.
 *
 * Lock order: input_lock, then a vPL011's lock, xen_lock or the console lock.
 */
#include <arx/arx_shell.h>
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/fmt.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/vpl011.h>

/* Ctrl-\: not Ctrl-], which is `xl console`'s escape in the control domain. */
#define KEY_SWITCH 0x1c
#define FOCUS_ARX CONSOLE_NO_DOMAIN /* arx's own console */
#define RING_SIZE 1024 /* a pasted command line or two */
#define READ_BATCH 64 /* keys per interrupt: a flood on the line cannot hold a CPU */

static spinlock_t input_lock = SPINLOCK_INIT;
static bool started;
static unsigned int focus = FOCUS_ARX;
static char ring[RING_SIZE];
static unsigned int ring_head, ring_count;
static bool dropping; /* said so once; quiet until the ring drains */

/* A domain that can have the focus: it exists and will run (again). */
static bool is_live(const struct domain *d)
{
	return d && (d->state == DOMAIN_RUNNING || d->state == DOMAIN_PAUSED);
}

/* The live domain with the smallest id above `after` (any after arx), else FOCUS_ARX. */
static unsigned int next_focus(unsigned int after)
{
	unsigned int best = FOCUS_ARX;
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		struct domain *d = domains[i];
		if (is_live(d) && (after == FOCUS_ARX || d->id > after) &&
		    (best == FOCUS_ARX || d->id < best))
			best = d->id;
	}
	return best;
}

static void announce(const char *why)
{
	struct domain *d = domain_by_id(focus);
	if (is_live(d))
		printk("arx: %sconsole input now goes to d%u (%s%s); Ctrl-\\ switches\n", why, d->id,
		       d->name, d->state == DOMAIN_PAUSED ? ", paused" : "");
	else
		printk("arx: %sconsole input now goes to arx (type \"help\"); Ctrl-\\ switches\n",
		       why);
}

static void set_focus(unsigned int id, const char *why)
{
	focus = id;
	ring_head = 0;
	ring_count = 0; /* what is still here was typed for the old focus */
	dropping = false;
	console_set_live(focus);
	announce(why);
	console_show_live(); /* after the announcement: its prompt, say */
	if (focus == FOCUS_ARX)
		arx_shell_focus();
}

/* The focused domain; NULL for arx's console, which it falls back to if the domain went. */
static struct domain *focus_domain(void)
{
	if (focus == FOCUS_ARX)
		return NULL;
	struct domain *d = domain_by_id(focus);
	if (is_live(d))
		return d;
	char why[32];
	fmt_snprintf(why, sizeof(why), "d%u has stopped; ", focus);
	set_focus(FOCUS_ARX, why);
	return NULL;
}

static void ring_put(char c)
{
	if (ring_count < RING_SIZE) {
		ring[(ring_head + ring_count++) % RING_SIZE] = c;
		return;
	}
	if (!dropping)
		printk("arx: d%u is not reading its console; keys dropped (Ctrl-\\ switches)\n",
		       focus);
	dropping = true;
}

/*
 * A domain with a PV console (Xen's, hvc0 in Linux) gets input there and on
 * its PL011 until it takes some from the PV console; then there only. Till
 * then the PL011 sets the pace, so a guest reading it loses nothing.
 */
static bool has_room(struct domain *d)
{
	return xen_console_reads(d) ? xen_console_has_room(d) : vpl011_has_room(d);
}

static void receive(struct domain *d, char c)
{
	if (xen_console_has_room(d))
		xen_console_receive(d, c);
	if (!xen_console_reads(d) && vpl011_has_room(d))
		vpl011_receive(d, c);
}

/* Hands the focused domain as much of the ring as its console has room for. */
static void feed_focus(void)
{
	domains_table_lock(); /* the domain may be ending on another CPU */
	struct domain *d = ring_count ? focus_domain() : NULL;
	while (d && ring_count && has_room(d)) {
		receive(d, ring[ring_head]);
		ring_head = (ring_head + 1) % RING_SIZE;
		ring_count--;
	}
	domains_table_unlock();
	if (ring_count == 0)
		dropping = false;
}

/* One key from the UART; true when arx's console has a command line ready. */
static bool take_key(char c)
{
	if (c == KEY_SWITCH) {
		set_focus(next_focus(focus), "");
		return false;
	}
	if (focus == FOCUS_ARX)
		return arx_shell_key(c);
	if (focus_domain()) /* else it went, and the key was meant for it */
		ring_put(c);
	return false;
}

static void uart_received(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	bool command = false;
	uint64_t flags = spin_lock_irqsave(&input_lock);
	for (unsigned int i = 0; i < READ_BATCH && !command; i++) {
		int c = console_uart_getc();
		if (c < 0)
			break;
		command = take_key((char)c);
	}
	feed_focus();
	spin_unlock_irqrestore(&input_lock, flags);
	/*
	 * Keys left in the UART keep its interrupt up, so they come next time.
	 * A command runs outside the lock: it kicks CPUs and prints.
	 */
	if (command)
		arx_shell_run();
}

static void room_sgi(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	uint64_t flags = spin_lock_irqsave(&input_lock);
	feed_focus();
	spin_unlock_irqrestore(&input_lock, flags);
}

void console_input_room(void)
{
	if (started)
		irq_send_sgi(this_cpu()->id, SGI_CONSOLE);
}

void console_start_input(unsigned int uart_irq)
{
	if (!uart_irq)
		return; /* no receive interrupt in the device tree: output only */
	irq_register(SGI_CONSOLE, room_sgi, NULL);
	irq_register(uart_irq, uart_received, NULL);
	uint64_t flags = spin_lock_irqsave(&input_lock);
	started = true;
	set_focus(next_focus(FOCUS_ARX), "");
	spin_unlock_irqrestore(&input_lock, flags);
	if (console_uart_rx_enable())
		irq_enable(uart_irq);
}
