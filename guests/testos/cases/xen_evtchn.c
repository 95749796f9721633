/*
 * The Xen ABI, event channels (2-level): ports testos connects to itself,
 * IPIs and VIRQs, status, and hostile ports and domains. Delivery is
 * checked where the guest sees it: the pending bit in shared_info and the
 * upcall, PPI 31, on vCPU 0 (xen.h).
 */
#include <arx/fmt.h>
#include <public/hvm_params.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/sysreg.h>
#include "cases.h"
#include "xen.h"

#define E(x) (-(int64_t)XEN_##x)

static int64_t evtchn(uint64_t cmd, void *arg)
{
	return xen_op(__HYPERVISOR_event_channel_op, cmd, arg);
}

static int64_t bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	int64_t r = evtchn(EVTCHNOP_bind_virq, &b);

	*port = b.port;
	return r;
}

static int64_t bind_ipi(uint32_t vcpu, uint32_t *port)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };
	int64_t r = evtchn(EVTCHNOP_bind_ipi, &b);

	*port = b.port;
	return r;
}

static int64_t unmask(uint32_t port)
{
	struct evtchn_unmask u = { .port = port };

	return evtchn(EVTCHNOP_unmask, &u);
}

static int64_t bind_vcpu(uint32_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

	return evtchn(EVTCHNOP_bind_vcpu, &b);
}

/* A send that must set `pending` (and nothing else) with an upcall, or without. */
static void check_send(const char *what, uint32_t send_on, uint32_t pending, bool upcall)
{
	uint32_t before = xen_upcalls();

	xen_clear_pending(pending);
	if (!xen_expect(what, xen_send(send_on), 0))
		return;
	case_check(xen_pending(pending), "%s: port %u not pending", what, pending);
	if (upcall)
		case_check(xen_upcall_came(before), "%s: no upcall (PPI 31)", what);
	else
		case_check(xen_no_upcall(before), "%s: an upcall came, the port is masked", what);
}

void case_xen_evtchn_interdomain(void)
{
	domid_t me;
	uint32_t a, b, before;
	struct evtchn_status st;

	if (!xen_ready())
		return;
	me = xen_domid();
	before = xen_irq_start();
	if (!xen_expect("alloc_unbound(self, remote self)", xen_alloc_unbound(DOMID_SELF,
							   DOMID_SELF, &a), 0))
		return;
	case_check(a > 0 && a < 1024, "alloc_unbound gave port %u", a);
	xen_clear_pending(a);
	if (!xen_expect("bind_interdomain to its own unbound port",
			xen_bind_interdomain(DOMID_SELF, a, &b), 0))
		goto close_a;
	/* As Xen: the new port starts pending, so nothing sent before the bind is lost. */
	case_check(b != a && b > 0 && b < 1024, "bind_interdomain gave port %u (other end %u)", b,
		   a);
	case_check(xen_pending(b), "bind_interdomain: new port %u not pending", b);
	case_check(xen_upcall_came(before), "bind_interdomain: no upcall for the new port");
	xen_clear_pending(b);
	if (xen_expect("status of the bound port", xen_status(b, &st), 0))
		case_check(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == me &&
			   st.u.interdomain.port == a,
			   "status of port %u: %u, dom %u, port %u; expected interdomain to %u:%u",
			   b, st.status, st.u.interdomain.dom, st.u.interdomain.port, me, a);
	if (xen_expect("status of the other end", xen_status(a, &st), 0))
		case_check(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.port == b,
			   "status of port %u: %u, port %u; expected interdomain to %u", a,
			   st.status, st.u.interdomain.port, b);
	check_send("send on the bound port", b, a, true);
	case_check(!xen_pending(b), "send on port %u also made it pending itself", b);
	xen_clear_pending(a);
	check_send("send on the other end", a, b, true);
	case_check(!xen_pending(a), "send on port %u also made it pending itself", a);
	xen_clear_pending(b);

	/* Masked: the event is kept, the upcall waits for the unmask. */
	xen_set_mask(a, true);
	check_send("send to a masked port", b, a, false);
	before = xen_upcalls();
	if (xen_expect("unmask of the pending port", unmask(a), 0)) {
		case_check(!xen_masked(a), "unmask left port %u masked in shared_info", a);
		case_check(xen_upcall_came(before), "unmask of a pending port: no upcall");
	}
	xen_clear_pending(a);
	/* A second event while the first is still pending raises nothing new. */
	xen_clear_pending(a);
	xen_send(b);
	before = xen_upcalls();
	xen_expect("send while the port is still pending", xen_send(b), 0);
	case_check(xen_no_upcall(before), "send to a port already pending: an upcall came");
	xen_clear_pending(a);

	/* Closing one end leaves the other waiting for this domain again. */
	xen_expect("close of the bound port", xen_close(b), 0);
	if (xen_expect("status after its peer closed", xen_status(a, &st), 0))
		case_check(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == me,
			   "port %u after its peer closed: status %u dom %u, expected unbound for "
			   "%u", a, st.status, st.u.unbound.dom, me);
	xen_expect("send on an unbound port (dropped)", xen_send(a), 0);
	xen_expect("close of the bound port again", xen_close(b), E(EINVAL));
close_a:
	xen_expect("close of the unbound port", xen_close(a), 0);
	xen_expect("close of the unbound port again", xen_close(a), E(EINVAL));
	irq_mask();
}

