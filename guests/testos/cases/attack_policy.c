/*
 * attack_policy: testos as an untrusted domain under arx's access control
 * policy (docs/policy.md), in a domain with `xen = 1`. It names every other
 * domain id, 0-15 and ids no domain has (DOMID_IO, DOMID_XEN, ..., 0xffff;
 * DOMID_SELF and its own id are tried apart, first), in everything one
 * domain can ask of another:
 *
 *   sharing      grant map of refs 0-15 and refs at and past the table's end,
 *                writable; grant copy out of each and into each
 *   signalling   bind_interdomain to ports 0-15 and past the last
 *   life cycle   domctl getdomaininfo, pausedomain, unpausedomain, destroydomain
 *   privileged   what only the control domain may do (xen_control.c): other
 *                domctls (max_mem, setvcpucontext, ...), foreign maps, ports and
 *                HVM params in another domain: -EPERM whatever the policy says
 *   once         sysctl (readconsole, getdomaininfolist, ...); xsm_op setenforce
 *                and load: -EPERM without the policy's admin right
 *
 * Each sharing, signalling and life-cycle answer falls in a class:
 *
 *   through   it worked: a map (read, then written, then undone), a copy, a
 *             bound channel (signalled, then closed), a pause (undone)
 *   denied    refused by the policy (GNTST_permission_denied, -EACCES); for a
 *             grant also what an entry that does not name it gets
 *   refused   refused for another reason: a ref past the table
 *             (GNTST_bad_gntref), a port not left open for it (-EINVAL)
 *   absent    no such domain, or none it may see (GNTST_bad_domain, -ESRCH)
 *
 * and any other answer fails the case. An id is absent when every sharing and
 * signalling call says so and present when none does; a mix fails. The life
 * cycle says -ESRCH for a domain it may not list (as for one that does not
 * exist) and -EACCES for one it may list, which getdomaininfo tells.
 *
 *   # attack_policy: domain 3 lists domains: 2
 *   # attack_policy: domain 1: map 0/22/0/0, copy 0/44/0/0, bind 0/21/0/0,
 *     life 0/0/0/3 (through/denied/refused/absent)       (on one line)
 *   # attack_policy: absent: 0 4 5 ... 65534 65535
 *   # attack_policy: xsm_op answers anyone: getenforce 1, context_to_sid("domU") 3, ...
 *
 * The case passes when nothing got through; otherwise it fails naming the
 * first thing that did, and `# attack_policy: got through: ...` lines list
 * the first few. With a peer offering it grants and ports (peer.c) and a
 * policy that lets the two share, the offer goes through and the case fails:
 * that is what shows its attempts reach the policy
 * (tests/system/test_policy_attack.py runs both).
 */
#include <arx/fmt.h>
#include <public/domctl.h>
#include <public/xsm/flask_op.h>
#include <testos/console.h>
#include <testos/mmio.h>
#include <testos/sleep.h>
#include "cases.h"
#include "xen.h"

#define E(x) (-(int64_t)XEN_##x)

#define LOW_IDS 16u		/* domain ids 0-15 */
#define REFS 16u		/* grant refs 0-15 of each */
#define PORTS 16u		/* ports 0-15 of each */
#define SELF_REF 20u		/* the grant it makes itself, for the calls on itself */
#define MAX_NOTES 8u		/* got-through lines printed */
#define STAMP 0xa77ac4eda77ac4edUL
#define PEERS_SETTLE_US 300000	/* peers make their offers as they start */

/* Ids no domain has: past DOMID_SELF (0x7ff0), the other reserved ones, and beyond. */
static const domid_t hostile_ids[] = { 0x7ff1, 0x7ff2, 0x7ff3, 0x7ff4, 0x7ff5, 0x7ffe,
				       0x7fff, 0x8000, 0xfffe, 0xffff };
/* Refs at and past the end of one and of 32 grant frames, and far past. */
static const grant_ref_t hostile_refs[] = { 511, 512, 16383, 16384, 0x7fffffff, 0xffffffff };
static const uint32_t hostile_ports[] = { 1023, 1024, 4095, 4096, 0xffffffff };

enum family { MAP, COPY, BIND, LIFE, NR_FAMILIES };
enum class { THROUGH, DENIED, REFUSED, ABSENT, WRONG };

static const char *const family_names[NR_FAMILIES] = { "map", "copy", "bind", "life" };

