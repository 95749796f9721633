/*
 * The cases, in the order they run. To add one: write `void case_x(void)`
 * in a cases/ file, declare it in cases.h and list it here with its suite
 * (SUITE_DEFAULT: what runs when the command line selects nothing).
 */
#include "cases.h"

const struct test_case test_cases[] = {
	{ "read_outside_ram", case_read_outside_ram, SUITE_DEFAULT },
	{ "write_outside_ram", case_write_outside_ram, SUITE_DEFAULT },
	{ "undef_sysreg", case_undef_sysreg, SUITE_DEFAULT },
	{ "timer_rate", case_timer_rate, SUITE_DEFAULT },
	{ "wfi_wakes", case_wfi_wakes, SUITE_DEFAULT },
	{ "psci_version", case_psci_version, SUITE_DEFAULT },
	{ "psci_features", case_psci_features, SUITE_DEFAULT },
	{ "psci_cpu_on", case_psci_cpu_on, SUITE_DEFAULT },
	{ "psci_affinity_info", case_psci_affinity_info, SUITE_DEFAULT },
	{ "psci_cpu_on_invalid", case_psci_cpu_on_invalid, SUITE_DEFAULT },
	{ "psci_cpu_on_already_on", case_psci_cpu_on_already_on, SUITE_DEFAULT },
	{ "sgi_ping_pong", case_sgi_ping_pong, SUITE_DEFAULT },
	{ "gicd_beyond_lines", case_gicd_beyond_lines, SUITE_DEFAULT },
	{ "debug_breakpoint", case_debug_breakpoint, SUITE_DEFAULT },
	{ "debug_watchpoint", case_debug_watchpoint, SUITE_DEFAULT },
	{ "debug_single_step", case_debug_single_step, SUITE_DEFAULT },
	{ "debug_step_emulated", case_debug_step_emulated, SUITE_DEFAULT },
	{ "debug_el0_breakpoint", case_debug_el0_breakpoint, SUITE_DEFAULT },
	{ "debug_el0_watchpoint", case_debug_el0_watchpoint, SUITE_DEFAULT },
	{ "debug_el0_single_step", case_debug_el0_single_step, SUITE_DEFAULT },
	{ "pmu_cycle_counter", case_pmu_cycle_counter, SUITE_DEFAULT },
	{ "pmu_event_counter", case_pmu_event_counter, SUITE_DEFAULT },
	{ "pmu_guest_cycles_only", case_pmu_guest_cycles_only, SUITE_DEFAULT },
	{ "pmu_overflow_irq", case_pmu_overflow_irq, SUITE_DEFAULT },

	/* testos as an attacker: `testos.suite=attack` (or `testos.only=attack_*`). */
	{ "attack_ipa_sweep", case_attack_ipa_sweep, SUITE_ATTACK },
	{ "attack_device_window", case_attack_device_window, SUITE_ATTACK },
	{ "attack_ram_edges", case_attack_ram_edges, SUITE_ATTACK },
	{ "attack_ipa_random", case_attack_ipa_random, SUITE_ATTACK },
	{ "attack_undecodable", case_attack_undecodable, SUITE_ATTACK },
	{ "attack_stage1", case_attack_stage1, SUITE_ATTACK },
	{ "attack_cpu_on", case_attack_cpu_on, SUITE_ATTACK },
	{ "attack_gicd_lines", case_attack_gicd_lines, SUITE_ATTACK },
	{ "attack_gicr_frames", case_attack_gicr_frames, SUITE_ATTACK },
	{ "attack_sgi_targets", case_attack_sgi_targets, SUITE_ATTACK },
	{ "attack_hypercalls", case_attack_hypercalls, SUITE_ATTACK },
	{ "attack_smccc", case_attack_smccc, SUITE_ATTACK },
	{ "attack_hvc_imm", case_attack_hvc_imm, SUITE_ATTACK },
	{ "attack_cpu_state", case_attack_cpu_state, SUITE_ATTACK },
	{ "attack_hog", case_attack_hog, SUITE_ATTACK },

	/* Xen's guest ABI under arx, for a domain with `xen = 1`: `testos.suite=xen`. */
	{ "xen_version", case_xen_version, SUITE_XEN },
	{ "xen_unknown_call", case_xen_unknown_call, SUITE_XEN },
	{ "xen_domid", case_xen_domid, SUITE_XEN },
	{ "xen_bad_pointers", case_xen_bad_pointers, SUITE_XEN },
	{ "xen_stage1_pointers", case_xen_stage1_pointers, SUITE_XEN },
	{ "xen_shared_info", case_xen_shared_info, SUITE_XEN },
	{ "xen_grant_frames", case_xen_grant_frames, SUITE_XEN },
	{ "xen_reservation", case_xen_reservation, SUITE_XEN },
	{ "xen_hvm_param", case_xen_hvm_param, SUITE_XEN },
	{ "xen_vcpu_op", case_xen_vcpu_op, SUITE_XEN },
	{ "xen_evtchn_interdomain", case_xen_evtchn_interdomain, SUITE_XEN },
	{ "xen_evtchn_ipi_virq", case_xen_evtchn_ipi_virq, SUITE_XEN },
	{ "xen_evtchn_status", case_xen_evtchn_status, SUITE_XEN },
	{ "xen_evtchn_bad_ports", case_xen_evtchn_bad_ports, SUITE_XEN },
	{ "xen_evtchn_foreign", case_xen_evtchn_foreign, SUITE_XEN },
	{ "xen_evtchn_exhaust", case_xen_evtchn_exhaust, SUITE_XEN },
	{ "xen_gnttab_setup", case_xen_gnttab_setup, SUITE_XEN },
	{ "xen_gnttab_map", case_xen_gnttab_map, SUITE_XEN },
	{ "xen_gnttab_map_hostile", case_xen_gnttab_map_hostile, SUITE_XEN },
	{ "xen_gnttab_readonly", case_xen_gnttab_readonly, SUITE_XEN },
	{ "xen_gnttab_copy", case_xen_gnttab_copy, SUITE_XEN },
	{ "xen_sched_op", case_xen_sched_op, SUITE_XEN },
	{ "xen_console_io", case_xen_console_io, SUITE_XEN },
	{ "xen_pv_console", case_xen_pv_console, SUITE_XEN },
	{ "xen_control_refused", case_xen_control_refused, SUITE_XEN },
	/* Only by name: they need a domain set up for them (tests/system/test_xen_testos.py). */
	{ "xen_disabled", case_xen_disabled, SUITE_ALONE },
	{ "xen_shutdown_crash", case_xen_shutdown_crash, SUITE_ALONE },
	/* Two domains on one CPU (tests/system/test_isolation.py). */
	{ "debug_isolation_hold", case_debug_isolation_hold, SUITE_ALONE },
	{ "debug_isolation_run", case_debug_isolation_run, SUITE_ALONE },
	{ "pmu_isolation_hold", case_pmu_isolation_hold, SUITE_ALONE },
	{ "pmu_isolation_run", case_pmu_isolation_run, SUITE_ALONE },
};

const unsigned int nr_test_cases = ARRAY_SIZE(test_cases);