void case_xen_evtchn_ipi_virq(void)
{
	uint32_t ipi, virq, port;
	struct evtchn_status st;
	int64_t r;

	if (!xen_ready())
		return;
	xen_irq_start();
	if (xen_expect("bind_ipi(vCPU 0)", bind_ipi(0, &ipi), 0)) {
		check_send("send on the IPI port", ipi, ipi, true);
		if (xen_expect("status of the IPI port", xen_status(ipi, &st), 0))
			case_check(st.status == EVTCHNSTAT_ipi && st.vcpu == 0,
				   "status of IPI port %u: %u, vCPU %u", ipi, st.status, st.vcpu);
		xen_expect("bind_vcpu of an IPI port", bind_vcpu(ipi, 0), E(EINVAL));
		xen_clear_pending(ipi);
		xen_expect("close of the IPI port", xen_close(ipi), 0);
	}
	xen_expect("bind_ipi(vCPU 99)", bind_ipi(99, &port), E(ENOENT));
	xen_expect("bind_ipi(vCPU 2^32-1)", bind_ipi(~0u, &port), E(ENOENT));

	if (xen_expect("bind_virq(VIRQ_DEBUG, vCPU 0)", bind_virq(VIRQ_DEBUG, 0, &virq), 0)) {
		xen_expect("bind_virq(VIRQ_DEBUG, vCPU 0) again", bind_virq(VIRQ_DEBUG, 0, &port),
			   E(EEXIST));
		if (xen_expect("status of the VIRQ port", xen_status(virq, &st), 0))
			case_check(st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_DEBUG,
				   "status of VIRQ port %u: %u, virq %u", virq, st.status,
				   st.u.virq);
		/* arx raises it, the guest cannot. */
		xen_expect("send on a VIRQ port", xen_send(virq), E(EINVAL));
		xen_expect("bind_vcpu of a per-vCPU VIRQ", bind_vcpu(virq, 0), E(EINVAL));
		xen_expect("close of the VIRQ port", xen_close(virq), 0);
		r = bind_virq(VIRQ_DEBUG, 0, &port);
		if (xen_expect("bind_virq(VIRQ_DEBUG) after its close", r, 0))
			xen_close(port);
	}
	xen_expect("bind_virq(virq 7)", bind_virq(7, 0, &port), E(EINVAL));
	xen_expect("bind_virq(virq 24)", bind_virq(NR_VIRQS, 0, &port), E(EINVAL));
	xen_expect("bind_virq(virq 2^32-1)", bind_virq(~0u, 0, &port), E(EINVAL));
	xen_expect("bind_virq(VIRQ_DEBUG, vCPU 99)", bind_virq(VIRQ_DEBUG, 99, &port), E(ENOENT));
	if (board.nr_cpus > 1) /* a global VIRQ goes to vCPU 0 */
		xen_expect("bind_virq(VIRQ_CONSOLE, vCPU 1)", bind_virq(VIRQ_CONSOLE, 1, &port),
			   E(EINVAL));
	if (xen_expect("bind_virq(VIRQ_CONSOLE, vCPU 0)", bind_virq(VIRQ_CONSOLE, 0, &port), 0)) {
		if (board.nr_cpus > 1)
			xen_expect("bind_vcpu of a global VIRQ to vCPU 1", bind_vcpu(port, 1), 0);
		xen_expect("bind_vcpu to vCPU 99", bind_vcpu(port, 99), E(ENOENT));
		xen_expect("close of the VIRQ_CONSOLE port", xen_close(port), 0);
	}
	irq_mask();
}

