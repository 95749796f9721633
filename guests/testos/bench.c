/*
 * Benchmark modes: `testos.bench=NAME` on the kernel command line makes
 * testos measure something instead of running its test cases, then power
 * off. bench/run reads the lines it prints.
 *
 * `testos.bench=traps` times guest exits:
 *
 *   # testos: benchmark traps: 10000 iterations each, counter at 62500000 Hz
 *   bench loop_empty: 10000 iterations, 60000 ns, 6.00 ns per call (x0 = 0)
 *   bench hvc_null: 10000 iterations, ... ns, ... ns per call (x0 = -38)
 *   ...
 *   bench done
 *
 * Each figure is the virtual counter (CNTVCT_EL0) read before and after
 * the whole loop, in nanoseconds. Under QEMU's `-icount shift=0` machine
 * time advances 1 ns per instruction executed, so there it is the number
 * of instructions the loop took, the hypervisor's included: the counter
 * keeps running while the CPU is at EL2. The loop itself (an indirect
 * call and return, the count) is in every figure; loop_empty measures it
 * alone.
 *
 * `testos.bench=xen_version` times the null Xen hypercall in a domain with
 * `xen = 1` (where arx answers it): loop_empty, then
 *
 *   bench xen_version: 10000 iterations, ... ns, ... ns per call (x0 = 0x40011)
 *
 * The same loop as hvc_null, which a domain without the Xen ABI answers
 * with -ENOSYS before any handler runs; here the answer comes from the
 * xen_version handler, so the figure is the full path of a real hypercall.
 *
 * `testos.bench=grant` (a domain with `xen = 1`): loop_empty, then a grant
 * map+unmap of a page testos grants itself, and a 4 KiB grant copy from it:
 *
 *   bench grant_map_unmap: 10000 iterations, ... ns per call (x0 = 0)
 *   bench grant_copy_4k: 10000 iterations, ... ns per call (x0 = 0)
 *
 * `testos.bench=cross:ID` (a domain with `xen = 1`, next to domain ID running
 * `testos.peer=<this domain's id>:SECONDS`): loop_empty, then the same two on a page ID
 * grants it, and a send on a channel bound to one of ID's ports (bench/policy):
 *
 *   bench cross_grant_map_unmap: ...
 *   bench cross_grant_copy_4k: ...
 *   bench cross_evtchn_send: ...
 *
 * `testos.bench=timer_irq`: loop_empty, then the round trip of one virtual
 * timer interrupt: armed already expired, taken while the CPU spins, the
 * handler stopping the timer, the end of the interrupt; under a hypervisor
 * its whole path (the physical interrupt, the injection, the guest's
 * acknowledge and end, with whatever traps they cost):
 *
 *   bench timer_irq: 10000 iterations, ... ns per call (x0 = ...)
 *
 * `testos.bench=debug` (bench_debug.c): the lazy switch of the debug
 * registers and the cost of debug and PMU state on a vCPU switch.
 *
 * `testos.bench=spin:SECONDS[@START[,REPORT]]` counts busy-loop
 * iterations for SECONDS of counter time, from START seconds of counter
 * time when given (it busy-waits until then; the counter of QEMU's virt
 * board starts at 0, and arx gives every domain the physical count), else
 * from now. It prints the result at once, or at REPORT seconds of counter
 * time when given (busy-waiting until then): guests that share a CPU and
 * end their windows together would otherwise print at the same moment,
 * and their lines would come out mixed on a shared console.
 *
 *   # testos: benchmark spin: 10 s from counter time 3.000000 s
 *   bench spin: 123456768 iterations in 10 s (counter 3.000000 s to 13.000002 s, by a)
 *   bench done
 *
 * "by a" is there when the command line says `testos.name=a`: several
 * guests printing on one console can then be told apart.
 *
 * The counter runs on while the vCPU is not scheduled, so two such guests
 * sharing a CPU over the same window divide it in the ratio of their
 * iterations. SECONDS = 0 spins until the machine is stopped (a busy
 * neighbour for other measurements) and prints nothing more.
 */
#include <arx/string.h>
#include <testos/bench.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/hypercall.h>
#include <testos/irq.h>
#include <testos/mmio.h>
#include <testos/options.h>
#include <testos/peer.h>
#include <testos/sleep.h>
#include <testos/psci.h>
#include <testos/timer.h>
#include "cases/xen.h"

/* Each op must stay a call of its own, so that every loop has the same shape. */
#define NOINLINE __attribute__((noinline))

#define BENCH_OPTION "testos.bench="
#define NAME_OPTION "testos.name="
#define ITERATIONS 10000u
#define WARM_UP 100u
/* Busy-loop iterations between two looks at the counter (well under 1 us under QEMU). */
#define SPIN_CHUNK 256u
/* One day: any longer spin is a typo. */
#define SPIN_MAX_SECONDS 86400u

