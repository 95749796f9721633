/*
 * Host test for arx's Xen guest ABI headers (include/public/): the size of
 * every structure and the offset and size of every field, against the
 * numbers Xen's arm64 ABI fixes (written here as literals: they are the
 * specification), plus the constants guests depend on. The structures must
 * lay out the same on the x86-64 host as on aarch64, so passing here also
 * means the hypervisor sees the guest's layout.
 */
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/arch-arm.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/vcpu.h>
#include <public/sched.h>
#include <public/hvm_params.h>
#include <public/version.h>
#include <public/console.h>

#include "check.h"

/* The size of struct `s`. */
#define SIZE(s, n) CHECK_EQ(sizeof(struct s), n)

/* Field `f` of struct `s` is at byte `off` and takes `len` bytes. */
#define FIELD(s, f, off, len)                                        \
	do {                                                         \
		CHECK_EQ(offsetof(struct s, f), off);                \
		CHECK_EQ(sizeof(((struct s *)0)->f), len);           \
	} while (0)

static void test_types(void)
{
	CHECK_EQ(sizeof(xen_pfn_t), 8);
	CHECK_EQ(sizeof(xen_ulong_t), 8);
	CHECK_EQ(sizeof(domid_t), 2);
	CHECK_EQ(sizeof(evtchn_port_t), 4);
	CHECK_EQ(sizeof(grant_ref_t), 4);
	CHECK_EQ(sizeof(grant_handle_t), 4);
	CHECK_EQ(sizeof(xen_guest_handle_t), 8);
	CHECK_EQ(_Alignof(xen_guest_handle_t), 8);
	CHECK_EQ(sizeof(XENCONS_RING_IDX), 4);
	/* Grant status fields are signed: GNTST_* errors are negative. */
	CHECK((struct gnttab_map_grant_ref){ .status = GNTST_bad_page }.status < 0);
	CHECK((struct gnttab_copy){ .status = GNTST_bad_copy_arg }.status < 0);
}

static void test_shared(void)
{
	SIZE(vcpu_time_info, 32);
	FIELD(vcpu_time_info, version, 0, 4);
	FIELD(vcpu_time_info, pad0, 4, 4);
	FIELD(vcpu_time_info, tsc_timestamp, 8, 8);
	FIELD(vcpu_time_info, system_time, 16, 8);
	FIELD(vcpu_time_info, tsc_to_system_mul, 24, 4);
	FIELD(vcpu_time_info, tsc_shift, 28, 1);
	FIELD(vcpu_time_info, flags, 29, 1);
	FIELD(vcpu_time_info, pad1, 30, 2);

	SIZE(arch_vcpu_info, 0);
	SIZE(arch_shared_info, 0);

	SIZE(vcpu_info, 48);
	FIELD(vcpu_info, evtchn_upcall_pending, 0, 1);
	FIELD(vcpu_info, pad0, 1, 1);
	FIELD(vcpu_info, evtchn_pending_sel, 8, 8);
	FIELD(vcpu_info, arch, 16, 0);
	FIELD(vcpu_info, time, 16, 32);

	SIZE(shared_info, 1088);
	FIELD(shared_info, vcpu_info, 0, 48);
	FIELD(shared_info, evtchn_pending, 48, 512);
	FIELD(shared_info, evtchn_mask, 560, 512);
	FIELD(shared_info, wc_version, 1072, 4);
	FIELD(shared_info, wc_sec, 1076, 4);
	FIELD(shared_info, wc_nsec, 1080, 4);
	FIELD(shared_info, wc_sec_hi, 1084, 4);
	FIELD(shared_info, arch, 1088, 0);
	CHECK_EQ(sizeof(((struct shared_info *)0)->evtchn_pending) * 8, 4096);
}

