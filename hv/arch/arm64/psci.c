/* Calls into the host's PSCI firmware (SMC Calling Convention, DEN0028). */
#include <arch/sysreg.h>
#include <arx/psci.h>

static uint64_t smc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return x0;
}

int64_t psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
	return (int64_t)smc_call(PSCI_CPU_ON_64, mpidr, entry, context);
}

static NORETURN void stop_here(void)
{
	for (;;) {
		local_irq_disable();
		wfi();
	}
}

void psci_system_off(void)
{
	smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	stop_here();
}

void psci_system_reset(void)
{
	smc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	stop_here();
}

void psci_system_off_hvc(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	stop_here();
}
