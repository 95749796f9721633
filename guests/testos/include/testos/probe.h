/*
 * Single-instruction probes (arch/probe.S). Each faulting instruction is the
 * first of its function, so a test can check that ELR_EL1 points exactly at
 * it, and skipping 4 bytes lands on the RET.
 */
#ifndef TESTOS_PROBE_H
#define TESTOS_PROBE_H

#include <arx/types.h>

uint32_t probe_read32(uint64_t addr);
void probe_write32(uint64_t addr, uint32_t value);

/* MRS of an IMPLEMENTATION DEFINED encoding nothing implements (see probe.S). */
uint64_t probe_impdef_sysreg(void);

/* MSR of a value to the read-only ID_AA64PFR0_EL1 (see probe.S). */
void probe_write_id_aa64pfr0(uint64_t value);

#endif
