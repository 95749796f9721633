/* PSCI calls through the device tree's conduit. */
#include <testos/board.h>
#include <testos/cpu.h>
#include <testos/psci.h>
#include <testos/sysreg.h>

static uint64_t call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	switch (board.psci) {
	case PSCI_HVC:
		return smccc_hvc(fn, a1, a2, a3);
	case PSCI_SMC:
		return smccc_smc(fn, a1, a2, a3);
	default:
		return (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
	}
}

/* PSCI results are 32-bit signed values in w0. */
static int32_t status(uint64_t x0)
{
	return (int32_t)(uint32_t)x0;
}

uint32_t psci_version(void)
{
	return (uint32_t)call(PSCI_VERSION, 0, 0, 0);
}

int32_t psci_features(uint32_t function_id)
{
	return status(call(PSCI_FEATURES, function_id, 0, 0));
}

int32_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id)
{
	return status(call(PSCI_CPU_ON, mpidr, entry, context_id));
}

/* Returns only on failure. */
int32_t psci_cpu_off(void)
{
	return status(call(PSCI_CPU_OFF, 0, 0, 0));
}

/* Level 0: the state of exactly this CPU. */
int32_t psci_affinity_info(uint64_t mpidr)
{
	return status(call(PSCI_AFFINITY_INFO, mpidr, 0, 0));
}

void psci_system_off(void)
{
	call(PSCI_SYSTEM_OFF, 0, 0, 0);
	cpu_halt();	/* no PSCI, or it refused: nothing else to do */
}
