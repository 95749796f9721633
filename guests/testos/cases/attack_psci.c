/*
 * Attacks through PSCI: CPU_ON with entry points outside the domain's RAM
 * (the hypervisor must answer INVALID_ADDRESS, -9, and start nothing), with
 * a context ID that points elsewhere (it is only a value handed to the new
 * CPU: it must arrive unchanged and nothing may follow it), and questions
 * about CPUs that are not the domain's (INVALID_PARAMETERS, -2: no other
 * domain's vCPU may show through).
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/psci.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "attack.h"
#include "cases.h"

#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_INVALID_ADDRESS (-9)
#define CPU_TIMEOUT_US 1000000
#define FOREIGN_CONTEXT 0xffff0000dead0000UL

void attack_ctx_entry(void);
uint64_t attack_ctx_seen;
uint32_t attack_ctx_arrived;
uint32_t attack_ctx_smc;

static int32_t psci_raw(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t r = board.psci == PSCI_SMC ? smccc_smc(fn, a1, a2, a3) :
					      smccc_hvc(fn, a1, a2, a3);

	return (int32_t)(uint32_t)r;
}

static bool is_own_mpidr(uint64_t mpidr)
{
	for (unsigned int i = 0; i < board.nr_cpus; i++) {
		if (board.mpidr[i] == mpidr)
			return true;
	}
	return false;
}

/* An MPIDR none of the domain's CPUs has. */
static uint64_t absent_mpidr(void)
{
	uint64_t candidate = board.nr_cpus;

	while (is_own_mpidr(candidate))
		candidate++;
	return candidate;
}

/* CPU_ON(mpidr, entry) must give one of the two answers, or fail the case. */
static bool cpu_on_refused(uint32_t fn, uint64_t mpidr, uint64_t entry, int32_t ok1, int32_t ok2,
			   const char *whom)
{
	int32_t r = psci_raw(fn, mpidr, entry, 0);

	if (ok1 == ok2)
		return case_check(r == ok1, "CPU_ON(%#x) of %s (MPIDR %#lx) at %#lx returned %d, "
				  "expected %d", fn, whom, mpidr, entry, r, ok1);
	return case_check(r == ok1 || r == ok2,
			  "CPU_ON(%#x) of %s (MPIDR %#lx) at %#lx returned %d, expected %d or %d",
			  fn, whom, mpidr, entry, r, ok1, ok2);
}

static bool bad_entry_refused(uint32_t fn, uint64_t entry)
{
	if (!cpu_on_refused(fn, board.mpidr[0], entry, PSCI_INVALID_ADDRESS, PSCI_ALREADY_ON,
			    "the calling CPU") ||
	    !cpu_on_refused(fn, absent_mpidr(), entry, PSCI_INVALID_PARAMETERS,
			    PSCI_INVALID_ADDRESS, "an absent CPU"))
		return false;
	if (board.nr_cpus < 2)
		return true;
	if (!cpu_on_refused(fn, board.mpidr[1], entry, PSCI_INVALID_ADDRESS,
			    PSCI_INVALID_ADDRESS, "cpu1 (off)"))
		return false;
	return case_check(psci_affinity_info(board.mpidr[1]) == PSCI_AFF_OFF,
			  "cpu1 is not OFF after a refused CPU_ON at %#lx", entry);
}

static bool outside_ram(uint64_t a)
{
	return a < board.ram_base || a >= board.ram_end;
}

static bool bad_entries_refused(void)
{
	uint64_t limit = 1UL << attack_pa_bits();
	const uint64_t entries[] = {
		0, 4, board.ram_base - 4, board.ram_end, board.ram_end + PAGE_SIZE, board.gicd,
		board.uart, 0xfffffffcUL, limit, 1UL << 48, ~3UL,
		board.ram_base | (1UL << 63),		/* in RAM only if truncated */
		board.ram_base + (1UL << 32),
	};

	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		uint64_t e = entries[i];

		if (outside_ram(e) && !bad_entry_refused(PSCI_CPU_ON, e))
			return false;
		/* SMC32 CPU_ON takes a 32-bit address: only those outside the RAM as such. */
		if (e <= 0xffffffffUL && outside_ram(e) && !bad_entry_refused(PSCI_CPU_ON_32, e))
			return false;
	}
	return true;
}

/* AFFINITY_INFO (both widths) of CPUs the domain does not have. */
static bool foreign_cpus_unknown(void)
{
	const uint64_t others[] = { absent_mpidr(), 7, 8, 15, 16, 0xff, 0x100, 0x10000,
				    1UL << 32, 0xff00ffffffUL };

	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		uint64_t m = others[i];
		int32_t r;

		if (is_own_mpidr(m))
			continue;
		r = psci_raw(PSCI_AFFINITY_INFO, m, 0, 0);
		if (!case_check(r == PSCI_INVALID_PARAMETERS, "AFFINITY_INFO(%#x) of MPIDR %#lx, "
				"not the domain's, returned %d", PSCI_AFFINITY_INFO, m, r))
			return false;
		/* The SMC32 form takes 32 bits: Aff3 does not reach it. */
		if (m > 0xffffffffUL || is_own_mpidr(m))
			continue;
		r = psci_raw(PSCI_AFFINITY_INFO_32, m, 0, 0);
		if (!case_check(r == PSCI_INVALID_PARAMETERS, "AFFINITY_INFO(%#x) of MPIDR %#lx, "
				"not the domain's, returned %d", PSCI_AFFINITY_INFO_32, m, r))
			return false;
	}
	return true;
}

/* A context ID that is an address outside the RAM reaches the new CPU as a plain value. */
static void foreign_context(void)
{
	int32_t r;

	attack_ctx_seen = 0;
	attack_ctx_smc = board.psci == PSCI_SMC;
	store_release(&attack_ctx_arrived, 0);
	dsb(sy);
	r = psci_cpu_on(board.mpidr[1], (uint64_t)(uintptr_t)attack_ctx_entry, FOREIGN_CONTEXT);
	if (!case_check(r == PSCI_SUCCESS, "CPU_ON of cpu1 with context %#lx returned %d",
			FOREIGN_CONTEXT, r))
		return;
	if (!case_check(WAIT_UNTIL(load_acquire(&attack_ctx_arrived), CPU_TIMEOUT_US),
			"cpu1 did not reach its entry point within 1 s"))
		return;
	case_check(attack_ctx_seen == FOREIGN_CONTEXT, "cpu1 got context %#lx, not %#lx",
		   attack_ctx_seen, FOREIGN_CONTEXT);
	case_check(WAIT_UNTIL(psci_affinity_info(board.mpidr[1]) == PSCI_AFF_OFF,
			      CPU_TIMEOUT_US), "cpu1 did not power off again");
}

void case_attack_cpu_on(void)
{
	if (!bad_entries_refused() || !foreign_cpus_unknown())
		return;
	if (board.nr_cpus >= 2)
		foreign_context();
	else
		printf("# attack_cpu_on: one CPU: the foreign context ID is not tried\n");
}
