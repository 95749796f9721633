/* Every test case, by file. Each one is listed in table.c. */
#ifndef TESTOS_CASES_H
#define TESTOS_CASES_H

#include <testos/case.h>

/* fault_cases.c */
void case_read_outside_ram(void);
void case_write_outside_ram(void);
void case_undef_sysreg(void);

/* timer_cases.c */
void case_timer_rate(void);
void case_wfi_wakes(void);
void case_timer_wake_latency(void);
void case_busy_loop(void);

/* timer_level_cases.c */
void case_timer_level_virt(void);
void case_timer_level_phys(void);
void case_timer_phys_irq(void);

/* psci_cases.c */
void case_psci_version(void);
void case_psci_features(void);
void case_psci_cpu_on(void);
void case_psci_affinity_info(void);
void case_psci_cpu_on_invalid(void);
void case_psci_cpu_on_already_on(void);

/* id_reg_cases.c */
void case_id_regs(void);

/* gic_cases.c */
void case_sgi_ping_pong(void);
void case_gicd_beyond_lines(void);
void case_gicd_priority_bytes(void);
void case_gicd_routing(void);
void case_gicd_sgi_pending_bytes(void);

/* debug_cases.c */
void case_debug_breakpoint(void);
void case_debug_watchpoint(void);
void case_debug_single_step(void);
void case_debug_step_emulated(void);
void case_debug_el0_breakpoint(void);
void case_debug_el0_watchpoint(void);
void case_debug_el0_single_step(void);
void case_debug_isolation_hold(void);
void case_debug_isolation_run(void);

/* pmu_cases.c */
void case_pmu_cycle_counter(void);
void case_pmu_event_counter(void);
void case_pmu_guest_cycles_only(void);
void case_pmu_overflow_irq(void);
void case_pmu_isolation_hold(void);
void case_pmu_isolation_run(void);

/* The Xen ABI (SUITE_XEN): xen_cases.c, xen_memory.c, xen_evtchn.c, xen_gnttab.c */
void case_xen_version(void);
void case_xen_unknown_call(void);
void case_xen_control_refused(void);
void case_xen_domid(void);
void case_xen_bad_pointers(void);
void case_xen_stage1_pointers(void);
void case_xen_shared_info(void);
void case_xen_grant_frames(void);
void case_xen_reservation(void);
void case_xen_hvm_param(void);
void case_xen_vcpu_op(void);
void case_xen_evtchn_interdomain(void);
void case_xen_evtchn_ipi_virq(void);
void case_xen_evtchn_status(void);
void case_xen_evtchn_bad_ports(void);
void case_xen_evtchn_foreign(void);
void case_xen_evtchn_exhaust(void);
void case_xen_gnttab_setup(void);
void case_xen_gnttab_map(void);
void case_xen_gnttab_map_hostile(void);
void case_xen_gnttab_readonly(void);
void case_xen_gnttab_copy(void);
void case_xen_sched_op(void);
void case_xen_console_io(void);
void case_xen_pv_console(void);
/* Selected only by name (SUITE_ALONE): a domain without xen = 1, and a deliberate crash. */
void case_xen_disabled(void);
void case_xen_shutdown_crash(void);
/* An untrusted domain under the access control policy, next to peers (SUITE_ALONE). */
void case_attack_policy(void);

/* The attack suite (SUITE_ATTACK), one file each or by subject: attack_*.c */
void case_attack_ipa_sweep(void);
void case_attack_device_window(void);
void case_attack_ram_edges(void);
void case_attack_ipa_random(void);
void case_attack_undecodable(void);
void case_attack_stage1(void);
void case_attack_cpu_on(void);
void case_attack_gicd_lines(void);
void case_attack_gicr_frames(void);
void case_attack_gic_sizes(void);
void case_attack_sgi_targets(void);
void case_attack_hypercalls(void);
void case_attack_smccc(void);
void case_attack_hvc_imm(void);
void case_attack_cpu_state(void);
void case_attack_hog(void);

#endif