#define XEN_HYPERCALL_XEN_VERSION 17
#define XENVER_VERSION 0
#define PL011_FR 0x018

/* What spin:SECONDS[@START[,REPORT]] asks for. */
struct spin_args {
	uint64_t seconds;
	uint64_t start, report; /* seconds of counter time; 0: not given */
	bool has_start;
};

/* Each op is one exit (or, natively, whatever the instruction costs there). */
static NOINLINE uint64_t op_empty(void)
{
	__asm__ volatile("" : : : "memory");
	return 0;
}

/* A full hypercall round trip; arx answers every hypercall with -ENOSYS so far. */
static NOINLINE uint64_t op_hvc_null(void)
{
	return (uint64_t)hypercall(XEN_HYPERCALL_XEN_VERSION, XENVER_VERSION, 0, 0, 0, 0);
}

static NOINLINE uint64_t op_psci_version(void)
{
	return smccc_hvc(PSCI_VERSION, 0, 0, 0);
}

/* Distributor registers are emulated by the hypervisor: a stage-2 fault each. */
static NOINLINE uint64_t op_mmio_gicd_typer(void)
{
	return readl(board.gicd + GICD_TYPER);
}

static NOINLINE uint64_t op_mmio_uart_fr(void)
{
	return readl(board.uart + PL011_FR);
}

/* Nanoseconds of counter time for `n` calls of `op`; its last result in *last. */
static NOINLINE uint64_t time_op(bench_op op, unsigned int n, uint64_t *last)
{
	uint64_t start, end, x = 0;

	start = timer_now();
	for (unsigned int i = 0; i < n; i++)
		x = op();
	end = timer_now();
	*last = x;
	/* Fits: 64 bits hold 1e9 times the ticks of ~5 minutes at 62.5 MHz. */
	return (end - start) * 1000000000u / timer_freq();
}

void bench_print(const char *name, unsigned int n, uint64_t ns, uint64_t x)
{
	uint64_t hundredths = ns * 100 / n;

	printf("bench %s: %u iterations, %lu ns, %lu.%02lu ns per call (x0 = ", name, n, ns,
	       hundredths / 100, hundredths % 100);
	/* Errors read best as negative numbers, other results in hex. */
	if ((int64_t)x < 0)
		printf("%ld)\n", (int64_t)x);
	else
		printf("%#lx)\n", x);
}

uint64_t bench_time_once(bench_op op, uint64_t *last)
{
	return time_op(op, 1, last);
}

void bench_one(const char *name, bench_op op)
{
	uint64_t ns, x;

	time_op(op, WARM_UP, &x);
	ns = time_op(op, ITERATIONS, &x);
	bench_print(name, ITERATIONS, ns, x);
}

static void bench_traps(void)
{
	printf("# testos: benchmark traps: %u iterations each, counter at %lu Hz\n", ITERATIONS,
	       timer_freq());
	bench_one("loop_empty", op_empty);
	bench_one("hvc_null", op_hvc_null);
	if (board.psci == PSCI_HVC)
		bench_one("psci_version", op_psci_version);
	else
		printf("# testos: psci_version skipped: PSCI is not called with HVC here\n");
	bench_one("mmio_gicd_typer", op_mmio_gicd_typer);
	bench_one("mmio_uart_fr", op_mmio_uart_fr);
}

static volatile uint32_t timer_irqs;

static void count_timer_irq(unsigned int intid)
{
	(void)intid;
	vtimer_stop();
	timer_irqs++;
}

static NOINLINE uint64_t op_timer_irq(void)
{
	uint32_t seen = timer_irqs;

	vtimer_arm_at(0); /* expired already: it fires at once */
	irq_unmask();
	while (timer_irqs == seen)
		cpu_relax();
	irq_mask();
	return seen;
}

static void bench_timer_irq(void)
{
	printf("# testos: benchmark timer_irq: %u iterations each, counter at %lu Hz\n",
	       ITERATIONS, timer_freq());
	irq_set_handler(board.vtimer_intid, count_timer_irq);
	gic_enable(board.vtimer_intid);
	bench_one("loop_empty", op_empty);
	bench_one("timer_irq", op_timer_irq);
}

static void bench_xen_version(void)
{
	printf("# testos: benchmark xen_version: %u iterations each, counter at %lu Hz\n",
	       ITERATIONS, timer_freq());
	bench_one("loop_empty", op_empty);
	/* op_hvc_null is xen_version(XENVER_version): the result says whether arx answered. */
	bench_one("xen_version", op_hvc_null);
}

/*
 * testos.bench=grant: the grant operations behind PV disks and networks, on a page of
 * testos's own that it grants to itself (as the xen suite's cases do): a map into a hole
 * of its RAM with the unmap after it, and a 4 KiB copy out of the grant into its RAM.
 * testos.bench=cross:ID: the same on a page another domain, ID, grants it (ID runs
 * testos.peer=<this domain>:SECONDS), and a send on a channel to one of ID's ports: what
 * the access control policy is asked about, which it never is for a domain's own grants.
 */
