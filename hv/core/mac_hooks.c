/*
 * Every check of the mandatory access control policy, in one place: what
 * one domain may do to another (arx/mac.h, docs/policy.md). The operations
 * call these and nothing else decides; in permissive mode a denial is
 * logged and the operation goes ahead.
 *
 *   sharing     grant map (hv/xen/gnttab.c)      mapper -map-> granter, granter -grant-> mapper
 *               grant copy, per copy             copier -copy-> granter, granter -grant-> copier
 *   signalling  event channel bind (evtchn.c)    each end -signal-> the other
 *   control     domctl, sysctl, foreign maps     caller -create|destroy|pause|console|memory|list-> target
 *   admin       xsm_op (hv/xen/xsm_op.c)         caller may setenforce, loadpolicy
 *   conflicts   boot, createdomain, unpause      no two live domains in one conflict set
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/mac.h>
#include <arx/xen.h>

static const char *const admin_names[POL_NR_ADMIN] = { "setenforce", "loadpolicy" };

/* Applies the mode to a decision: denials are logged; permissive lets them through. */
static bool verdict(const struct domain *s, const struct domain *o, const char *what, bool ok)
{
	if (ok)
		return true;
	bool enforcing = mac_enforcing();
	mac_audit(s, o, what, enforcing);
	return !enforcing;
}

/* The slow path of a refusal (kept out of the hot paths): which side, the log, the mode. */
static NOINLINE bool check(const struct domain *s, const struct domain *o, enum policy_op op)
{
	return s == o || verdict(s, o, policy_op_name(op), mac_allows(s, o, op));
}

bool mac_may_share(struct domain *subject, struct domain *granter, enum policy_op op)
{
	if (subject == granter || mac_allows_both(subject, granter, op, POL_GRANT))
		return true;
	return check(subject, granter, op) && check(granter, subject, POL_GRANT);
}

bool mac_may_signal(struct domain *subject, struct domain *peer)
{
	if (subject == peer || mac_allows_both(subject, peer, POL_SIGNAL, POL_SIGNAL))
		return true;
	return check(subject, peer, POL_SIGNAL) && check(peer, subject, POL_SIGNAL);
}

bool mac_may_control(struct domain *subject, struct domain *target, enum policy_op op)
{
	return subject == target || mac_allows(subject, target, op) || check(subject, target, op);
}

bool mac_may_list(struct domain *subject, struct domain *target)
{
	return subject == target || !mac_enforcing() || mac_allows(subject, target, POL_LIST);
}

bool mac_may_admin(struct domain *subject, enum policy_admin op)
{
	return verdict(subject, NULL, admin_names[op], mac_admin_allows(subject, op));
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
	return subject == granter || mac_allows_both(subject, granter, op, POL_GRANT);
}

bool mac_may_signal_quietly(struct domain *subject, struct domain *peer)
{
	return subject == peer || mac_allows_both(subject, peer, POL_SIGNAL, POL_SIGNAL);
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
