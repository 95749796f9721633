/*
 * Mandatory access control between domains (docs/policy.md). The policy in
 * force and each domain's label live in hv/core/mac.c; every check a
 * domain's operation on another meets is in hv/core/mac_hooks.c, the one
 * file that shows the whole policy surface; denials are logged by
 * hv/core/mac_audit.c.
 *
 * Operations of a domain on itself are never checked.
 */
#ifndef ARX_MAC_H
#define ARX_MAC_H

#include "domain.h"
#include "policy.h"
#include "types.h"

struct domain;
struct domain_config;

/* --- The policy in force (mac.c) --- */

/*
 * Puts the boot policy in force: blob (from `where`, for messages). One arx
 * refuses is reported and the safe default runs instead. Enforcing as the
 * policy says, unless mode >= 0 (arx.mac=enforcing|permissive on arx's
 * command line).
 */
void mac_init(const void *blob, size_t size, const char *where, int mode);
/* A label's number in the policy in force, by name; false if it has none. */
bool mac_find_label(const char *name, size_t len, uint32_t *label);
uint32_t mac_default_label(bool control);
/* Sets d's label, before d is published. */
void mac_set_label(const struct domain *d, uint32_t label);
uint32_t mac_label_of(const struct domain *d);
/* Label's name into buf (not NUL-terminated), its length; 0 if there is none. */
size_t mac_label_name(uint32_t label, char *buf, size_t size);
bool mac_enforcing(void);
/* xl setenforce: 0, or -XEN_EPERM when the policy does not let subject. */
long mac_set_enforcing(struct domain *subject, bool on);
/*
 * xl loadpolicy (the caller checked mac_may_admin): checks blob, then replaces the policy in force at once;
 * domains keep their labels by name (unknown names get the defaults), and
 * mappings and channels the new policy forbids are torn down. 0, or a
 * negative Xen errno, with *why set for a refused blob.
 */
long mac_load(struct domain *subject, const void *blob, size_t size, const char **why);

/* --- Hooks (mac_hooks.c): each says whether subject may act on object --- */

/* Map (POL_MAP) or copy (POL_COPY) a grant of granter: both sides must agree. */
bool mac_may_share(struct domain *subject, struct domain *granter, enum policy_op op);
/* Bind (or offer) an event channel between subject and peer. */
bool mac_may_signal(struct domain *subject, struct domain *peer);
/* A control operation (POL_CREATE ... POL_LIST) of subject on target. */
bool mac_may_control(struct domain *subject, struct domain *target, enum policy_op op);
/* The same without log or mode, to re-check what exists under a new policy. */
bool mac_may_share_quietly(struct domain *subject, struct domain *granter, enum policy_op op);
bool mac_may_signal_quietly(struct domain *subject, struct domain *peer);
/* Whether subject may see target in lists; no denial is logged (lists skip it). */
bool mac_may_list(struct domain *subject, struct domain *target);
bool mac_may_admin(struct domain *subject, enum policy_admin op);
/*
 * Whether domain id (name, with label) may run next to every other live
 * domain (the conflict sets); if not, prints why, naming the rival, and
 * (enforcing) returns false. The domains table lock must be held.
 */
bool mac_may_run(unsigned int id, const char *name, uint32_t label);
/* The label a config asks for (or the default); false if the policy has no such label. */
bool mac_config_label(const struct domain_config *cfg, uint32_t *label);

/*
 * For mac_hooks.c: the policy in force's answers between the labels of each
 * two domain slots (id % MAX_DOMAINS), one bit per policy_op, kept by mac.c
 * whenever a label or the policy changes; and the raw decisions that are
 * not on hot paths. No mode, no log.
 */
extern const uint16_t (*mac_slot_ops)[MAX_DOMAINS];
bool mac_admin_allows(const struct domain *subject, enum policy_admin op);
bool mac_conflict(uint32_t label, const struct domain *other);
/* A new policy is in force: tear down what it forbids (mac_hooks.c). */
void mac_policy_changed(void);

/* --- Audit (mac_audit.c) --- */

/* Logs a denial (or, permissive, what would have been one), once per (s, o, what). */
void mac_audit(const struct domain *subject, const struct domain *object, const char *what,
	       bool enforced);
/* Forgets which denials were logged (a new policy). */
void mac_audit_reset(void);

#endif
