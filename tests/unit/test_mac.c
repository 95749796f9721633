/*
 * Host tests of the access control state, hooks and denial log
 * (hv/core/mac.c, mac_hooks.c, mac_audit.c) on real policies: compiled from
 * text by arxpolicy's library, checked and decided by hv/lib/policy*.c. The
 * rest of arx is faked here: the domains table, the clock, the log (kept in
 * a buffer to read back), the other CPUs and the Xen teardown calls.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arx/domain.h>
#include <arx/fmt.h>
#include <arx/mac.h>
#include <arx/xen.h>

#include "check.h"
#include "policy_compile.h"

/* --- Fakes of the rest of arx --- */

struct domain *domains[MAX_DOMAINS];
spinlock_t xen_lock;
static int table_depth, waits, revokes;
static uint64_t now_ticks;
static char log_buf[16384];
static size_t log_len;
static uint8_t *builtin; /* what default_policy.S holds: configs/default.policy, compiled */
static size_t builtin_size;

void domains_table_lock(void) { table_depth++; }
void domains_table_unlock(void) { table_depth--; }
void smp_wait_for_others(void) { waits++; }
uint64_t timer_now(void) { return now_ticks; }
uint64_t timer_freq(void) { return 1000; }
uint64_t spin_lock_irqsave(spinlock_t *l) { (void)l; return 0; }
void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags) { (void)l, (void)flags; }
void gnttab_revoke_forbidden(void) { revokes++; }
void evtchn_revoke_forbidden(void) { revokes++; }
/* The heap: live blocks are remembered, so a state still in force at the end is freed. */
static void *live[64];

void *heap_alloc(size_t size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(live); i++)
		if (!live[i])
			return live[i] = calloc(1, size);
	abort();
}

void heap_free(void *p)
{
	for (unsigned int i = 0; p && i < ARRAY_SIZE(live); i++)
		if (live[i] == p)
			live[i] = NULL;
	free(p);
}

static void free_heap(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(live); i++)
		heap_free(live[i]);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		log_len = MIN(log_len + (size_t)n, sizeof(log_buf) - 1);
}

/* How many times s is in the log since the last clear. */
static int logged(const char *s)
{
	int n = 0;
	for (const char *p = log_buf; (p = strstr(p, s)); p++)
		n++;
	return n;
}

static void clear_log(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

static uint8_t *compile(const char *text, size_t *size)
{
	uint8_t *blob = NULL;
	char err[256];
	if (policy_compile("test.pol", text, strlen(text), &blob, size, err, sizeof(err))) {
		printf("compile: %s\n", err);
		abort();
	}
	return blob;
}

static struct domain *new_domain(unsigned int id, const char *name, const char *label)
{
	struct domain *d = calloc(1, sizeof(*d));
	uint32_t l;
	d->id = id;
	d->control = id == 0;
	d->state = DOMAIN_RUNNING;
	snprintf(d->name, sizeof(d->name), "%s", name);
	if (!label)
		l = mac_default_label(d->control);
	else if (!mac_find_label(label, strlen(label), &l))
		abort();
	mac_set_label(d, l);
	domains[id % MAX_DOMAINS] = d;
	return d;
}

static void free_domains(void)
{
	for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
		free(domains[i]);
		domains[i] = NULL;
	}
}

/* A label's name as a C string (for comparisons). */
static const char *label_name(const struct domain *d)
{
	static char buf[128];
	size_t n = mac_label_name(mac_label_of(d), buf, sizeof(buf) - 1);
	buf[n] = '\0';
	return buf;
}

