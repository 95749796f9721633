/*
 * PSCI as a guest sees it: the version, which functions exist, and the CPU
 * life cycle (CPU_ON runs code there, AFFINITY_INFO follows it, CPU_ON's
 * errors for a CPU that does not exist or is already on).
 */
#include <testos/board.h>
#include <testos/psci.h>
#include <testos/smp.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

#define CPU_TIMEOUT_US 1000000
#define PSCI_1_0 0x10000u
/* In the PSCI range, but assigned to no function by any PSCI version so far. */
#define PSCI_UNASSIGNED_FN 0x8400001fu

void case_psci_version(void)
{
	uint32_t v = psci_version();

	case_check(v >= PSCI_1_0 && !(v >> 31), "PSCI_VERSION returned %#x, expected 1.0 or later",
		   v);
}

void case_psci_features(void)
{
	static const uint32_t needed[] = {
		PSCI_VERSION, PSCI_CPU_ON, PSCI_CPU_OFF, PSCI_AFFINITY_INFO, PSCI_SYSTEM_OFF,
		PSCI_FEATURES,
	};
	int32_t r;

	for (size_t i = 0; i < ARRAY_SIZE(needed); i++) {
		r = psci_features(needed[i]);
		case_check(r >= 0, "PSCI_FEATURES(%#x) returned %d, expected support", needed[i], r);
	}
	r = psci_features(PSCI_UNASSIGNED_FN);
	case_check(r == PSCI_NOT_SUPPORTED, "PSCI_FEATURES(%#x) returned %d, expected -1",
		   PSCI_UNASSIGNED_FN, r);
}

struct ran_on {
	uint32_t ran;
	uint64_t mpidr;
};

static void record_mpidr(void *arg)
{
	struct ran_on *r = arg;

	r->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
	store_release(&r->ran, 1);
}

/* Every secondary in turn: CPU_ON, it runs our function on itself, it powers off. */
void case_psci_cpu_on(void)
{
	if (!case_need_cpus(2))
		return;
	for (unsigned int cpu = 1; cpu < board.nr_cpus; cpu++) {
		struct ran_on r = { 0 };
		int32_t ret = smp_start(cpu, record_mpidr, &r);

		if (!case_check(ret == PSCI_SUCCESS, "CPU_ON(%#lx) returned %d", board.mpidr[cpu],
				ret))
			return;
		if (!case_check(WAIT_UNTIL(load_acquire(&r.ran), CPU_TIMEOUT_US),
				"cpu%u did not run its function within 1 s", cpu))
			return;
		case_check(r.mpidr == board.mpidr[cpu], "cpu%u's code ran on MPIDR %#lx, not %#lx",
			   cpu, r.mpidr, board.mpidr[cpu]);
		case_check(smp_wait_off(cpu, CPU_TIMEOUT_US), "cpu%u did not power off", cpu);
	}
}

/* Keeps a secondary busy until the boot CPU lets it go (or a timeout). */
static void hold(void *arg)
{
	uint32_t *release = arg;

	WAIT_UNTIL(load_acquire(release), 2 * CPU_TIMEOUT_US);
}

void case_psci_affinity_info(void)
{
	uint64_t mpidr = board.mpidr[1];
	uint32_t release = 0;
	int32_t state, ret;

	if (!case_need_cpus(2))
		return;
	state = psci_affinity_info(mpidr);
	case_check(state == PSCI_AFF_OFF, "cpu1 before CPU_ON: AFFINITY_INFO %d, expected 1 (OFF)",
		   state);
	ret = smp_start(1, hold, &release);
	if (!case_check(ret == PSCI_SUCCESS, "CPU_ON(%#lx) returned %d", mpidr, ret))
		return;
	if (smp_wait_online(1, CPU_TIMEOUT_US)) {
		state = psci_affinity_info(mpidr);
		case_check(state == PSCI_AFF_ON, "cpu1 running: AFFINITY_INFO %d, expected 0 (ON)",
			   state);
	} else {
		case_fail("cpu1 did not come up within 1 s");
	}
	store_release(&release, 1);
	case_check(smp_wait_off(1, CPU_TIMEOUT_US),
		   "cpu1 called CPU_OFF, but AFFINITY_INFO still says %d after 1 s, expected 1 (OFF)",
		   psci_affinity_info(mpidr));
}

/* An MPIDR no CPU of the board has. */
static uint64_t absent_mpidr(void)
{
	uint64_t candidate = 0xfefe;

	for (unsigned int i = 0; i < board.nr_cpus; i++) {
		if (board.mpidr[i] == candidate) {
			candidate--;
			i = 0;
		}
	}
	return candidate;
}

void case_psci_cpu_on_invalid(void)
{
	uint64_t mpidr = absent_mpidr();
	int32_t ret = smp_cpu_on_raw(mpidr, 1);

	case_check(ret == PSCI_INVALID_PARAMETERS,
		   "CPU_ON(%#lx), no such CPU, returned %d, expected -2 (INVALID_PARAMETERS)", mpidr,
		   ret);
}

/* The boot CPU itself always, and a running secondary when there is one. */
void case_psci_cpu_on_already_on(void)
{
	uint32_t release = 0;
	int32_t ret = smp_cpu_on_raw(board.mpidr[0], 0);

	case_check(ret == PSCI_ALREADY_ON, "CPU_ON of the calling CPU returned %d, expected -4",
		   ret);
	if (board.nr_cpus < 2)
		return;
	ret = smp_start(1, hold, &release);
	if (!case_check(ret == PSCI_SUCCESS, "CPU_ON(%#lx) returned %d", board.mpidr[1], ret))
		return;
	if (smp_wait_online(1, CPU_TIMEOUT_US)) {
		ret = smp_cpu_on_raw(board.mpidr[1], 1);
		case_check(ret == PSCI_ALREADY_ON, "CPU_ON of running cpu1 returned %d, expected -4",
			   ret);
	} else {
		case_fail("cpu1 did not come up within 1 s");
	}
	store_release(&release, 1);
	case_check(smp_wait_off(1, CPU_TIMEOUT_US), "cpu1 did not power off");
}