void case_xen_evtchn_status(void)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_CONSOLE_EVTCHN };
	struct evtchn_status st;
	uint32_t console, port;

	if (!xen_ready())
		return;
	if (!xen_expect("get_param(CONSOLE_EVTCHN)",
			xen_op(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0))
		return;
	console = (uint32_t)p.value;
	/* arx is the console's other end; it says domain 0. */
	if (xen_expect("status of the console port", xen_status(console, &st), 0))
		case_check(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0,
			   "status of console port %u: %u, dom %u", console, st.status,
			   st.u.interdomain.dom);
	if (xen_expect("status of port 0", xen_status(0, &st), 0))
		case_check(st.status == EVTCHNSTAT_closed, "port 0: status %u", st.status);
	if (xen_expect("status of port 1023", xen_status(1023, &st), 0))
		case_check(st.status == EVTCHNSTAT_closed, "port 1023: status %u", st.status);
	if (xen_expect("alloc_unbound(self, another domain)",
		       xen_alloc_unbound(DOMID_SELF, xen_other_domid(), &port), 0)) {
		if (xen_expect("status of an unbound port", xen_status(port, &st), 0))
			case_check(st.status == EVTCHNSTAT_unbound &&
				   st.u.unbound.dom == xen_other_domid(),
				   "status of unbound port %u: %u, dom %u", port, st.status,
				   st.u.unbound.dom);
		xen_expect("close", xen_close(port), 0);
		if (xen_expect("status of a closed port", xen_status(port, &st), 0))
			case_check(st.status == EVTCHNSTAT_closed, "port %u after close: status %u",
				   port, st.status);
	}
	st = (struct evtchn_status){ .dom = xen_other_domid(), .port = console };
	xen_expect("status of another domain's port", evtchn(EVTCHNOP_status, &st), E(EPERM));
	st = (struct evtchn_status){ .dom = DOMID_XEN, .port = 1 };
	xen_expect("status of DOMID_XEN's port", evtchn(EVTCHNOP_status, &st), E(EPERM));
}

void case_xen_evtchn_bad_ports(void)
{
	static const uint32_t bad[] = { 0, 1023, 1024, 4095, 4096, 0x7fffffff, 0xffffffff };
	struct evtchn_status st;
	char what[64];

	if (!xen_ready())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		uint32_t p = bad[i];

		fmt_snprintf(what, sizeof(what), "send on port %#x", p);
		xen_expect(what, xen_send(p), E(EINVAL));
		fmt_snprintf(what, sizeof(what), "close of port %#x", p);
		xen_expect(what, xen_close(p), E(EINVAL));
		fmt_snprintf(what, sizeof(what), "bind_vcpu of port %#x", p);
		xen_expect(what, bind_vcpu(p, 0), E(EINVAL));
		/* Ports 0..1023 exist (free: closed); only beyond them is the number invalid. */
		fmt_snprintf(what, sizeof(what), "status of port %#x", p);
		xen_expect(what, xen_status(p, &st), p < 1024 ? 0 : E(EINVAL));
		/*
		 * unmask refuses a number outside 1..1023; a free port inside the range
		 * answers 0, as Xen's unmask does for any port it has room for.
		 */
		fmt_snprintf(what, sizeof(what), "unmask of port %#x", p);
		xen_expect(what, unmask(p), p > 0 && p < 1024 ? 0 : E(EINVAL));
	}
	xen_set_mask(1023, false);
	xen_expect("event_channel_op(bind_pirq)", evtchn(EVTCHNOP_bind_pirq, &st), E(ENOSYS));
	xen_expect("event_channel_op(reset)", evtchn(EVTCHNOP_reset, &st), E(ENOSYS));
	xen_expect("event_channel_op(init_control)", evtchn(EVTCHNOP_init_control, &st),
		   E(ENOSYS));
	xen_expect("event_channel_op(expand_array)", evtchn(EVTCHNOP_expand_array, &st),
		   E(ENOSYS));
	xen_expect("event_channel_op(set_priority)", evtchn(EVTCHNOP_set_priority, &st),
		   E(ENOSYS));
	xen_expect("event_channel_op(cmd ~0)", evtchn(~0UL, &st), E(ENOSYS));
}

