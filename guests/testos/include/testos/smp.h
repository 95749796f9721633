/*
 * Secondary CPUs. A case starts one with a function to run; the CPU sets
 * up its GIC interface, runs the function and powers itself off with PSCI
 * CPU_OFF when it returns.
 */
#ifndef TESTOS_SMP_H
#define TESTOS_SMP_H

#include <arx/types.h>

/* PSCI CPU_ON of testos CPU `cpu` (>= 1) running fn(arg); returns the PSCI result. */
int32_t smp_start(unsigned int cpu, void (*fn)(void *arg), void *arg);

/* CPU_ON with the entry point testos uses, for a raw MPIDR (a case may pass a bad one). */
int32_t smp_cpu_on_raw(uint64_t mpidr, unsigned int cpu);

/* Wait (up to `us`) until the CPU runs its function / has powered off. */
bool smp_wait_online(unsigned int cpu, uint64_t us);
bool smp_wait_off(unsigned int cpu, uint64_t us);

/*
 * After a case: waits a little for every CPU it started to be off again.
 * Returns NULL, or what went wrong with CPU *bad_cpu (the first found).
 */
const char *smp_settle(unsigned int *bad_cpu);

/* Entry points (arch/start.S, smp.c). */
void secondary_entry(void);
NORETURN void secondary_main(unsigned int cpu);

#endif
