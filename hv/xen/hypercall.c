/*
 * The hypercall entry (HVC #0xEA1): number in x16, arguments in x0-x4,
 * result in x0; every other register is left as it was. Numbers without
 * a handler, and every hypercall of a domain without `xen = 1`, answer
 * -ENOSYS as Xen does for what it does not know.
 */
#include <arch/trap_frame.h>
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/string.h>
#include <arx/xen.h>
#include <public/version.h>
#include <public/xen.h>

/*
 * What a domain of Xen/Arm needs (docs/xen-abi.md): auto-translated and not
 * 1:1. The control domain is told it is dom0 (Linux then runs as Xen's
 * initial domain); not being 1:1 keeps its Linux off swiotlb-xen.
 */
#define FEATURES                                                                        \
	((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) | \
	 (1u << XENFEAT_not_direct_mapped))
#define CONTROL_FEATURES (FEATURES | (1u << XENFEAT_dom0))
/* libxl reads dom0_mem= here; with it set, `xl create` does not try to balloon dom0 down. */
#define COMMAND_LINE "dom0_mem=fixed"
#define DEBUG_HC 0
/*
 * Entries per multicall. Each entry is bounded, but arx runs a batch to the
 * end without preempting it, so an ordinary domain gets fewer than the
 * control domain (libxc's batches): its CPU's other vCPUs wait at most that long.
 */
#define MULTICALL_MAX 1024
#define MULTICALL_MAX_DOMU 32
#define CONSOLE_IO_MAX (64 * 1024) /* bytes per console_io write */

static long copy_string(struct vcpu *v, uint64_t va, const char *s)
{
	return copy_to_guest(v, va, s, strlen(s) + 1) ? 0 : -XEN_EFAULT;
}

/* XENVER_compile_info: compiler[64], compile_by[16], compile_domain[32], compile_date[32]. */
static long compile_info(struct vcpu *v, uint64_t arg)
{
	char info[144] = { 0 };
	memcpy(info, "gcc", 3);
	memcpy(info + 64, "arx", 3);
	memcpy(info + 80, "arx", 3);
	memcpy(info + 112, ARX_VERSION, MIN(sizeof(ARX_VERSION), (size_t)31));
	return copy_to_guest(v, arg, info, sizeof(info)) ? 0 : -XEN_EFAULT;
}

static long xen_version(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	static const uint64_t zero; /* platform_parameters: no hypervisor window in guest VAs */
	struct xen_feature_info fi;
	switch (cmd) {
	case XENVER_version:
		return (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
	case XENVER_extraversion:
		return copy_string(v, arg, XEN_EXTRAVERSION);
	case XENVER_capabilities:
		return copy_string(v, arg, "xen-3.0-aarch64 ");
	case XENVER_compile_info:
		return compile_info(v, arg);
	case XENVER_platform_parameters:
		return copy_to_guest(v, arg, &zero, sizeof(zero)) ? 0 : -XEN_EFAULT;
	case XENVER_guest_handle:
		return copy_to_guest(v, arg, v->dom->handle, sizeof(v->dom->handle)) ? 0
										 : -XEN_EFAULT;
	case XENVER_commandline: /* the control domain's to read, as on Xen */
		return v->dom->control ? copy_string(v, arg, COMMAND_LINE) : -XEN_EPERM;
	case XENVER_changeset:
		return copy_string(v, arg, "arx " ARX_VERSION);
	case XENVER_pagesize:
		return XEN_PAGE_SIZE;
	case XENVER_get_features:
		if (!copy_from_guest(v, &fi, arg, sizeof(fi)))
			return -XEN_EFAULT;
		if (fi.submap_idx != 0)
			return -XEN_EINVAL;
		fi.submap = v->dom->control ? CONTROL_FEATURES : FEATURES;
		return copy_to_guest(v, arg, &fi, sizeof(fi)) ? 0 : -XEN_EFAULT;
	default:
		return -XEN_ENOSYS;
	}
}

/* What was typed for the control domain; other domains may not read arx's console. */
static long console_read(struct vcpu *v, uint64_t count, uint64_t buf)
{
	char chunk[64];
	if (!v->dom->control)
		return -XEN_EPERM;
	size_t n = xen_console_control_read(v->dom, chunk, MIN(count, sizeof(chunk)));
	return copy_to_guest(v, buf, chunk, n) ? (long)n : -XEN_EFAULT;
}

/* Writes go to arx's console like the domain's PL011 output. */
static long console_io(struct vcpu *v, uint64_t cmd, uint64_t count, uint64_t buf)
{
	char chunk[64];
	if (cmd == CONSOLEIO_read)
		return console_read(v, count, buf);
	if (cmd != CONSOLEIO_write)
		return -XEN_ENOSYS;
	if (count > CONSOLE_IO_MAX)
		return -XEN_EINVAL;
	for (uint64_t done = 0; done < count; done += sizeof(chunk)) {
		size_t n = MIN(sizeof(chunk), count - done);
		if (!copy_from_guest(v, chunk, buf + done, n))
			return -XEN_EFAULT;
		for (size_t i = 0; i < n; i++)
			console_guest_putc(v->dom->id, chunk[i]);
	}
	return 0;
}

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t *a);