static void test_event_channel(void)
{
	SIZE(evtchn_alloc_unbound, 8);
	FIELD(evtchn_alloc_unbound, dom, 0, 2);
	FIELD(evtchn_alloc_unbound, remote_dom, 2, 2);
	FIELD(evtchn_alloc_unbound, port, 4, 4);

	SIZE(evtchn_bind_interdomain, 12);
	FIELD(evtchn_bind_interdomain, remote_dom, 0, 2);
	FIELD(evtchn_bind_interdomain, remote_port, 4, 4);
	FIELD(evtchn_bind_interdomain, local_port, 8, 4);

	SIZE(evtchn_bind_virq, 12);
	FIELD(evtchn_bind_virq, virq, 0, 4);
	FIELD(evtchn_bind_virq, vcpu, 4, 4);
	FIELD(evtchn_bind_virq, port, 8, 4);

	SIZE(evtchn_bind_ipi, 8);
	FIELD(evtchn_bind_ipi, vcpu, 0, 4);
	FIELD(evtchn_bind_ipi, port, 4, 4);

	SIZE(evtchn_close, 4);
	FIELD(evtchn_close, port, 0, 4);
	SIZE(evtchn_send, 4);
	FIELD(evtchn_send, port, 0, 4);
	SIZE(evtchn_unmask, 4);
	FIELD(evtchn_unmask, port, 0, 4);

	SIZE(evtchn_status, 24);
	FIELD(evtchn_status, dom, 0, 2);
	FIELD(evtchn_status, port, 4, 4);
	FIELD(evtchn_status, status, 8, 4);
	FIELD(evtchn_status, vcpu, 12, 4);
	FIELD(evtchn_status, u, 16, 8);
	FIELD(evtchn_status, u.unbound.dom, 16, 2);
	FIELD(evtchn_status, u.interdomain.dom, 16, 2);
	FIELD(evtchn_status, u.interdomain.port, 20, 4);
	FIELD(evtchn_status, u.pirq, 16, 4);
	FIELD(evtchn_status, u.virq, 16, 4);

	SIZE(evtchn_bind_vcpu, 8);
	FIELD(evtchn_bind_vcpu, port, 0, 4);
	FIELD(evtchn_bind_vcpu, vcpu, 4, 4);

	SIZE(evtchn_reset, 2);
	FIELD(evtchn_reset, dom, 0, 2);

	SIZE(evtchn_init_control, 24);
	FIELD(evtchn_init_control, control_gfn, 0, 8);
	FIELD(evtchn_init_control, offset, 8, 4);
	FIELD(evtchn_init_control, vcpu, 12, 4);
	FIELD(evtchn_init_control, link_bits, 16, 1);
	FIELD(evtchn_init_control, _pad, 17, 7);

	SIZE(evtchn_expand_array, 8);
	FIELD(evtchn_expand_array, array_gfn, 0, 8);
}

static void test_grant_table(void)
{
	SIZE(grant_entry_v1, 8);
	FIELD(grant_entry_v1, flags, 0, 2);
	FIELD(grant_entry_v1, domid, 2, 2);
	FIELD(grant_entry_v1, frame, 4, 4);
	CHECK_EQ(4096 / sizeof(struct grant_entry_v1), 512);

	SIZE(gnttab_map_grant_ref, 32);
	FIELD(gnttab_map_grant_ref, host_addr, 0, 8);
	FIELD(gnttab_map_grant_ref, flags, 8, 4);
	FIELD(gnttab_map_grant_ref, ref, 12, 4);
	FIELD(gnttab_map_grant_ref, dom, 16, 2);
	FIELD(gnttab_map_grant_ref, status, 18, 2);
	FIELD(gnttab_map_grant_ref, handle, 20, 4);
	FIELD(gnttab_map_grant_ref, dev_bus_addr, 24, 8);

	SIZE(gnttab_unmap_grant_ref, 24);
	FIELD(gnttab_unmap_grant_ref, host_addr, 0, 8);
	FIELD(gnttab_unmap_grant_ref, dev_bus_addr, 8, 8);
	FIELD(gnttab_unmap_grant_ref, handle, 16, 4);
	FIELD(gnttab_unmap_grant_ref, status, 20, 2);

	SIZE(gnttab_setup_table, 24);
	FIELD(gnttab_setup_table, dom, 0, 2);
	FIELD(gnttab_setup_table, nr_frames, 4, 4);
	FIELD(gnttab_setup_table, status, 8, 2);
	FIELD(gnttab_setup_table, frame_list, 16, 8);

	SIZE(gnttab_query_size, 16);
	FIELD(gnttab_query_size, dom, 0, 2);
	FIELD(gnttab_query_size, nr_frames, 4, 4);
	FIELD(gnttab_query_size, max_nr_frames, 8, 4);
	FIELD(gnttab_query_size, status, 12, 2);

	SIZE(gnttab_copy_ptr, 16);
	FIELD(gnttab_copy_ptr, u, 0, 8);
	FIELD(gnttab_copy_ptr, u.ref, 0, 4);
	FIELD(gnttab_copy_ptr, u.gmfn, 0, 8);
	FIELD(gnttab_copy_ptr, domid, 8, 2);
	FIELD(gnttab_copy_ptr, offset, 10, 2);

	SIZE(gnttab_copy, 40);
	FIELD(gnttab_copy, source, 0, 16);
	FIELD(gnttab_copy, dest, 16, 16);
	FIELD(gnttab_copy, dest.u.gmfn, 16, 8);
	FIELD(gnttab_copy, dest.domid, 24, 2);
	FIELD(gnttab_copy, dest.offset, 26, 2);
	FIELD(gnttab_copy, len, 32, 2);
	FIELD(gnttab_copy, flags, 34, 2);
	FIELD(gnttab_copy, status, 36, 2);

	SIZE(gnttab_set_version, 4);
	FIELD(gnttab_set_version, version, 0, 4);

	SIZE(gnttab_get_version, 8);
	FIELD(gnttab_get_version, dom, 0, 2);
	FIELD(gnttab_get_version, pad, 2, 2);
	FIELD(gnttab_get_version, version, 4, 4);

	SIZE(gnttab_cache_flush, 16);
	FIELD(gnttab_cache_flush, a, 0, 8);
	FIELD(gnttab_cache_flush, a.dev_bus_addr, 0, 8);
	FIELD(gnttab_cache_flush, a.ref, 0, 4);
	FIELD(gnttab_cache_flush, offset, 8, 2);
	FIELD(gnttab_cache_flush, length, 10, 2);
	FIELD(gnttab_cache_flush, op, 12, 4);
}

