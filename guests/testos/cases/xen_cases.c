/*
 * The Xen ABI, the calls about the domain itself: xen_version, unknown
 * hypercall numbers, hostile argument pointers, HVM parameters, vcpu_op,
 * sched_op and the two consoles (console_io, the PV console ring). The
 * expected answers are those hv/xen/ defines; see xen.h.
 */
#include <arx/string.h>
#include <arx/fmt.h>
#include <public/console.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/irq.h>
#include <testos/mmio.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"
#include "xen.h"

#define E(x) (-(int64_t)XEN_##x)

static int64_t version(uint64_t cmd, uint64_t arg)
{
	return xen_call(__HYPERVISOR_xen_version, cmd, arg, 0);
}

void case_xen_version(void)
{
	struct xen_feature_info fi = { .submap_idx = 0, .submap = 0 };
	char extra[XEN_EXTRAVERSION_LEN];
	static char caps[XEN_CAPABILITIES_INFO_LEN]; /* also as big as any other answer */
	static const uint64_t unknown[] = { XENVER_build_id, 11, 0x1000, 0xffffffffUL, ~0UL };
	int64_t r;

	if (!xen_ready())
		return;
	xen_expect("xen_version(version)", version(XENVER_version, 0), XEN_VERSION_417);
	memset(extra, 0x55, sizeof(extra));
	r = version(XENVER_extraversion, (uint64_t)(uintptr_t)extra);
	if (xen_expect("xen_version(extraversion)", r, 0))
		case_check(strncmp(extra, "-arx", sizeof(extra)) == 0,
			   "xen_version(extraversion): \"%.16s\", expected \"-arx\"", extra);
	memset(caps, 0, sizeof(caps));
	if (xen_expect("xen_version(capabilities)",
		       version(XENVER_capabilities, (uint64_t)(uintptr_t)caps), 0))
		case_check(strcmp(caps, "xen-3.0-aarch64 ") == 0,
			   "xen_version(capabilities): \"%s\"", caps);
	/* compile_info: four strings (compiler, by, domain, date) in 144 bytes. */
	memset(caps, 0x55, sizeof(caps));
	if (xen_expect("xen_version(compile_info)",
		       version(XENVER_compile_info, (uint64_t)(uintptr_t)caps), 0))
		case_check(strcmp(caps, "gcc") == 0 && caps[144] == 0x55,
			   "xen_version(compile_info): compiler \"%.8s\", or more than 144 bytes", caps);
	xen_expect("xen_version(platform_parameters)",
		   version(XENVER_platform_parameters, (uint64_t)(uintptr_t)caps), 0);
	xen_expect("xen_version(guest_handle)",
		   version(XENVER_guest_handle, (uint64_t)(uintptr_t)caps), 0);
	/* The hypervisor's command line is the control domain's to read, as on Xen. */
	xen_expect("xen_version(commandline)",
		   version(XENVER_commandline, (uint64_t)(uintptr_t)caps), E(EPERM));
	r = version(XENVER_get_features, (uint64_t)(uintptr_t)&fi);
	if (xen_expect("xen_version(get_features, submap 0)", r, 0)) {
		case_check(fi.submap & (1u << XENFEAT_auto_translated_physmap),
			   "get_features: submap %#x lacks auto_translated_physmap (bit 2)",
			   fi.submap);
		case_check(fi.submap & (1u << XENFEAT_not_direct_mapped),
			   "get_features: submap %#x lacks not_direct_mapped (bit 16)", fi.submap);
		case_check(!(fi.submap & (1u << XENFEAT_dom0)),
			   "get_features: submap %#x says dom0 (bit 11)", fi.submap);
		case_check(!(fi.submap & (1u << XENFEAT_direct_mapped)),
			   "get_features: submap %#x says direct_mapped (bit 17)", fi.submap);
	}
	fi.submap_idx = 1;
	xen_expect("xen_version(get_features, submap 1)",
		   version(XENVER_get_features, (uint64_t)(uintptr_t)&fi), E(EINVAL));
	xen_expect("xen_version(pagesize)", version(XENVER_pagesize, 0), 4096);
	/* The same through multicall: each entry's result written back; batches are bounded. */
	static struct multicall_entry calls[33];
	for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++)
		calls[i] = (struct multicall_entry){ .op = __HYPERVISOR_xen_version,
						     .result = -1, .args = { XENVER_pagesize } };
	calls[1].op = __HYPERVISOR_multicall; /* no multicall inside one */
	if (xen_expect("multicall(2 entries)",
		       xen_call(__HYPERVISOR_multicall, (uint64_t)(uintptr_t)calls, 2, 0), 0)) {
		case_check(calls[0].result == 4096, "multicall: entry 0 gave %ld", calls[0].result);
		case_check(calls[1].result == E(ENOSYS), "multicall: nested gave %ld",
			   calls[1].result);
	}
	xen_expect("multicall(33 entries)",
		   xen_call(__HYPERVISOR_multicall, (uint64_t)(uintptr_t)calls, 33, 0), E(EINVAL));
	for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++) {
		char what[48];

		fmt_snprintf(what, sizeof(what), "xen_version(cmd %#lx)", unknown[i]);
		xen_expect(what, version(unknown[i], (uint64_t)(uintptr_t)caps), E(ENOSYS));
	}
}

