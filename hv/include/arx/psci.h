/* PSCI (ARM DEN0022) function IDs and return codes, and arx's host calls. */
#ifndef ARX_PSCI_H
#define ARX_PSCI_H

#include "types.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED -3
#define PSCI_ALREADY_ON -4
#define PSCI_ON_PENDING -5
#define PSCI_INTERNAL_FAILURE -6

/* Host PSCI through SMC (arx runs at EL2, so the firmware is below-EL3 SMC). */
int64_t psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);
NORETURN void psci_system_off(void);
NORETURN void psci_system_reset(void);
/* At EL1 (arx entered at the wrong level), PSCI goes through HVC instead. */
NORETURN void psci_system_off_hvc(void);

#endif