/* Every answer but success: a channel to someone who is not there, or not asking. */
void case_xen_evtchn_foreign(void)
{
	static const domid_t doms[] = { 0, 2, 99, 0x7fef, DOMID_SELF, DOMID_SELF + 1,
					DOMID_XEN, 0xffff };
	static const uint32_t ports[] = { 0, 1, 2, 3, 1023, 1024, 0x12345, 0xffffffff };
	uint64_t seed = 0x5eedf00dUL;
	domid_t me, other;
	uint32_t port;

	if (!xen_ready())
		return;
	me = xen_domid();
	other = xen_other_domid();
	for (unsigned int d = 0; d < ARRAY_SIZE(doms); d++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(ports) + 8; i++) {
			uint32_t rp = i < ARRAY_SIZE(ports) ? ports[i] : (uint32_t)(seed >> 33);
			int64_t r = xen_bind_interdomain(doms[d], rp, &port);

			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			if (!case_check(r == E(ESRCH) || r == E(EINVAL),
					"bind_interdomain(dom %#x, port %#x): got %ld (port %u), "
					"expected -3 or -22", doms[d], rp, r, port))
				if (r == 0)
					xen_close(port);
		}
	}
	xen_expect("alloc_unbound for another domain",
		   xen_alloc_unbound(other, DOMID_SELF, &port), E(EPERM));
	xen_expect("alloc_unbound for domain 0", xen_alloc_unbound(0, DOMID_SELF, &port),
		   me == 0 ? 0 : E(EPERM));
	xen_expect("alloc_unbound for DOMID_XEN", xen_alloc_unbound(DOMID_XEN, DOMID_SELF, &port),
		   E(EPERM));
	xen_expect("alloc_unbound naming DOMID_XEN as the peer",
		   xen_alloc_unbound(DOMID_SELF, DOMID_XEN, &port), E(EINVAL));
	xen_expect("alloc_unbound naming 0xffff as the peer",
		   xen_alloc_unbound(me, 0xffff, &port), E(EINVAL));
}

/* arx bounds what a guest makes it keep: 1024 ports, port 0 never used. */
void case_xen_evtchn_exhaust(void)
{
	static uint32_t taken[1024];
	unsigned int n = 0;
	uint32_t port;
	int64_t r = 0;

	if (!xen_ready())
		return;
	while (n < ARRAY_SIZE(taken)) {
		r = xen_alloc_unbound(DOMID_SELF, DOMID_SELF, &port);
		if (r)
			break;
		taken[n++] = port;
	}
	xen_expect("alloc_unbound once every port is taken", r, E(ENOSPC));
	printf("# xen: %u ports allocated before -ENOSPC\n", n);
	/* The console port and any a case left open are the only others. */
	case_check(n >= 1000 && n <= 1022, "%u ports allocated before -ENOSPC, expected 1022 or "
		   "a few less", n);
	for (unsigned int i = 0; i < n; i++) {
		uint32_t ipi;

		if (i == 0)
			xen_expect("bind_ipi with no port free", bind_ipi(0, &ipi), E(ENOSPC));
		r = xen_close(taken[i]);
		if (!case_check(r == 0, "close of port %u (%u of %u): got %ld", taken[i], i, n, r))
			break;
	}
	if (xen_expect("alloc_unbound after closing them all",
		       xen_alloc_unbound(DOMID_SELF, DOMID_SELF, &port), 0))
		xen_close(port);
}
