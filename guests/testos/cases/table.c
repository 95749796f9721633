/*
 * The cases, in the order they run. To add one: write `void case_x(void)`
 * in a cases/ file, declare it in cases.h and list it here.
 */
#include "cases.h"

const struct test_case test_cases[] = {
	{ "read_outside_ram", case_read_outside_ram },
	{ "write_outside_ram", case_write_outside_ram },
	{ "undef_sysreg", case_undef_sysreg },
	{ "timer_rate", case_timer_rate },
	{ "wfi_wakes", case_wfi_wakes },
	{ "psci_version", case_psci_version },
	{ "psci_features", case_psci_features },
	{ "psci_cpu_on", case_psci_cpu_on },
	{ "psci_affinity_info", case_psci_affinity_info },
	{ "psci_cpu_on_invalid", case_psci_cpu_on_invalid },
	{ "psci_cpu_on_already_on", case_psci_cpu_on_already_on },
	{ "sgi_ping_pong", case_sgi_ping_pong },
	{ "gicd_beyond_lines", case_gicd_beyond_lines },
};

const unsigned int nr_test_cases = ARRAY_SIZE(test_cases);