static struct {
	domid_t me;
	domid_t target;
	uint32_t listed;	/* ids below LOW_IDS that getdomaininfo showed it */
	unsigned int tally[NR_FAMILIES][WRONG];
	unsigned int notes;
} atk;

static void tally(enum family f, enum class c, const char *what, int64_t answer)
{
	if (c == WRONG) {
		case_fail("%s naming domain %#x: unexpected answer %ld", what, atk.target, answer);
		return;
	}
	atk.tally[f][c]++;
}

/* Something got through: the case fails, naming the first. */
static void PRINTF_LIKE(1, 2) through(const char *fmt, ...)
{
	char what[96];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (atk.notes++ < MAX_NOTES)
		printf("# attack_policy: got through: domain %#x: %s\n", atk.target, what);
	case_fail("got through: domain %#x: %s", atk.target, what);
}

static enum class grant_class(int16_t status)
{
	switch (status) {
	case GNTST_okay:
		return THROUGH;
	case GNTST_permission_denied:
		return DENIED;
	case GNTST_bad_gntref:
		return REFUSED;
	case GNTST_bad_domain:
		return ABSENT;
	default:
		return WRONG;
	}
}

static enum class call_class(int64_t r)
{
	return r == 0 ? THROUGH : r == E(EACCES) ? DENIED : r == E(EINVAL) ? REFUSED
	       : r == E(ESRCH) ? ABSENT : WRONG;
}

static void try_map(grant_ref_t ref)
{
	uint64_t hole = xen_page(XP_MAP_HOLE), seen;
	struct gnttab_map_grant_ref m;
	int16_t s;

	if (!xen_expect("map_grant_ref",
			xen_map_grant(hole, GNTMAP_host_map, ref, atk.target, &m), 0))
		return;
	tally(MAP, grant_class(m.status), "map_grant_ref", m.status);
	if (m.status != GNTST_okay)
		return;
	seen = readq(hole);
	writeq(hole, STAMP);
	through("map of ref %#x, which reads %#lx", ref, seen);
	xen_expect("unmap_grant_ref", xen_unmap_grant(hole, m.handle, &s), 0);
	case_check(s == GNTST_okay, "unmap of what it mapped: status %d", s);
}

static void try_copies(grant_ref_t ref)
{
	int16_t s;

	s = xen_grant_copy("copy out of a grant", GNTCOPY_source_gref, ref, atk.target, 0,
			   xen_gfn(XP_SCRATCH), DOMID_SELF, 0, XEN_PAGE_SIZE);
	tally(COPY, grant_class(s), "copy out of a grant", s);
	if (s == GNTST_okay)
		through("copy out of ref %#x", ref);
	s = xen_grant_copy("copy into a grant", GNTCOPY_dest_gref, xen_gfn(XP_SCRATCH2), DOMID_SELF,
			   0, ref, atk.target, 8, 8);
	tally(COPY, grant_class(s), "copy into a grant", s);
	if (s == GNTST_okay)
		through("copy into ref %#x", ref);
}

static void try_bind(uint32_t port)
{
	uint32_t local = 0;
	int64_t r = xen_bind_interdomain(atk.target, port, &local);

	tally(BIND, call_class(r), "bind_interdomain", r);
	if (r != 0)
		return;
	through("bind_interdomain to port %#x, bound as %u", port, local);
	xen_expect("send on the bound port", xen_send(local), 0);
	xen_expect("close of the bound port", xen_close(local), 0);
	xen_clear_pending(local);
}

static int64_t life(uint32_t cmd, domid_t t, struct xen_domctl *op)
{
	*op = (struct xen_domctl){ .cmd = cmd, .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
				   .domain = t };
	return xen_call(__HYPERVISOR_domctl, (uint64_t)(uintptr_t)op, 0, 0);
}

static bool listed(domid_t t)
{
	return t < LOW_IDS && (atk.listed & (1u << t));
}

/* getdomaininfo names the first domain at or above t it may list: which are those? */
static void find_listed(const domid_t *ids, unsigned int n)
{
	static struct xen_domctl op;

	for (unsigned int i = 0; i < n; i++) {
		int64_t r = life(XEN_DOMCTL_getdomaininfo, ids[i], &op);
		domid_t got = op.domain;

		if (ids[i] >= DOMID_FIRST_RESERVED)
			case_check(r == E(EINVAL), "getdomaininfo of %#x: got %ld, expected -22",
				   ids[i], r);
		else if (r == 0 && case_check(got >= ids[i] && got < DOMID_FIRST_RESERVED,
					      "getdomaininfo of %#x named domain %#x", ids[i], got))
			atk.listed |= (got != atk.me && got < LOW_IDS) ? 1u << got : 0;
		else if (r != 0)
			case_check(r == E(ESRCH), "getdomaininfo of %#x: got %ld, expected -3",
				   ids[i], r);
	}
}

