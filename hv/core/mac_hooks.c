/*
 * Every check of the mandatory access control policy, in one place: what
 * one domain may do to another (arx/mac.h, docs/policy.md). The operations
 * call these and nothing else decides; in permissive mode a denial is
 * logged and the operation goes ahead.
 *
 *   sharing     grant map (hv/xen/gnttab.c)      mapper -map-> granter, granter -grant-> mapper
 *               grant copy, per copy             copier -copy-> granter, granter -grant-> copier
 *   signalling  event channel bind (evtchn.c)    each end -signal-> the other
 *   control     domctl by kind (domctl.c),       caller -create|destroy|pause|list-> target
 *               foreign maps (foreign.c),        caller -memory (console: its console page)-> target
 *               HVM params (domain_ops.c)        caller -create (set) | list (get)-> target
 *   lists       getdomaininfo, sysctl lists      caller -list-> each domain (others are skipped)
 *   admin       xsm_op (hv/xen/xsm_op.c)         caller may setenforce, loadpolicy
 *   conflicts   boot, createdomain, unpause      no two live domains in one conflict set
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/mac.h>
#include <arx/xen.h>

static const char *const admin_names[POL_NR_ADMIN] = { "setenforce", "loadpolicy" };

/* The raw answer under the policy in force: one load (mac.c keeps the table). */
static inline bool allows(const struct domain *s, const struct domain *o, enum policy_op op)
{
	const uint16_t(*ops)[MAX_DOMAINS] = __atomic_load_n(&mac_slot_ops, __ATOMIC_ACQUIRE);
	return (ops[s->id % MAX_DOMAINS][o->id % MAX_DOMAINS] >> op) & 1;
}

/* a may do a_to_b to b, and b may do b_to_a to a: the hot paths' question. */
static inline bool allows_both(const struct domain *a, const struct domain *b,
			       enum policy_op a_to_b, enum policy_op b_to_a)
{
	const uint16_t(*ops)[MAX_DOMAINS] = __atomic_load_n(&mac_slot_ops, __ATOMIC_ACQUIRE);
	unsigned int x = a->id % MAX_DOMAINS, y = b->id % MAX_DOMAINS;
	return (ops[x][y] >> a_to_b) & (ops[y][x] >> b_to_a) & 1;
}

/*
 * A refusal, out of the hot paths: said once in the log, and let through in
 * permissive mode. `what` names the operation.
 */
static NOINLINE bool refused(const struct domain *s, const struct domain *o, const char *what)
{
	bool enforcing = mac_enforcing();
	mac_audit(s, o, what, enforcing);
	return !enforcing;
}

static bool check(const struct domain *s, const struct domain *o, enum policy_op op)
{
	return s == o || allows(s, o, op) || refused(s, o, policy_op_name(op));
}

/* Both ways, each refusal logged for itself. */
static NOINLINE bool check_both(const struct domain *a, const struct domain *b,
				enum policy_op a_to_b, enum policy_op b_to_a)
{
	return check(a, b, a_to_b) && check(b, a, b_to_a);
}

bool mac_may_share(struct domain *subject, struct domain *granter, enum policy_op op)
{
	return subject == granter || allows_both(subject, granter, op, POL_GRANT) ||
	       check_both(subject, granter, op, POL_GRANT);
}

bool mac_may_signal(struct domain *subject, struct domain *peer)
{
	return subject == peer || allows_both(subject, peer, POL_SIGNAL, POL_SIGNAL) ||
	       check_both(subject, peer, POL_SIGNAL, POL_SIGNAL);
}

bool mac_may_control(struct domain *subject, struct domain *target, enum policy_op op)
{
	return check(subject, target, op);
}

bool mac_may_list(struct domain *subject, struct domain *target)
{
	return subject == target || !mac_enforcing() || allows(subject, target, POL_LIST);
}

bool mac_may_admin(struct domain *subject, enum policy_admin op)
{
	return mac_admin_allows(subject, op) || refused(subject, NULL, admin_names[op]);
}

bool mac_may_run(unsigned int id, const char *name, uint32_t label)
{
	struct domain *rival = NULL;
	for (unsigned int i = 0; i < MAX_DOMAINS && !rival; i++) {
		struct domain *o = domains[i];
		if (o && o->id != id && o->state != DOMAIN_DYING && mac_conflict(label, o))
			rival = o;
	}
	bool ok = !rival || !mac_enforcing();
	if (rival)
		printk("arx: policy: domain %u (%s) conflicts with running domain %u (%s)%s\n", id,
		       name, rival->id, rival->name, ok ? " (permissive: allowed)" : "");
	return ok;
}

/* Quiet forms, for re-checking what exists under a new policy (no log, no mode). */
bool mac_may_share_quietly(struct domain *subject, struct domain *granter, enum policy_op op)
{
	return subject == granter || allows_both(subject, granter, op, POL_GRANT);
}

bool mac_may_signal_quietly(struct domain *subject, struct domain *peer)
{
	return subject == peer || allows_both(subject, peer, POL_SIGNAL, POL_SIGNAL);
}

/* A new policy is in force: enforcing, mappings and channels it forbids go. */
void mac_policy_changed(void)
{
	if (!mac_enforcing())
		return;
	domains_table_lock();
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	gnttab_revoke_forbidden();
	evtchn_revoke_forbidden();
	spin_unlock_irqrestore(&xen_lock, flags);
	domains_table_unlock();
}