static const char METER[] =
	"policy \"meter\"\n"
	"mode enforcing\n"
	"type dom0_t app_t telemetry_t billing_t manager_t vendor_a_t vendor_b_t\n"
	"label \"dom0\" = dom0_t\n"
	"label \"domU\" = app_t\n"
	"label \"app\" = app_t\n"
	"label \"telemetry\" = telemetry_t\n"
	"label \"billing\" = billing_t\n"
	"label \"manager\" = manager_t\n"
	"label \"vendor_a\" = vendor_a_t\n"
	"label \"vendor_b\" = vendor_b_t\n"
	"default dom0 \"dom0\"\n"
	"default domU \"domU\"\n"
	"allow dom0_t -> * : all\n"
	"admin dom0_t : setenforce loadpolicy\n"
	"allow app_t -> telemetry_t : sharing signal\n"
	"allow telemetry_t -> app_t : sharing signal\n"
	"allow manager_t -> app_t : destroy pause list\n"
	"conflict vendor_a_t vendor_b_t\n";

/* --- Tests --- */

static void test_boot_policies(void)
{
	size_t size;
	uint8_t *blob = compile(METER, &size);
	clear_log();
	mac_init(blob, size, "the boot package's", -1);
	CHECK(mac_enforcing());
	CHECK_EQ(logged("policy \"meter\": 7 types, 8 labels, enforcing"), 1);
	mac_init(blob, size, "the boot package's", 0); /* arx.mac=permissive */
	CHECK(!mac_enforcing());

	/* A refused blob: the safe default runs, and the log says why. */
	clear_log();
	blob[size - 1] ^= 0xff;
	mac_init(blob, size - 2, "the boot package's", -1);
	CHECK_EQ(logged("the boot package's policy refused"), 1);
	CHECK_EQ(logged("running the safe default"), 1);
	struct domain *d0 = new_domain(0, "dom0", NULL), *a = new_domain(1, "a", NULL);
	struct domain *b = new_domain(2, "b", NULL);
	CHECK(mac_may_control(d0, a, POL_DESTROY)); /* only dom0 controls */
	CHECK(!mac_may_control(a, b, POL_DESTROY));
	CHECK(!mac_may_share(a, b, POL_MAP)); /* nobody shares */
	CHECK(!mac_may_share(d0, a, POL_MAP));
	CHECK(!mac_may_signal(a, b));
	free_domains();
	free(blob);

	/* No package policy: the built-in one (configs/default.policy), today's rules. */
	mac_init(builtin, builtin_size, "the built-in", -1);
	d0 = new_domain(0, "dom0", NULL), a = new_domain(1, "a", NULL), b = new_domain(2, "b", NULL);
	CHECK_STR(label_name(a), "domU");
	CHECK(mac_may_share(a, b, POL_MAP) && mac_may_share(b, a, POL_COPY) && mac_may_signal(a, b));
	CHECK(mac_may_control(d0, a, POL_CREATE) && !mac_may_control(a, b, POL_PAUSE));
	free_domains();
}