/* Pause, unpause and destroy: denied if it may list the domain, else as if absent. */
static void try_life(void)
{
	static const uint32_t cmds[] = { XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain,
					 XEN_DOMCTL_destroydomain };
	static struct xen_domctl op;

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		int64_t r = life(cmds[i], atk.target, &op);
		enum class c = call_class(r);

		if ((c == DENIED && !listed(atk.target)) || (c == ABSENT && listed(atk.target)) ||
		    c == REFUSED)
			c = WRONG;
		tally(LIFE, c, "domctl", r);
		if (r == 0)
			through("domctl %u", cmds[i]);
		if (r == 0 && cmds[i] == XEN_DOMCTL_pausedomain)
			life(XEN_DOMCTL_unpausedomain, atk.target, &op);
	}
}

static unsigned int family_total(enum family f)
{
	unsigned int n = 0;

	for (enum class c = THROUGH; c < WRONG; c++)
		n += atk.tally[f][c];
	return n;
}

/* Everything on one domain id; false if it is absent. */
static bool attack(domid_t t)
{
	unsigned int absent, total;

	atk.target = t;
	for (enum family f = MAP; f < NR_FAMILIES; f++)
		for (enum class c = THROUGH; c < WRONG; c++)
			atk.tally[f][c] = 0;
	for (grant_ref_t ref = 0; ref < REFS + ARRAY_SIZE(hostile_refs); ref++) {
		grant_ref_t r = ref < REFS ? ref : hostile_refs[ref - REFS];

		try_map(r);
		try_copies(r);
	}
	for (uint32_t i = 0; i < PORTS + ARRAY_SIZE(hostile_ports); i++)
		try_bind(i < PORTS ? i : hostile_ports[i - PORTS]);
	try_life();
	xen_privileged_refused(t);

	absent = atk.tally[MAP][ABSENT] + atk.tally[COPY][ABSENT] + atk.tally[BIND][ABSENT];
	total = family_total(MAP) + family_total(COPY) + family_total(BIND);
	case_check(absent == 0 || absent == total,
		   "domain %#x: %u of %u sharing and signalling calls say it does not exist", t,
		   absent, total);
	if (absent == total && !listed(t))
		return false;
	printf("# attack_policy: domain %u:", t);
	for (enum family f = MAP; f < NR_FAMILIES; f++)
		printf("%s %s %u/%u/%u/%u", f ? "," : "", family_names[f], atk.tally[f][THROUGH],
		       atk.tally[f][DENIED], atk.tally[f][REFUSED], atk.tally[f][ABSENT]);
	printf(" (through/denied/refused/absent)\n");
	return true;
}

static int64_t flask(struct xen_flask_op *op)
{
	op->interface_version = XEN_FLASK_INTERFACE_VERSION;
	return xen_call(__HYPERVISOR_xsm_op, (uint64_t)(uintptr_t)op, 0, 0);
}

/*
 * Setting the mode and loading a policy need the policy's admin right;
 * reading the mode and translating labels are open to anyone (libxl asks
 * for a seclabel's sid before it creates a domain): it says what they told.
 */
static void try_xsm(void)
{
	static struct xen_flask_op op;
	static char name[64] = "domU";
	static uint8_t junk[64];
	int64_t mode, sid, r;

	op = (struct xen_flask_op){ .cmd = FLASK_GETENFORCE };
	mode = flask(&op);
	case_check(mode == 0 || mode == 1, "getenforce: got %ld", mode);
	for (uint32_t on = 0; on < 2; on++) {
		op = (struct xen_flask_op){ .cmd = FLASK_SETENFORCE, .u.enforce.enforcing = on };
		xen_expect("setenforce", flask(&op), E(EPERM));
	}
	for (uint32_t size = 0; size <= sizeof(junk); size += sizeof(junk)) {
		op = (struct xen_flask_op){ .cmd = FLASK_LOAD, .u.load = {
			.buffer = (uintptr_t)junk, .size = size } };
		xen_expect("load", flask(&op), E(EPERM));
	}
	op = (struct xen_flask_op){ .cmd = FLASK_GETENFORCE };
	xen_expect("getenforce after setenforce was refused", flask(&op), mode);
	op = (struct xen_flask_op){ .cmd = FLASK_CONTEXT_TO_SID, .u.sid_context = {
		.size = 4, .context = (uintptr_t)name } };
	r = flask(&op);
	sid = r ? r : op.u.sid_context.sid;
	op = (struct xen_flask_op){ .cmd = FLASK_SID_TO_CONTEXT, .u.sid_context = {
		.sid = 1, .size = sizeof(name) - 1, .context = (uintptr_t)name } };
	r = flask(&op);
	name[r == 0 ? op.u.sid_context.size : 0] = '\0';
	printf("# attack_policy: xsm_op answers anyone: getenforce %ld, context_to_sid(\"domU\") "
	       "%ld, sid_to_context(1) %ld \"%s\"\n", mode, sid, r, name);
}

