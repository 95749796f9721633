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

#endif