#define BENCH_REF 20
#define OFFER_WAIT_US 10000000	/* for the peer to make its offer (it starts with us) */
#define OFFER_POLL_US 10000
#define OFFER_PORTS 64		/* its ports are the first free ones: among these */

static uint64_t grant_hole;
/* Whose grant, by what ref: map by id (Xen maps no grant named by DOMID_SELF), copy as given. */
static domid_t grant_map_dom, grant_copy_dom;
static grant_ref_t grant_ref;
static uint32_t send_port;

static NOINLINE uint64_t op_grant_map_unmap(void)
{
	struct gnttab_map_grant_ref m = { .host_addr = grant_hole, .flags = GNTMAP_host_map,
					  .ref = grant_ref, .dom = grant_map_dom };
	struct gnttab_unmap_grant_ref u = { .host_addr = grant_hole };

	xen_call(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, (uintptr_t)&m, 1);
	u.handle = m.handle;
	xen_call(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, (uintptr_t)&u, 1);
	return (uint64_t)(int64_t)(m.status ? m.status : u.status);
}

static NOINLINE uint64_t op_grant_copy(void)
{
	struct gnttab_copy c = { .source = { .u.ref = grant_ref, .domid = grant_copy_dom },
				 .dest = { .u.gmfn = xen_gfn(XP_SCRATCH), .domid = DOMID_SELF },
				 .len = XEN_PAGE_SIZE, .flags = GNTCOPY_source_gref };

	xen_call(__HYPERVISOR_grant_table_op, GNTTABOP_copy, (uintptr_t)&c, 1);
	return (uint64_t)(int64_t)c.status;
}

static NOINLINE uint64_t op_evtchn_send(void)
{
	return (uint64_t)xen_send(send_port);
}

/* The Xen ABI and a hole to map grants into; false (said why) if not. */
static bool grant_ready(const char *bench)
{
	if (!xen_ready() || !xen_grant_frame0()) {
		printf("bench error: %s: no Xen grant table here\n", bench);
		return false;
	}
	grant_hole = xen_page(XP_MAP_HOLE);
	if (!xen_read_faults(grant_hole) && xen_release(xen_gfn(XP_MAP_HOLE)) != 1) {
		printf("bench error: %s: cannot make a hole to map into\n", bench);
		return false;
	}
	return true;
}

static void bench_grant(void)
{
	if (!grant_ready("grant"))
		return;
	grant_map_dom = xen_domid();
	grant_copy_dom = DOMID_SELF;
	grant_ref = BENCH_REF;
	xen_grant(BENCH_REF, GTF_permit_access, grant_map_dom, (uint32_t)xen_gfn(XP_GRANTED));
	printf("# testos: benchmark grant: %u iterations each, counter at %lu Hz\n", ITERATIONS,
	       timer_freq());
	bench_one("loop_empty", op_empty);
	bench_one("grant_map_unmap", op_grant_map_unmap);
	bench_one("grant_copy_4k", op_grant_copy);
}

/* Waits until the peer's grant maps and one of its ports binds; false if it never does. */
static bool take_offer(domid_t peer)
{
	uint64_t waited = 0;
	uint32_t local;

	for (; waited < OFFER_WAIT_US; waited += OFFER_POLL_US) {
		if ((int64_t)op_grant_map_unmap() == GNTST_okay)
			break;
		wfi_sleep_us(OFFER_POLL_US);
	}
	for (; waited < OFFER_WAIT_US; waited += OFFER_POLL_US) {
		for (uint32_t p = 1; p < OFFER_PORTS; p++) {
			if (xen_bind_interdomain(peer, p, &local) == 0) {
				send_port = local;
				return true;
			}
		}
		wfi_sleep_us(OFFER_POLL_US);
	}
	return false;
}

static void bench_cross(const char *arg, size_t len)
{
	const char *p = arg;
	uint64_t peer;

	if (!parse_decimal(&p, arg + len, &peer) || p != arg + len ||
	    peer >= DOMID_FIRST_RESERVED) {
		printf("bench error: cross takes the id of a domain running testos.peer\n");
		return;
	}
	if (!grant_ready("cross"))
		return;
	grant_map_dom = grant_copy_dom = (domid_t)peer;
	grant_ref = PEER_FIRST_REF;
	if (!take_offer((domid_t)peer)) {
		printf("bench error: cross: domain %lu offered no grant and port it may use\n",
		       peer);
		return;
	}
	printf("# testos: benchmark cross: domain %lu's grant ref %u and a channel to it "
	       "(local port %u), %u iterations each, counter at %lu Hz\n", peer, grant_ref,
	       send_port, ITERATIONS, timer_freq());
	bench_one("loop_empty", op_empty);
	bench_one("cross_grant_map_unmap", op_grant_map_unmap);
	bench_one("cross_grant_copy_4k", op_grant_copy);
	bench_one("cross_evtchn_send", op_evtchn_send);
}

