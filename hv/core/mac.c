/*
 * The policy in force and the domains' labels; see arx/mac.h.
 *
 * Everything a decision reads, the policy, the label of every domain slot
 * and the answers between slots, is in one state object: a check reads one
 * state and so never mixes an old policy with new labels (the hooks read
 * the answers through mac_slot_ops, published with the state). A new state
 * replaces the old one whole; the old one is freed only once every other
 * CPU has taken an interrupt since, which no CPU does in the middle of a
 * check (arx runs with interrupts masked at EL2 but when idle).
 */
#include <arx/console.h>
#include <arx/cpu.h>
#include <arx/domain.h>
#include <arx/heap.h>
#include <arx/mac.h>
#include <arx/string.h>
#include <arx/timer.h>
#include <public/xen.h>

struct mac_state {
	struct policy policy;
	void *blob; /* arx's copy of the policy (NULL: built in) */
	bool enforcing;
	uint32_t label[MAX_DOMAINS]; /* by domain slot (id % MAX_DOMAINS) */
	/*
	 * The policy's answers between the labels of each two slots, one bit per
	 * policy_op: the hot paths (grant map and copy) ask with one load.
	 * Kept up to date whenever a label is set.
	 */
	uint16_t ops[MAX_DOMAINS][MAX_DOMAINS];
};

static struct mac_state boot_state;
static struct mac_state *active = &boot_state;
const uint16_t (*mac_slot_ops)[MAX_DOMAINS] = boot_state.ops;
static spinlock_t labels_lock = SPINLOCK_INIT; /* label changes against a replacement */
static volatile bool replacing; /* one mac_load at a time */

static struct mac_state *state(void)
{
	return __atomic_load_n(&active, __ATOMIC_ACQUIRE);
}

static unsigned int slot(const struct domain *d)
{
	return d->id % MAX_DOMAINS;
}

static uint64_t elapsed_us(uint64_t since)
{
	return (timer_now() - since) * 1000000 / timer_freq();
}

/* The operations the policy allows from label s to label o, as a mask. */
static uint16_t ops_between(const struct mac_state *m, uint32_t s, uint32_t o)
{
	uint16_t mask = 0;
	for (unsigned int op = 0; op < POL_NR_OPS; op++)
		mask |= (uint16_t)(policy_allows(&m->policy, s, o, (enum policy_op)op) << op);
	return mask;
}

/* Slot i's label changed: its row and column of the answers. */
static void refresh_slot(struct mac_state *m, unsigned int i)
{
	for (unsigned int j = 0; j < MAX_DOMAINS; j++) {
		m->ops[i][j] = ops_between(m, m->label[i], m->label[j]);
		m->ops[j][i] = ops_between(m, m->label[j], m->label[i]);
	}
}

static void refresh_all(struct mac_state *m)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		refresh_slot(m, i);
}

static bool load_boot_blob(const void *blob, size_t size, const char *where)
{
	const char *why = "";
	uint64_t start = timer_now();
	if (!policy_load(&boot_state.policy, blob, size, &why)) {
		printk("arx: %s policy checked in %lu us (%lu bytes)\n", where, elapsed_us(start),
		       (uint64_t)size);
		return true;
	}
	printk("arx: %s policy refused: %s; running the safe default (only domain 0 "
	       "controls, nobody shares)\n", where, why);
	return false;
}

void mac_init(const void *blob, size_t size, const char *where, int mode)
{
	if (!load_boot_blob(blob, size, where))
		policy_safe_default(&boot_state.policy);
	boot_state.enforcing = mode >= 0 ? mode > 0 : boot_state.policy.enforcing;
	refresh_all(&boot_state);
	active = &boot_state;
	mac_slot_ops = boot_state.ops;
	printk("arx: policy \"%.*s\": %u types, %u labels, %s\n", (int)boot_state.policy.name_len,
	       (const char *)boot_state.policy.name, boot_state.policy.ntypes,
	       boot_state.policy.nlabels, boot_state.enforcing ? "enforcing" : "permissive");
}

bool mac_find_label(const char *name, size_t len, uint32_t *label)
{
	int32_t l = policy_find_label(&state()->policy, name, len);
	if (l < 0)
		return false;
	*label = (uint32_t)l;
	return true;
}

uint32_t mac_default_label(bool control)
{
	const struct policy *p = &state()->policy;
	return control ? p->dom0_label : p->domu_label;
}

