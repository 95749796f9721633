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

/* psci_cases.c */
void case_psci_version(void);
void case_psci_features(void);
void case_psci_cpu_on(void);
void case_psci_affinity_info(void);
void case_psci_cpu_on_invalid(void);
void case_psci_cpu_on_already_on(void);

/* gic_cases.c */
void case_sgi_ping_pong(void);
void case_gicd_beyond_lines(void);

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
void case_attack_sgi_targets(void);
void case_attack_hypercalls(void);
void case_attack_smccc(void);
void case_attack_hvc_imm(void);
void case_attack_cpu_state(void);
void case_attack_hog(void);

#endif