/* Numbers arx has no handler for, including the implemented ones with high bits set. */
void case_xen_unknown_call(void)
{
	static const uint64_t numbers[] = {
		0, 1, 2, 7, 11, 21, 33, 41, 48, 63, 64, 0xffff, 0xffffffffUL,
		(1UL << 32) | __HYPERVISOR_xen_version, 1UL << 63, ~0UL,
	};

	if (!xen_ready())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(numbers); i++) {
		char what[48];

		fmt_snprintf(what, sizeof(what), "hypercall %#lx", numbers[i]);
		xen_expect(what, xen_call(numbers[i], XENVER_version, 0, 0), E(ENOSYS));
	}
}

void case_xen_domid(void)
{
	domid_t me;

	if (!xen_ready())
		return;
	me = xen_domid();
	if (case_check(me != DOMID_SELF && me != 0 && me < DOMID_FIRST_RESERVED,
		       "status(unbound port).u.unbound.dom = %u, expected this domain's id", me))
		printf("# xen: this domain's id is %u\n", me);
}

/*
 * Calls that read (or read, then write) one struct through a pointer. The
 * reading comes first in each, so a pointer straddling the end of RAM makes
 * arx write nothing (the last page of RAM may hold the device tree).
 */
struct pointer_call {
	const char *name;
	uint64_t nr, cmd;
	size_t size;	/* bytes arx reads at the pointer */
};

static const struct pointer_call pointer_calls[] = {
	{ "xen_version(get_features)", __HYPERVISOR_xen_version, XENVER_get_features, 8 },
	{ "hvm_op(get_param)", __HYPERVISOR_hvm_op, HVMOP_get_param, 16 },
	{ "memory_op(add_to_physmap)", __HYPERVISOR_memory_op, XENMEM_add_to_physmap, 24 },
	{ "event_channel_op(status)", __HYPERVISOR_event_channel_op, EVTCHNOP_status, 24 },
	{ "event_channel_op(alloc_unbound)", __HYPERVISOR_event_channel_op,
	  EVTCHNOP_alloc_unbound, 8 },
	{ "event_channel_op(send)", __HYPERVISOR_event_channel_op, EVTCHNOP_send, 4 },
	{ "grant_table_op(query_size)", __HYPERVISOR_grant_table_op, GNTTABOP_query_size, 16 },
	{ "grant_table_op(map_grant_ref)", __HYPERVISOR_grant_table_op,
	  GNTTABOP_map_grant_ref, 32 },
	{ "grant_table_op(copy)", __HYPERVISOR_grant_table_op, GNTTABOP_copy, 40 },
};

static int64_t pointer_call(const struct pointer_call *c, uint64_t ptr)
{
	if (c->nr == __HYPERVISOR_grant_table_op)
		return xen_call(c->nr, c->cmd, ptr, 1); /* count 1 */
	return xen_call(c->nr, c->cmd, ptr, 0);
}

static void expect_fault(const struct pointer_call *c, uint64_t ptr, const char *where)
{
	char what[112];

	fmt_snprintf(what, sizeof(what), "%s with its argument at %#lx (%s)", c->name, ptr, where);
	xen_expect(what, pointer_call(c, ptr), E(EFAULT));
}