static void test_hooks_enforcing_and_permissive(void)
{
	size_t size;
	uint8_t *blob = compile(METER, &size);
	mac_init(blob, size, "the boot package's", -1);
	struct domain *d0 = new_domain(0, "dom0", NULL), *app = new_domain(1, "app", "app");
	struct domain *tel = new_domain(2, "tel", "telemetry"), *bill = new_domain(3, "bill", "billing");
	struct domain *mgr = new_domain(4, "mgr", "manager");
	clear_log();
	CHECK(mac_may_share(app, tel, POL_MAP) && mac_may_share(tel, app, POL_COPY));
	CHECK(mac_may_signal(app, tel) && mac_may_signal(tel, app));
	CHECK(mac_may_share(app, app, POL_MAP)); /* itself: never checked */
	CHECK_EQ(log_len, 0);
	CHECK(!mac_may_share(app, bill, POL_MAP));
	CHECK(!mac_may_share(app, bill, POL_MAP)); /* again: refused, not logged again */
	CHECK(!mac_may_signal(bill, app));
	CHECK_EQ(logged("denied domain 1 (app, app) -> domain 3 (bill, billing): map"), 1);
	CHECK_EQ(logged("denied domain 3 (bill, billing) -> domain 1 (app, app): signal"), 1);
	/* The manager: life cycle of the app, nothing of billing; only dom0 is admin. */
	CHECK(mac_may_control(mgr, app, POL_DESTROY) && mac_may_control(mgr, app, POL_PAUSE));
	CHECK(!mac_may_control(mgr, app, POL_MEMORY));
	CHECK(!mac_may_control(mgr, bill, POL_DESTROY));
	CHECK(mac_may_list(mgr, app) && !mac_may_list(mgr, bill) && mac_may_list(mgr, mgr));
	CHECK(mac_may_admin(d0, POL_SETENFORCE) && !mac_may_admin(mgr, POL_LOADPOLICY));
	CHECK_EQ(mac_set_enforcing(app, false), -XEN_EPERM);
	CHECK(mac_enforcing());
	CHECK_EQ(logged("denied domain 1 (app, app) -> the policy: setenforce"), 1);

	/* Permissive: the same refusals go through, logged as such once each. */
	CHECK_EQ(mac_set_enforcing(d0, false), 0);
	clear_log();
	CHECK(mac_may_control(mgr, tel, POL_DESTROY));
	CHECK(mac_may_list(mgr, bill));
	CHECK_EQ(logged("would deny (permissive) domain 4 (mgr, manager) -> domain 2 (tel, telemetry): destroy"), 1);
	CHECK_EQ(mac_set_enforcing(d0, true), 0);
	free_domains();
	free(blob);
}

static void test_conflicts(void)
{
	size_t size;
	uint8_t *blob = compile(METER, &size);
	mac_init(blob, size, "the boot package's", -1);
	uint32_t va, vb, app;
	CHECK(mac_find_label("vendor_a", 8, &va) && mac_find_label("vendor_b", 8, &vb));
	CHECK(mac_find_label("app", 3, &app));
	CHECK(!mac_find_label("vendor_c", 8, &app) && !mac_find_label("vendor_", 7, &app));
	new_domain(0, "dom0", NULL);
	struct domain *a = new_domain(1, "va", "vendor_a");
	clear_log();
	CHECK(!mac_may_run(2, "vb", vb));
	CHECK_EQ(logged("domain 2 (vb) conflicts with running domain 1 (va)"), 1);
	CHECK(mac_may_run(2, "va2", va)); /* the same type twice is no conflict */
	CHECK(mac_may_run(1, "va", va));  /* nor is a domain with itself (a restart) */
	a->state = DOMAIN_DYING;
	CHECK(mac_may_run(2, "vb", vb)); /* a dying rival does not count */
	a->state = DOMAIN_PAUSED;
	CHECK(!mac_may_run(2, "vb", vb)); /* a paused one does */
	mac_init(blob, size, "the boot package's", 0);
	CHECK(mac_may_run(2, "vb", vb));
	CHECK_EQ(logged("(permissive: allowed)"), 1);
	free_domains();
	free(blob);
}

