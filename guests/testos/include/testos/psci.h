/*
 * PSCI (ARM DEN 0022) through the conduit the device tree names: HVC
 * natively on QEMU without EL2 and under arx, SMC elsewhere.
 */
#ifndef TESTOS_PSCI_H
#define TESTOS_PSCI_H

#include <arx/types.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)

/* AFFINITY_INFO results */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

uint32_t psci_version(void);
int32_t psci_features(uint32_t function_id);
int32_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id);
int32_t psci_cpu_off(void);
int32_t psci_affinity_info(uint64_t mpidr);
NORETURN void psci_system_off(void);

/* The raw conduits (arch/smccc.S): function ID and three arguments, result in x0. */
uint64_t smccc_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t smccc_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