void case_xen_bad_pointers(void)
{
	const struct {
		uint64_t ptr;
		const char *where;
	} bad[] = {
		{ 0, "address 0" }, { 0x1000, "below RAM" }, { board.ram_base - 8, "just below RAM" },
		{ board.ram_end, "RAM's end" }, { board.ram_end - 2, "straddling RAM's end" },
		{ 0xfffffffffffff000UL, "the top of the address space" },
		{ 1UL << 48, "2^48" },
		{ XEN_GNTTAB_WINDOW, "the grant-table window, not its own RAM" },
		{ XEN_CONSOLE_RING, "the PV console ring, not its own RAM" },
		{ board.gicd, "the GIC distributor" }, { board.uart, "the UART" },
	};
	uint64_t buf = xen_page(XP_SCRATCH);
	struct xen_feature_info fi;
	struct xen_hvm_param hp = { .domid = DOMID_SELF, .index = HVM_PARAM_CONSOLE_PFN };
	char extra[8];

	if (!xen_ready() || !xen_grant_frame0())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		for (unsigned int c = 0; c < ARRAY_SIZE(pointer_calls); c++)
			expect_fault(&pointer_calls[c], bad[i].ptr, bad[i].where);
	/* Calls that only write: never at the straddling pointer (see above). */
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		char what[112];

		if (bad[i].ptr == board.ram_end - 2)
			continue;
		fmt_snprintf(what, sizeof(what), "xen_version(extraversion) at %#lx (%s)",
			     bad[i].ptr, bad[i].where);
		xen_expect(what, version(XENVER_extraversion, bad[i].ptr), E(EFAULT));
		fmt_snprintf(what, sizeof(what), "console_io(write, 8) from %#lx (%s)", bad[i].ptr,
			     bad[i].where);
		xen_expect(what, xen_call(__HYPERVISOR_console_io, CONSOLEIO_write, 8, bad[i].ptr),
			   E(EFAULT));
	}
	/* Unaligned but inside RAM: arx copies bytewise, so these work. */
	fi = (struct xen_feature_info){ 0, 0 };
	xen_put_bytes(buf + 1, &fi, sizeof(fi));
	if (xen_expect("get_features at an odd address", version(XENVER_get_features, buf + 1),
		       0)) {
		xen_get_bytes(&fi, buf + 1, sizeof(fi));
		case_check(fi.submap & (1u << XENFEAT_auto_translated_physmap),
			   "get_features at an odd address: submap %#x", fi.submap);
	}
	xen_put_bytes(buf + 3, &hp, sizeof(hp));
	if (xen_expect("hvm_op(get_param) at buf+3",
		       xen_call(__HYPERVISOR_hvm_op, HVMOP_get_param, buf + 3, 0), 0)) {
		xen_get_bytes(&hp, buf + 3, sizeof(hp));
		case_check(hp.value == XEN_CONSOLE_RING >> XEN_PAGE_SHIFT,
			   "get_param(CONSOLE_PFN) at buf+3: %#lx", hp.value);
	}
	/* Straddling two pages of its RAM: both are its own, so this works too. */
	hp = (struct xen_hvm_param){ .domid = DOMID_SELF, .index = HVM_PARAM_CONSOLE_PFN };
	xen_put_bytes(buf + XEN_PAGE_SIZE - 6, &hp, sizeof(hp));
	if (xen_expect("hvm_op(get_param) straddling two pages of RAM",
		       xen_call(__HYPERVISOR_hvm_op, HVMOP_get_param, buf + XEN_PAGE_SIZE - 6, 0),
		       0)) {
		xen_get_bytes(&hp, buf + XEN_PAGE_SIZE - 6, sizeof(hp));
		case_check(hp.value == XEN_CONSOLE_RING >> XEN_PAGE_SHIFT,
			   "get_param(CONSOLE_PFN) straddling pages: %#lx", hp.value);
	}
	if (xen_expect("xen_version(extraversion) at buf+7",
		       version(XENVER_extraversion, buf + 7), 0)) {
		xen_get_bytes(extra, buf + 7, 5);
		case_check(memcmp(extra, "-arx", 5) == 0, "extraversion at buf+7: \"%.5s\"", extra);
	}
}