static void test_load_replaces_whole(void)
{
	size_t size, size2;
	uint8_t *blob = compile(METER, &size);
	mac_init(blob, size, "the boot package's", -1);
	struct domain *d0 = new_domain(0, "dom0", NULL), *app = new_domain(1, "app", "app");
	struct domain *tel = new_domain(2, "tel", "telemetry"), *mgr = new_domain(3, "mgr", "manager");
	/* The new policy: app and telemetry no longer share; no "manager" label any more. */
	static const char NEW[] = "policy \"strict\"\nmode enforcing\n"
				  "type dom0_t app_t telemetry_t other_t\n"
				  "label \"dom0\" = dom0_t\nlabel \"app\" = app_t\n"
				  "label \"telemetry\" = telemetry_t\nlabel \"other\" = other_t\n"
				  "default dom0 \"dom0\"\ndefault domU \"other\"\n"
				  "allow dom0_t -> * : all\nadmin dom0_t : loadpolicy\n";
	uint8_t *blob2 = compile(NEW, &size2);
	const char *why;
	CHECK(!mac_may_share(app, mgr, POL_MAP)); /* logged under the old policy */
	/* A broken blob is refused whole; the old policy stays. */
	int before = revokes;
	CHECK_EQ(mac_load(d0, blob2, size2 - 4, &why), -XEN_EINVAL);
	CHECK(why != NULL);
	CHECK(mac_may_share(app, tel, POL_MAP));
	CHECK_EQ(revokes, before);
	/* A good one: labels carried by name, a lost name gets the default. */
	waits = 0;
	clear_log();
	CHECK_EQ(mac_load(d0, blob2, size2, &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(waits, 1); /* the old state is freed only after the other CPUs moved on */
	CHECK_EQ(table_depth, 0);
	CHECK_STR(label_name(app), "app");
	CHECK_STR(label_name(mgr), "other");
	CHECK_STR(label_name(d0), "dom0");
	CHECK(!mac_may_share(app, tel, POL_MAP));
	CHECK(mac_may_control(d0, app, POL_DESTROY));
	CHECK_EQ(revokes, before + 2); /* what it forbids is torn down */
	CHECK_EQ(logged("policy \"strict\" loaded by domain 0"), 1);
	/* The denial log starts afresh with a new policy. */
	CHECK(!mac_may_share(app, mgr, POL_MAP));
	CHECK_EQ(logged("denied domain 1 (app, app) -> domain 3 (mgr, other): map"), 1);
	/* Arx's own copy is used: the caller's buffer may change or go. */
	memset(blob2, 0, size2);
	CHECK(!mac_may_share(app, tel, POL_MAP) && mac_may_control(d0, tel, POL_PAUSE));
	free_domains();
	free(blob);
	free(blob2);
}

static void test_audit_is_bounded(void)
{
	size_t size;
	uint8_t *blob = compile(METER, &size);
	mac_init(blob, size, "the boot package's", -1);
	struct domain *d[MAX_DOMAINS];
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		d[i] = new_domain(i, "d", i ? "billing" : NULL);
	mac_audit_reset();
	clear_log();
	now_ticks = 5000;
	/* 12 distinct pairs x 2 kinds in one second: 16 lines, the rest counted. */
	for (unsigned int s = 1; s <= 4; s++)
		for (unsigned int o = 1; o <= 4; o++)
			if (s != o) {
				CHECK(!mac_may_share(d[s], d[o], POL_MAP));
				CHECK(!mac_may_signal(d[s], d[o]));
			}
	CHECK_EQ(logged("arx: policy: denied"), 16);
	/* A second later, new denials are logged again, with the count of those left out. */
	now_ticks += 1000;
	CHECK(!mac_may_control(d[1], d[2], POL_CONSOLE));
	CHECK_EQ(logged("arx: policy: denied"), 17);
	CHECK_EQ(logged("(8 more not logged)"), 1);
	/* The table of those seen is bounded: once it is full, nothing new is logged. */
	for (unsigned int s = 2; s < MAX_DOMAINS; s++)
		for (unsigned int o = 1; o < MAX_DOMAINS; o++)
			if (s != o)
				(void)mac_may_control(d[s], d[o], POL_DESTROY);
	size_t len = log_len;
	now_ticks += 1000;
	CHECK(!mac_may_control(d[3], d[4], POL_MEMORY));
	CHECK_EQ(log_len, len);
	free_domains();
	free(blob);
}

int main(void)
{
	FILE *f = fopen("configs/default.policy", "r");
	static char text[65536];
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = '\0';
	builtin = compile(text, &builtin_size);
	test_boot_policies();
	test_hooks_enforcing_and_permissive();
	test_conflicts();
	test_load_replaces_whole();
	test_audit_is_bounded();
	free(builtin);
	free_heap();
	return check_summary();
}