/* The same calls on itself work: what refuses them elsewhere is about the other domain. */
static bool on_itself(void)
{
	static struct xen_domctl op;
	struct gnttab_map_grant_ref m;
	uint32_t port = 0, local = 0;
	int16_t s;
	bool ok;

	xen_grant(SELF_REF, GTF_permit_access, atk.me, (uint32_t)xen_gfn(XP_GRANTED));
	ok = xen_expect("map of its own grant",
			xen_map_grant(xen_page(XP_MAP_HOLE), GNTMAP_host_map, SELF_REF, atk.me, &m),
			0) &&
	     case_check(m.status == GNTST_okay, "map of its own grant: status %d", m.status);
	if (ok)
		xen_unmap_grant(xen_page(XP_MAP_HOLE), m.handle, &s);
	s = xen_grant_copy("copy of its own grant", GNTCOPY_source_gref, SELF_REF, atk.me, 0,
			   xen_gfn(XP_SCRATCH), DOMID_SELF, 0, XEN_PAGE_SIZE);
	ok &= case_check(s == GNTST_okay, "copy of its own grant: status %d", s);
	xen_grant(SELF_REF, 0, 0, 0);
	ok &= xen_expect("alloc_unbound for itself",
			 xen_alloc_unbound(DOMID_SELF, atk.me, &port), 0);
	ok = ok && xen_expect("bind_interdomain to its own port",
			      xen_bind_interdomain(atk.me, port, &local), 0);
	if (ok) {
		xen_close(local);
		xen_clear_pending(local);
	}
	xen_close(port);
	ok &= xen_expect("getdomaininfo of itself",
			 life(XEN_DOMCTL_getdomaininfo, atk.me, &op), 0) &&
	      case_check(op.domain == atk.me, "getdomaininfo of itself named domain %u", op.domain);
	ok &= xen_expect("pausedomain of itself", life(XEN_DOMCTL_pausedomain, atk.me, &op),
			 E(EINVAL));
	return ok;
}

void case_attack_policy(void)
{
	domid_t ids[LOW_IDS + ARRAY_SIZE(hostile_ids)];
	bool present[ARRAY_SIZE(ids)];
	unsigned int n = 0;

	if (!xen_ready() || !xen_grant_frame0() || !xen_make_hole(XP_MAP_HOLE))
		return;
	wfi_sleep_us(PEERS_SETTLE_US);
	atk.me = xen_domid();
	atk.listed = 0;
	atk.notes = 0;
	xen_put_bytes(xen_page(XP_SCRATCH2), &(uint64_t){ STAMP }, sizeof(uint64_t));
	if (!on_itself())
		goto out;
	for (domid_t t = 0; t < LOW_IDS; t++)
		if (t != atk.me)
			ids[n++] = t;
	for (unsigned int i = 0; i < ARRAY_SIZE(hostile_ids); i++)
		ids[n++] = hostile_ids[i];
	find_listed(ids, n);
	printf("# attack_policy: domain %u lists domains:", atk.me);
	for (domid_t t = 0; t < LOW_IDS; t++)
		if (listed(t))
			printf(" %u", t);
	printf("\n");
	for (unsigned int i = 0; i < n; i++)
		present[i] = attack(ids[i]);
	printf("# attack_policy: absent:");
	for (unsigned int i = 0; i < n; i++)
		if (!present[i])
			printf(" %u", ids[i]);
	printf("\n");
	xen_sysctl_refused();
	try_xsm();
out:
	xen_fill_hole(XP_MAP_HOLE);
}