static void test_other_structs(void)
{
	SIZE(xen_add_to_physmap, 24);
	FIELD(xen_add_to_physmap, domid, 0, 2);
	FIELD(xen_add_to_physmap, size, 2, 2);
	FIELD(xen_add_to_physmap, space, 4, 4);
	FIELD(xen_add_to_physmap, idx, 8, 8);
	FIELD(xen_add_to_physmap, gpfn, 16, 8);

	SIZE(xen_memory_reservation, 32);
	FIELD(xen_memory_reservation, extent_start, 0, 8);
	FIELD(xen_memory_reservation, nr_extents, 8, 8);
	FIELD(xen_memory_reservation, extent_order, 16, 4);
	FIELD(xen_memory_reservation, mem_flags, 20, 4);
	FIELD(xen_memory_reservation, domid, 24, 2);

	SIZE(xen_remove_from_physmap, 16);
	FIELD(xen_remove_from_physmap, domid, 0, 2);
	FIELD(xen_remove_from_physmap, gpfn, 8, 8);

	SIZE(vcpu_register_vcpu_info, 16);
	FIELD(vcpu_register_vcpu_info, mfn, 0, 8);
	FIELD(vcpu_register_vcpu_info, offset, 8, 4);
	FIELD(vcpu_register_vcpu_info, rsvd, 12, 4);

	SIZE(vcpu_register_runstate_memory_area, 8);
	FIELD(vcpu_register_runstate_memory_area, addr, 0, 8);
	FIELD(vcpu_register_runstate_memory_area, addr.h, 0, 8);
	FIELD(vcpu_register_runstate_memory_area, addr.p, 0, 8);

	SIZE(vcpu_runstate_info, 48);
	FIELD(vcpu_runstate_info, state, 0, 4);
	FIELD(vcpu_runstate_info, state_entry_time, 8, 8);
	FIELD(vcpu_runstate_info, time, 16, 32);

	SIZE(xen_feature_info, 8);
	FIELD(xen_feature_info, submap_idx, 0, 4);
	FIELD(xen_feature_info, submap, 4, 4);

	SIZE(sched_shutdown, 4);
	FIELD(sched_shutdown, reason, 0, 4);

	SIZE(sched_poll, 24);
	FIELD(sched_poll, ports, 0, 8);
	FIELD(sched_poll, nr_ports, 8, 4);
	FIELD(sched_poll, timeout, 16, 8);

	SIZE(xen_hvm_param, 16);
	FIELD(xen_hvm_param, domid, 0, 2);
	FIELD(xen_hvm_param, pad, 2, 2);
	FIELD(xen_hvm_param, index, 4, 4);
	FIELD(xen_hvm_param, value, 8, 8);

	SIZE(xencons_interface, 3088);
	FIELD(xencons_interface, in, 0, 1024);
	FIELD(xencons_interface, out, 1024, 2048);
	FIELD(xencons_interface, in_cons, 3072, 4);
	FIELD(xencons_interface, in_prod, 3076, 4);
	FIELD(xencons_interface, out_cons, 3080, 4);
	FIELD(xencons_interface, out_prod, 3084, 4);
}