static long do_memory_op(struct vcpu *v, const uint64_t *a) { return memory_op(v, a[0], a[1]); }
static long do_xen_version(struct vcpu *v, const uint64_t *a) { return xen_version(v, a[0], a[1]); }
static long do_console_io(struct vcpu *v, const uint64_t *a) { return console_io(v, a[0], a[1], a[2]); }
static long do_grant_table_op(struct vcpu *v, const uint64_t *a) { return gnttab_op(v, a[0], a[1], a[2]); }
static long do_vcpu_op(struct vcpu *v, const uint64_t *a) { return vcpu_op(v, a[0], a[1], a[2]); }
static long do_sched_op(struct vcpu *v, const uint64_t *a) { return sched_op(v, a[0], a[1]); }
static long do_event_channel_op(struct vcpu *v, const uint64_t *a) { return evtchn_op(v, a[0], a[1]); }
static long do_hvm_op(struct vcpu *v, const uint64_t *a) { return hvm_op(v, a[0], a[1]); }
static long do_domctl(struct vcpu *v, const uint64_t *a) { return domctl(v, a[0]); }
static long do_sysctl(struct vcpu *v, const uint64_t *a) { return sysctl(v, a[0]); }
static long do_xsm_op(struct vcpu *v, const uint64_t *a) { return xsm_op(v, a[0]); }

static const hypercall_fn hypercalls[] = {
	[__HYPERVISOR_memory_op] = do_memory_op,
	[__HYPERVISOR_xen_version] = do_xen_version,
	[__HYPERVISOR_console_io] = do_console_io,
	[__HYPERVISOR_grant_table_op] = do_grant_table_op,
	[__HYPERVISOR_vcpu_op] = do_vcpu_op,
	[__HYPERVISOR_sched_op] = do_sched_op,
	[__HYPERVISOR_event_channel_op] = do_event_channel_op,
	[__HYPERVISOR_hvm_op] = do_hvm_op,
	[__HYPERVISOR_sysctl] = do_sysctl,
	[__HYPERVISOR_domctl] = do_domctl,
	[__HYPERVISOR_xsm_op] = do_xsm_op,
};

static long call(struct vcpu *v, uint64_t nr, const uint64_t *args)
{
	if (nr < ARRAY_SIZE(hypercalls) && hypercalls[nr])
		return hypercalls[nr](v, args);
	return -XEN_ENOSYS;
}

/*
 * multicall: a batch of hypercalls in one, each entry's result written back
 * to it; a multicall inside one answers -ENOSYS. libxc batches memory ops so.
 */
static long multicall(struct vcpu *v, uint64_t list, uint64_t nr_calls)
{
	struct multicall_entry e;
	if (nr_calls > (v->dom->control ? MULTICALL_MAX : MULTICALL_MAX_DOMU))
		return -XEN_EINVAL;
	for (uint64_t i = 0; i < nr_calls; i++) {
		uint64_t va = list + i * sizeof(e);
		if (!copy_from_guest(v, &e, va, sizeof(e)))
			return -XEN_EFAULT;
		e.result = e.op == __HYPERVISOR_multicall ? -XEN_ENOSYS : call(v, e.op, e.args);
		if (!copy_to_guest(v, va + offsetof(struct multicall_entry, result), &e.result,
				   sizeof(e.result)))
			return -XEN_EFAULT;
	}
	return 0;
}

void hypercall_dispatch(struct vcpu *v, struct trap_frame *f)
{
	uint64_t nr = f->x[16];
	long r = -XEN_ENOSYS;
	if (v->dom->xen.enabled)
		r = nr == __HYPERVISOR_multicall ? multicall(v, f->x[0], f->x[1]) : call(v, nr, f->x);
	if (r < 0 && v->dom->control && DEBUG_HC)
		printk("arx: dbg hc %lu(%lu) -> %ld\n", nr, f->x[0], r);
	f->x[0] = (uint64_t)r;
}