void mac_set_label(const struct domain *d, uint32_t label)
{
	uint64_t flags = spin_lock_irqsave(&labels_lock);
	struct mac_state *m = state();
	m->label[slot(d)] = label;
	refresh_slot(m, slot(d));
	spin_unlock_irqrestore(&labels_lock, flags);
}

uint32_t mac_label_of(const struct domain *d)
{
	return state()->label[slot(d)];
}

size_t mac_label_name(uint32_t label, char *buf, size_t size)
{
	struct policy_label l;
	if (!policy_label(&state()->policy, label, &l))
		return 0;
	size_t n = MIN((size_t)l.name_len, size);
	memcpy(buf, l.name, n);
	return n;
}

bool mac_enforcing(void)
{
	return state()->enforcing;
}

long mac_set_enforcing(struct domain *subject, bool on)
{
	if (!mac_may_admin(subject, POL_SETENFORCE))
		return -XEN_EPERM;
	__atomic_store_n(&state()->enforcing, on, __ATOMIC_RELEASE);
	printk("arx: policy now %s (domain %u)\n", on ? "enforcing" : "permissive", subject->id);
	return 0;
}

/* A domain's label in the new policy: the same name, else the default. */
static uint32_t carry_label(const struct mac_state *old, const struct mac_state *new,
			    const struct domain *d)
{
	struct policy_label l;
	int32_t same = -1;
	if (policy_label(&old->policy, old->label[slot(d)], &l))
		same = policy_find_label(&new->policy, l.name, l.name_len);
	if (same >= 0)
		return (uint32_t)same;
	return d->control ? new->policy.dom0_label : new->policy.domu_label;
}

/* Publishes new (labels carried over from the state in force) and retires the old one. */
static void replace_state(struct mac_state *new)
{
	struct mac_state *old = state();
	domains_table_lock();
	uint64_t flags = spin_lock_irqsave(&labels_lock);
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		if (domains[i])
			new->label[i] = carry_label(old, new, domains[i]);
	refresh_all(new);
	__atomic_store_n(&active, new, __ATOMIC_RELEASE);
	__atomic_store_n(&mac_slot_ops, (const uint16_t(*)[MAX_DOMAINS])new->ops, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&labels_lock, flags);
	domains_table_unlock();
	smp_wait_for_others();
	if (old != &boot_state) {
		heap_free(old->blob);
		heap_free(old);
	}
}

long mac_load(struct domain *subject, const void *blob, size_t size, const char **why)
{
	*why = NULL;
	if (__atomic_exchange_n(&replacing, true, __ATOMIC_ACQUIRE))
		return -XEN_EBUSY;
	long r = -XEN_ENOMEM;
	uint64_t start = timer_now();
	struct mac_state *new = heap_alloc(sizeof(*new));
	void *copy = new ? heap_alloc(size) : NULL;
	if (copy) {
		memcpy(copy, blob, size); /* checked and used from arx's own copy */
		r = policy_load(&new->policy, copy, size, why) ? -XEN_EINVAL : 0;
	}
	if (r) {
		heap_free(copy);
		heap_free(new);
	} else {
		new->blob = copy;
		new->enforcing = new->policy.enforcing;
		replace_state(new);
		mac_audit_reset();
		printk("arx: policy \"%.*s\" loaded by domain %u in %lu us: %u types, %u labels, "
		       "%s\n", (int)new->policy.name_len, (const char *)new->policy.name, subject->id,
		       elapsed_us(start), new->policy.ntypes, new->policy.nlabels,
		       new->enforcing ? "enforcing" : "permissive");
		mac_policy_changed();
	}
	__atomic_store_n(&replacing, false, __ATOMIC_RELEASE);
	return r;
}

bool mac_admin_allows(const struct domain *subject, enum policy_admin op)
{
	const struct mac_state *s = state();
	return policy_admin_allows(&s->policy, s->label[slot(subject)], op);
}

bool mac_conflict(uint32_t label, const struct domain *other)
{
	const struct mac_state *s = state();
	return policy_conflict(&s->policy, label, s->label[slot(other)]);
}

bool mac_config_label(const struct domain_config *cfg, uint32_t *label)
{
	if (!cfg->seclabel[0]) {
		*label = mac_default_label(cfg->dom0);
		return true;
	}
	return mac_find_label(cfg->seclabel, strlen(cfg->seclabel), label);
}
