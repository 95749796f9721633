/*
 * The denial log: each (subject, object, operation) once per mode (a
 * permissive "would deny" does not stand for an enforced denial later), in
 * arx's log (`xl dmesg`), and at most AUDIT_BURST new lines per second, so
 * a domain that retries a refused operation in a loop cannot flood the log
 * or slow arx down. What was left out is counted and said with the next line.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/fmt.h>
#include <arx/mac.h>
#include <arx/spinlock.h>
#include <arx/timer.h>

#define AUDIT_SEEN 128 /* distinct denials remembered (then: counted, not logged) */
#define AUDIT_BURST 16 /* new lines per second */
#define NO_DOMAIN 0xffffu

struct denial {
	uint16_t subject, object;
	const char *what; /* a static string: compared by address */
	bool enforced; /* "denied", not "would deny": news after a switch to enforcing */
};

static struct denial seen[AUDIT_SEEN];
static unsigned int nr_seen;
static unsigned int burst_left = AUDIT_BURST;
static uint64_t burst_start;
static uint64_t unlogged;
static spinlock_t audit_lock = SPINLOCK_INIT;

static uint16_t id_of(const struct domain *d)
{
	return d ? (uint16_t)d->id : NO_DOMAIN;
}

/*
 * Whether this denial is new; remembers it if there is room. *known: it came
 * before (and was logged, or counted as left out then).
 */
static bool first_time(struct denial n, bool *known)
{
	for (unsigned int i = 0; i < nr_seen; i++) {
		if (seen[i].subject == n.subject && seen[i].object == n.object &&
		    seen[i].what == n.what && seen[i].enforced == n.enforced) {
			*known = true;
			return false;
		}
	}
	if (nr_seen == AUDIT_SEEN)
		return false;
	seen[nr_seen++] = n;
	return true;
}

static bool within_rate(void)
{
	uint64_t now = timer_now();
	if (now - burst_start >= timer_freq()) {
		burst_start = now;
		burst_left = AUDIT_BURST;
	}
	if (!burst_left)
		return false;
	burst_left--;
	return true;
}

static void describe(const struct domain *d, char *buf, size_t size)
{
	char label[64];
	size_t n = mac_label_name(mac_label_of(d), label, sizeof(label));
	fmt_snprintf(buf, size, "domain %u (%s, %.*s)", d->id, d->name, (int)n, label);
}

void mac_audit(const struct domain *subject, const struct domain *object, const char *what,
	       bool enforced)
{
	struct denial n = { id_of(subject), id_of(object), what, enforced };
	uint64_t flags = spin_lock_irqsave(&audit_lock);
	bool known = false;
	bool log = first_time(n, &known) && within_rate();
	uint64_t before = unlogged;
	if (log)
		unlogged = 0;
	else if (!known)
		unlogged++; /* rate-limited, or beyond AUDIT_SEEN; a repeat is not left out */
	spin_unlock_irqrestore(&audit_lock, flags);
	if (!log)
		return;
	char s[128], o[128] = "the policy", more[48] = "";
	describe(subject, s, sizeof(s));
	if (object)
		describe(object, o, sizeof(o));
	if (before)
		fmt_snprintf(more, sizeof(more), " (%lu more not logged)", before);
	printk("arx: policy: %s %s -> %s: %s%s\n", enforced ? "denied" : "would deny (permissive)",
	       s, o, what, more);
}

void mac_audit_reset(void)
{
	uint64_t flags = spin_lock_irqsave(&audit_lock);
	nr_seen = 0;
	spin_unlock_irqrestore(&audit_lock, flags);
}