static int64_t hvm(unsigned int op, domid_t dom, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = dom, .index = index, .value = *value };
	int64_t r = xen_op(__HYPERVISOR_hvm_op, op, &p);

	*value = p.value;
	return r;
}

void case_xen_hvm_param(void)
{
	domid_t me, other;
	uint64_t v = 0, callback = (3UL << 56) | XEN_EVTCHN_PPI; /* "PPI 31", as Linux would */

	if (!xen_ready())
		return;
	me = xen_domid();
	other = xen_other_domid();
	if (xen_expect("get_param(CONSOLE_EVTCHN)",
		       hvm(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &v), 0))
		case_check(v != 0 && v < 1024, "get_param(CONSOLE_EVTCHN) = %lu", v);
	v = 0;
	if (xen_expect("get_param(CONSOLE_PFN) by its own id",
		       hvm(HVMOP_get_param, me, HVM_PARAM_CONSOLE_PFN, &v), 0))
		case_check(v == XEN_CONSOLE_RING >> XEN_PAGE_SHIFT,
			   "get_param(CONSOLE_PFN) = %#lx, expected 0x39000", v);
	v = 1;
	if (xen_expect("get_param(STORE_PFN)", hvm(HVMOP_get_param, DOMID_SELF,
						   HVM_PARAM_STORE_PFN, &v), 0))
		case_check(v == 0, "get_param(STORE_PFN) = %#lx: arx has no xenstore", v);
	xen_expect("get_param(index 39)", hvm(HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &v),
		   E(EINVAL));
	xen_expect("get_param(index 0xffffffff)",
		   hvm(HVMOP_get_param, DOMID_SELF, 0xffffffffu, &v), E(EINVAL));
	xen_expect("get_param of another domain", hvm(HVMOP_get_param, other,
						      HVM_PARAM_CONSOLE_EVTCHN, &v), E(EPERM));
	xen_expect("get_param of domain 3 (another, or itself)",
		   hvm(HVMOP_get_param, 3, HVM_PARAM_CONSOLE_PFN, &v), me == 3 ? 0 : E(EPERM));
	v = 0x12345;
	xen_expect("set_param(CONSOLE_PFN)", hvm(HVMOP_set_param, DOMID_SELF,
						 HVM_PARAM_CONSOLE_PFN, &v), E(EPERM));
	xen_expect("set_param(CONSOLE_EVTCHN)", hvm(HVMOP_set_param, DOMID_SELF,
						    HVM_PARAM_CONSOLE_EVTCHN, &v), E(EPERM));
	xen_expect("set_param(index 39)", hvm(HVMOP_set_param, DOMID_SELF, HVM_NR_PARAMS, &v),
		   E(EINVAL));
	xen_expect("set_param(CALLBACK_IRQ) of another domain",
		   hvm(HVMOP_set_param, other, HVM_PARAM_CALLBACK_IRQ, &v), E(EPERM));
	v = 0;
	xen_expect("get_param(CONSOLE_PFN) after the refused set",
		   hvm(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &v), 0);
	case_check(v == XEN_CONSOLE_RING >> XEN_PAGE_SHIFT,
		   "CONSOLE_PFN changed by a refused set_param: %#lx", v);
	v = callback;
	xen_expect("set_param(CALLBACK_IRQ)", hvm(HVMOP_set_param, DOMID_SELF,
						  HVM_PARAM_CALLBACK_IRQ, &v), 0);
	v = 0;
	if (xen_expect("get_param(CALLBACK_IRQ)", hvm(HVMOP_get_param, DOMID_SELF,
						      HVM_PARAM_CALLBACK_IRQ, &v), 0))
		case_check(v == callback, "get_param(CALLBACK_IRQ) = %#lx, expected %#lx", v,
			   callback);
	xen_expect("hvm_op 2 (unknown)", xen_call(__HYPERVISOR_hvm_op, 2, 0, 0), E(ENOSYS));
}

static int64_t vcpu_op(uint64_t cmd, uint64_t vcpu, const void *arg)
{
	return xen_call(__HYPERVISOR_vcpu_op, cmd, vcpu, (uint64_t)(uintptr_t)arg);
}