/* Counter ticks as seconds with 6 decimals, for the # and bench lines. */
static void print_seconds(uint64_t ticks)
{
	uint64_t us = ticks / timer_freq() * 1000000 + ticks % timer_freq() * 1000000 / timer_freq();

	printf("%lu.%06lu s", us / 1000000, us % 1000000);
}

/*
 * Busy-loops until the counter reaches `end` (forever if 0); returns the
 * iterations done. The asm keeps the compiler from folding the inner loop
 * away; all state stays in registers, so no memory is touched.
 */
static NOINLINE uint64_t spin_until(uint64_t end)
{
	uint64_t n = 0;

	do {
		for (unsigned int i = 0; i < SPIN_CHUNK; i++)
			__asm__ volatile("" : "+r"(n));
		n += SPIN_CHUNK;
	} while (!end || timer_now() < end);
	return n;
}

/* Busy-waits until `s` seconds of counter time. */
static void wait_until_second(uint64_t s)
{
	uint64_t t = s * timer_freq();

	while (timer_now() < t)
		cpu_relax();
}

static void bench_spin(const char *bootargs, const struct spin_args *a)
{
	uint64_t start = timer_now(), end, n;
	size_t name_len;
	const char *name = boot_option(bootargs, NAME_OPTION, &name_len);

	if (a->has_start) {
		if (start > a->start * timer_freq()) {
			printf("bench error: spin: start at %lu s of counter time has passed (now ",
			       a->start);
			print_seconds(start);
			printf(")\n");
			return;
		}
		wait_until_second(a->start);
		start = a->start * timer_freq();
	}
	printf("# testos: benchmark spin: %lu s from counter time ", a->seconds);
	print_seconds(start);
	printf("\n");
	if (a->seconds == 0) {
		spin_until(0); /* never returns */
		return;
	}
	n = spin_until(start + a->seconds * timer_freq());
	end = timer_now();
	wait_until_second(a->report);
	printf("bench spin: %lu iterations in %lu s (counter ", n, a->seconds);
	print_seconds(start);
	printf(" to ");
	print_seconds(end);
	if (name)
		printf(", by %.*s", (int)name_len, name);
	printf(")\n");
}

/* SECONDS[@START[,REPORT]] (the text after "spin:", `len` bytes); false if malformed. */
static bool spin_args(const char *arg, size_t len, struct spin_args *a)
{
	const char *p = arg, *end = arg + len;

	a->start = a->report = 0;
	if (!parse_decimal(&p, end, &a->seconds) || a->seconds > SPIN_MAX_SECONDS)
		return false;
	a->has_start = p < end && *p == '@';
	if (a->has_start) {
		p++;
		if (!parse_decimal(&p, end, &a->start))
			return false;
		if (p < end && *p == ',') {
			p++;
			if (!parse_decimal(&p, end, &a->report))
				return false;
		}
	}
	return p == end;
}

bool bench_run(const char *bootargs)
{
	size_t len, spin = strlen("spin:"), cross = strlen("cross:");
	const char *name = boot_option(bootargs, BENCH_OPTION, &len);
	struct spin_args args;

	if (!name)
		return false;
	if (len == strlen("traps") && strncmp(name, "traps", len) == 0) {
		bench_traps();
	} else if (len == strlen("xen_version") && strncmp(name, "xen_version", len) == 0) {
		bench_xen_version();
	} else if (len == strlen("grant") && strncmp(name, "grant", len) == 0) {
		bench_grant();
	} else if (len == strlen("timer_irq") && strncmp(name, "timer_irq", len) == 0) {
		bench_timer_irq();
	} else if (len == strlen("debug") && strncmp(name, "debug", len) == 0) {
		bench_debug();
	} else if (len >= cross && strncmp(name, "cross:", cross) == 0) {
		bench_cross(name + cross, len - cross);
	} else if (len >= spin && strncmp(name, "spin:", spin) == 0) {
		if (spin_args(name + spin, len - spin, &args))
			bench_spin(bootargs, &args);
		else
			printf("bench error: \"%.*s\": spin takes SECONDS[@START[,REPORT]], "
			       "SECONDS at most %u\n", (int)len, name, SPIN_MAX_SECONDS);
	} else {
		printf("bench error: no benchmark \"%.*s\" (there is: traps, xen_version, grant, "
		       "cross:ID, timer_irq, debug, spin:SECONDS[@START[,REPORT]])\n", (int)len,
		       name);
	}
	printf("bench done\n");
	return true;
}