static void test_constants(void)
{
	CHECK_EQ(XEN_HYPERCALL_TAG, 0xea1);
	CHECK_EQ(XEN_PAGE_SHIFT, 12);
	CHECK_EQ(XEN_PAGE_SIZE, 4096);
	CHECK_EQ(DOMID_SELF, 0x7ff0);
	CHECK_EQ(DOMID_XEN, 0x7ff2);
	CHECK_EQ(GUEST_EVTCHN_PPI, 31);
	CHECK_EQ(XEN_LEGACY_MAX_VCPUS, 1);

	CHECK_EQ(__HYPERVISOR_platform_op, 7);
	CHECK_EQ(__HYPERVISOR_memory_op, 12);
	CHECK_EQ(__HYPERVISOR_multicall, 13);
	CHECK_EQ(__HYPERVISOR_xen_version, 17);
	CHECK_EQ(__HYPERVISOR_console_io, 18);
	CHECK_EQ(__HYPERVISOR_grant_table_op, 20);
	CHECK_EQ(__HYPERVISOR_vm_assist, 21);
	CHECK_EQ(__HYPERVISOR_vcpu_op, 24);
	CHECK_EQ(__HYPERVISOR_sched_op, 29);
	CHECK_EQ(__HYPERVISOR_event_channel_op, 32);
	CHECK_EQ(__HYPERVISOR_physdev_op, 33);
	CHECK_EQ(__HYPERVISOR_hvm_op, 34);
	CHECK_EQ(__HYPERVISOR_dm_op, 41);

	CHECK_EQ(XEN_EPERM, 1);
	CHECK_EQ(XEN_EEXIST, 17);
	CHECK_EQ(XEN_EINVAL, 22);
	CHECK_EQ(XEN_ENOSYS, 38);
	CHECK_EQ(XEN_EOPNOTSUPP, 95);

	CHECK_EQ(EVTCHNOP_send, 4);
	CHECK_EQ(EVTCHNOP_init_control, 11);
	CHECK_EQ(EVTCHN_2L_NR_CHANNELS, 4096);
	CHECK_EQ(GNTTABOP_query_size, 6);
	CHECK_EQ(GNTTABOP_cache_flush, 12);
	CHECK_EQ(GNTST_eagain, -12);
	CHECK_EQ(GNTST_no_space, -13);
	CHECK_EQ(XENMEM_add_to_physmap, 7);
	CHECK_EQ(XENMAPSPACE_grant_table, 1);
	CHECK_EQ(VCPUOP_register_runstate_memory_area, 5);
	CHECK_EQ(VCPUOP_register_vcpu_info, 10);
	CHECK(XEN_RUNSTATE_UPDATE == 0x8000000000000000ULL);
	CHECK_EQ(SCHEDOP_shutdown, 2);
	CHECK_EQ(HVM_PARAM_CONSOLE_PFN, 17);
	CHECK_EQ(HVM_PARAM_CONSOLE_EVTCHN, 18);
	CHECK_EQ(HVM_NR_PARAMS, 39);
	CHECK(HVM_PARAM_CALLBACK_IRQ_TYPE_MASK == 0xff00000000000000ULL);
	CHECK_EQ(XENVER_get_features, 6);
	/* What Xen on Arm reports to a domU (0x56005). */
	uint32_t domu_features = (1U << XENFEAT_writable_page_tables) |
				 (1U << XENFEAT_auto_translated_physmap) |
				 (1U << XENFEAT_memory_op_vnode_supported) |
				 (1U << XENFEAT_ARM_SMCCC_supported) |
				 (1U << XENFEAT_not_direct_mapped) |
				 (1U << XENFEAT_runstate_phys_area);
	CHECK_EQ(domu_features, 0x56005);
	CHECK_EQ(XENCONS_OUT_MASK(2048u + 5), 5);
	CHECK_EQ(XENCONS_IN_MASK(1023u), 1023);
	CHECK_EQ(MASK_XENCONS_IDX(3000u, ((struct xencons_interface *)0)->out), 952);
}

int main(void)
{
	test_types();
	test_shared();
	test_event_channel();
	test_grant_table();
	test_other_structs();
	test_constants();
	return check_summary();
}