static int64_t register_info(uint64_t vcpu, uint64_t gfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = { .mfn = gfn, .offset = offset, .rsvd = 0 };

	return vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

#define VCPU_INFO_OFFSET 64	/* where in XP_VCPU_INFO vCPU 0's vcpu_info goes */

void case_xen_vcpu_op(void)
{
	struct vcpu_register_runstate_memory_area rs = { .addr.p = xen_page(XP_RUNSTATE) };
	uint64_t gfn = xen_gfn(XP_VCPU_INFO);
	uint32_t before;
	int64_t r;

	if (!xen_ready())
		return;
	/* Invalid ones first: they must be refused whether or not one is registered. */
	xen_expect("register_vcpu_info at offset 4090 (crosses the page)",
		   register_info(0, gfn, 4090), E(EINVAL));
	xen_expect("register_vcpu_info at offset 4056 (crosses the page)",
		   register_info(0, gfn, 4056), E(EINVAL));
	xen_expect("register_vcpu_info at offset 4 (unaligned)", register_info(0, gfn, 4),
		   E(EINVAL));
	xen_expect("register_vcpu_info on a frame outside RAM",
		   register_info(0, board.ram_end >> XEN_PAGE_SHIFT, 0), E(EINVAL));
	xen_expect("register_vcpu_info on the PV console page",
		   register_info(0, XEN_CONSOLE_RING >> XEN_PAGE_SHIFT, 0), E(EINVAL));
	xen_expect("register_vcpu_info on frame 2^52", register_info(0, 1UL << 52, 0),
		   E(EINVAL));
	xen_expect("register_vcpu_info for vCPU 99", register_info(99, gfn, 0), E(ENOENT));
	xen_expect("register_vcpu_info for vCPU 2^32", register_info(1UL << 32, gfn, 0),
		   E(ENOENT));
	/* The move itself: arx copies the old one over and raises one upcall. */
	before = xen_irq_start();
	r = register_info(0, gfn, VCPU_INFO_OFFSET);
	if (r == 0) {
		xen_vcpu_info_moved(xen_page(XP_VCPU_INFO) + VCPU_INFO_OFFSET);
		case_check(xen_upcall_came(before), "register_vcpu_info: no upcall followed");
	} else {
		xen_expect("register_vcpu_info (the first)", r, 0);
	}
	xen_expect("register_vcpu_info again", register_info(0, gfn, VCPU_INFO_OFFSET + 64),
		   E(EBUSY));
	irq_mask();
	xen_expect("vcpu_op(is_up, 0)", vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	if (board.nr_cpus > 1)
		xen_expect("vcpu_op(is_up, 1) while it is off", vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	xen_expect("vcpu_op(is_up, 99)", vcpu_op(VCPUOP_is_up, 99, NULL), E(ENOENT));
	xen_expect("register_runstate_memory_area", vcpu_op(VCPUOP_register_runstate_memory_area,
							    0, &rs), 0);
	xen_expect("register_runstate_memory_area, argument outside RAM",
		   xen_call(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
			    board.ram_end), E(EFAULT));
	/* Not implemented (vCPUs start and stop with PSCI); none of these may stop vCPU 0. */
	xen_expect("vcpu_op(get_runstate_info)", vcpu_op(VCPUOP_get_runstate_info, 0, &rs),
		   E(ENOSYS));
	xen_expect("vcpu_op(initialise)", vcpu_op(VCPUOP_initialise, 0, &rs), E(ENOSYS));
	xen_expect("vcpu_op(cmd 99)", vcpu_op(99, 0, &rs), E(ENOSYS));
	xen_expect("vcpu_op(cmd ~0)", vcpu_op(~0UL, 0, &rs), E(ENOSYS));
}

static int64_t sched(uint64_t cmd, const void *arg)
{
	return xen_op(__HYPERVISOR_sched_op, cmd, arg);
}

/* Set by the timer interrupt that ends the blocking poll. */
static volatile uint32_t poll_timer_fired;

static void poll_timer(unsigned int intid)
{
	(void)intid;
	vtimer_stop();
	poll_timer_fired = 1;
}

void case_xen_sched_op(void)
{
	evtchn_port_t ports[2] = { 0, 0 };
	struct sched_poll p = { .ports = (uint64_t)(uintptr_t)ports, .nr_ports = 1 };
	struct evtchn_bind_ipi ipi = { .vcpu = 0, .port = 0 };
	struct sched_shutdown s = { .reason = SHUTDOWN_suspend };
	uint64_t start, waited;

	if (!xen_ready())
		return;
	xen_expect("sched_op(yield)", sched(SCHEDOP_yield, NULL), 0);
	p.nr_ports = 129;
	xen_expect("sched_op(poll, 129 ports)", sched(SCHEDOP_poll, &p), E(EINVAL));
	p.nr_ports = ~0u;
	xen_expect("sched_op(poll, 2^32-1 ports)", sched(SCHEDOP_poll, &p), E(EINVAL));
	ports[0] = 1024;
	p.nr_ports = 1;
	xen_expect("sched_op(poll, port 1024)", sched(SCHEDOP_poll, &p), E(EINVAL));
	p.ports = board.ram_end;
	xen_expect("sched_op(poll, port list outside RAM)", sched(SCHEDOP_poll, &p), E(EFAULT));
	xen_expect("sched_op(poll), argument outside RAM",
		   xen_call(__HYPERVISOR_sched_op, SCHEDOP_poll, board.ram_end, 0), E(EFAULT));
	/* Reasons that would end the domain are not tried here (xen_shutdown_crash). */
	xen_expect("sched_op(shutdown, suspend)", sched(SCHEDOP_shutdown, &s), E(EINVAL));
	s.reason = 99;
	xen_expect("sched_op(shutdown, reason 99)", sched(SCHEDOP_shutdown, &s), E(EINVAL));
	xen_expect("sched_op(shutdown), argument outside RAM",
		   xen_call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, board.ram_end, 0), E(EFAULT));
	xen_expect("sched_op(cmd 4)", sched(4, NULL), E(ENOSYS));
	xen_expect("sched_op(cmd ~0)", sched(~0UL, NULL), E(ENOSYS));

	/* A pending port: poll returns at once. */
	if (!xen_expect("bind_ipi for poll", xen_op(__HYPERVISOR_event_channel_op,
						    EVTCHNOP_bind_ipi, &ipi), 0))
		return;
	xen_set_mask(ipi.port, true); /* pending without an upcall */
	xen_clear_pending(ipi.port);
	xen_expect("send on the IPI port", xen_send(ipi.port), 0);
	ports[0] = 0;		/* port 0 is never pending: the second one decides */
	ports[1] = ipi.port;
	p.ports = (uint64_t)(uintptr_t)ports;
	p.nr_ports = 2;
	start = timer_now();
	xen_expect("sched_op(poll) on a pending port", sched(SCHEDOP_poll, &p), 0);
	waited = (timer_now() - start) * 1000000 / timer_freq();
	case_check(waited < 200000, "poll on a pending port took %lu us", waited);

	/* Nothing pending: poll waits until an interrupt is due, here the timer's in 20 ms. */
	xen_clear_pending(ipi.port);
	poll_timer_fired = 0;
	irq_set_handler(board.vtimer_intid, poll_timer);
	gic_enable(board.vtimer_intid);
	start = timer_now();
	vtimer_arm_at(start + timer_us_to_ticks(20000));
	xen_expect("sched_op(poll) with nothing pending", sched(SCHEDOP_poll, &p), 0);
	waited = (timer_now() - start) * 1000000 / timer_freq();
	irq_unmask();
	case_check(WAIT_UNTIL(poll_timer_fired, 1000000), "the timer never fired after poll");
	irq_mask();
	case_check(waited < 2000000, "poll with the timer due in 20 ms returned after %lu us",
		   waited);
	xen_set_mask(ipi.port, false);
	xen_expect("close of the IPI port", xen_close(ipi.port), 0);
}

void case_xen_console_io(void)
{
	static const char line[] = "xen console_io from testos\n";
	uint64_t buf = xen_page(XP_SCRATCH);

	if (!xen_ready())
		return;
	xen_expect("console_io(write)", xen_call(__HYPERVISOR_console_io, CONSOLEIO_write,
						 sizeof(line) - 1, (uint64_t)(uintptr_t)line), 0);
	xen_expect("console_io(write, 0 bytes)",
		   xen_call(__HYPERVISOR_console_io, CONSOLEIO_write, 0, board.ram_end), 0);
	xen_expect("console_io(write, 65537 bytes)",
		   xen_call(__HYPERVISOR_console_io, CONSOLEIO_write, 65537, buf), E(EINVAL));
	xen_expect("console_io(write, 2^63 bytes)",
		   xen_call(__HYPERVISOR_console_io, CONSOLEIO_write, 1UL << 63, buf), E(EINVAL));
	/* Reading arx's console is the control domain's alone, as on Xen. */
	xen_expect("console_io(read)", xen_call(__HYPERVISOR_console_io, CONSOLEIO_read, 16, buf),
		   E(EPERM));
	xen_expect("console_io(cmd 2)", xen_call(__HYPERVISOR_console_io, 2, 1, buf), E(ENOSYS));
}

/* The ring's free-running indexes (xencons_interface), 32-bit each. */
#define RING_OUT (XEN_CONSOLE_RING + 1024)
#define RING_OUT_CONS (XEN_CONSOLE_RING + 3080)
#define RING_OUT_PROD (XEN_CONSOLE_RING + 3084)

void case_xen_pv_console(void)
{
	static const char msg[] = "hello from hvc\n";
	uint64_t port = 0;
	uint32_t cons, prod;
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_CONSOLE_EVTCHN };

	if (!xen_ready())
		return;
	if (!xen_expect("get_param(CONSOLE_EVTCHN)", xen_op(__HYPERVISOR_hvm_op, HVMOP_get_param,
							    &p), 0))
		return;
	port = p.value;
	cons = readl(RING_OUT_CONS);
	prod = readl(RING_OUT_PROD);
	if (!case_check(cons == prod, "the ring holds output already: out_cons %u, out_prod %u",
			cons, prod))
		return;
	for (unsigned int i = 0; i < sizeof(msg) - 1; i++)
		writeb(RING_OUT + ((prod + i) & (XENCONS_OUT_RING_SIZE - 1)), (uint8_t)msg[i]);
	dsb(sy);
	prod += sizeof(msg) - 1;
	writel(RING_OUT_PROD, prod);
	xen_expect("send on the console port", xen_send((uint32_t)port), 0);
	cons = readl(RING_OUT_CONS);
	case_check(cons == prod, "after the send: out_cons %u, expected out_prod %u", cons, prod);

	/* Indexes that cannot be: arx drops what they claim and carries on. */
	prod = cons + 100000;
	writel(RING_OUT_PROD, prod);
	xen_expect("send with out_prod = out_cons + 100000", xen_send((uint32_t)port), 0);
	cons = readl(RING_OUT_CONS);
	case_check(cons == prod, "after the corrupt send: out_cons %u, expected %u (dropped)", cons,
		   prod);
	prod = cons - 1; /* "behind" the consumer: 2^32 - 1 bytes to print */
	writel(RING_OUT_PROD, prod);
	xen_expect("send with out_prod = out_cons - 1", xen_send((uint32_t)port), 0);
	cons = readl(RING_OUT_CONS);
	case_check(cons == prod, "after out_prod = out_cons - 1: out_cons %u, expected %u", cons,
		   prod);
}

/* Not in the suite: for a domain whose config says `xen = 0` (testos.only=xen_disabled). */
void case_xen_disabled(void)
{
	xen_expect("xen_version(version) without xen = 1",
		   xen_call(__HYPERVISOR_xen_version, XENVER_version, 0, 0), E(ENOSYS));
	xen_expect("event_channel_op(status) without xen = 1",
		   xen_call(__HYPERVISOR_event_channel_op, EVTCHNOP_status, xen_page(XP_SCRATCH), 0),
		   E(ENOSYS));
}

/* Not in the suite: ends the domain as crashed (testos.only=xen_shutdown_crash). */
void case_xen_shutdown_crash(void)
{
	struct sched_shutdown s = { .reason = SHUTDOWN_crash };

	if (!xen_ready())
		return;
	printf("# xen: SCHEDOP_shutdown(crash) now\n");
	case_fail("SCHEDOP_shutdown(crash) returned %ld; the domain goes on",
		  sched(SCHEDOP_shutdown, &s));
}
