/*
 * Attacks on memory: testos reads, writes and jumps to intermediate physical
 * addresses that are not its own. Every IPA is too many, so the address
 * space is sampled: densely where something else lives on this board
 * (around the devices and around the RAM), sparsely elsewhere, and at
 * pseudo-random addresses up to and beyond the IPA size the CPU reports.
 * Each access must be refused with an abort at the probe (attack_access).
 */
#include <testos/board.h>
#include <testos/console.h>
#include "attack.h"
#include "cases.h"

#define SWEEP_END (4 * GiB)
#define SWEEP_STEP (2 * MiB)
#define SWEEP_EXEC_EVERY 16		/* an instruction fetch at every 16th step */
#define DEVICE_WINDOW_START 0x08000000UL
#define DEVICE_WINDOW_END 0x0a000000UL
#define RANDOM_BELOW 256		/* pseudo-random addresses under the IPA size */
#define RANDOM_ABOVE 64			/* and from it up to 2^64 */
#define RANDOM_SEED 0xa77ac0de5eed0001UL

/* Reads and writes the word at addr (when it is not the domain's own). */
static bool read_write(unsigned int n, uint64_t addr)
{
	if (attack_is_own(addr, 8))
		return true;
	return attack_read(n, addr) && attack_write(n + 1, addr);
}

/*
 * Every 2 MiB from 0 to 4 GiB: a read and a write at the start of each step,
 * a read at its last word, and every 16th step an instruction fetch.
 */
void case_attack_ipa_sweep(void)
{
	unsigned int n = 0;

	attack_tally_start();
	for (uint64_t a = 0; a < SWEEP_END; a += SWEEP_STEP, n++) {
		uint64_t last = a + SWEEP_STEP - 8;

		if (!read_write(n, a))
			return;
		if (!attack_is_own(last, 8) && !attack_read(n + 2, last))
			return;
		if (n % SWEEP_EXEC_EVERY == 0 && !attack_is_own(a, 4) &&
		    !attack_access(ACC_EXEC, a))
			return;
	}
	attack_tally_print("attack_ipa_sweep");
}

/*
 * Every 4 KiB page of the device window of QEMU's virt board (GIC, UART,
 * and on the host also the RTC, fw_cfg, GPIO, SMMU, virtio...) that is not
 * one of the domain's own devices. The offset inside the page moves from
 * page to page, so different register offsets are hit.
 */
void case_attack_device_window(void)
{
	unsigned int n = 0;

	attack_tally_start();
	for (uint64_t page = DEVICE_WINDOW_START; page < DEVICE_WINDOW_END;
	     page += PAGE_SIZE, n++) {
		uint64_t offset = (n * 0x148UL) & (PAGE_SIZE - 8);

		if (attack_is_own(page, PAGE_SIZE))
			continue;
		if (!attack_read(n, page + offset) ||
		    !attack_write(n + 1, page + ((offset + 0x800) & (PAGE_SIZE - 8))))
			return;
	}
	attack_tally_print("attack_device_window");
}

/* Every word of a 4 KiB page, read and written, then the other kinds of access. */
static bool attack_page(uint64_t page)
{
	static const enum access others[] = { ACC_LDP, ACC_STP, ACC_LDR_POST, ACC_STR_PRE };
	unsigned int n = 0;

	for (uint64_t a = page; a < page + PAGE_SIZE; a += 8, n++) {
		if (!read_write(n, a))
			return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		if (!attack_access(others[i], page) ||
		    !attack_access(others[i], page + PAGE_SIZE - 16))
			return false;
	}
	return attack_access(ACC_EXEC, page) && attack_access(ACC_EXEC, page + PAGE_SIZE - 4);
}

/* The pages just below and just above the domain's RAM: off-by-one territory. */
void case_attack_ram_edges(void)
{
	attack_tally_start();
	if (board.ram_base >= PAGE_SIZE && !attack_page(board.ram_base - PAGE_SIZE))
		return;
	if (!attack_page(board.ram_end))
		return;
	attack_tally_print("attack_ram_edges");
}

/* An 8-byte aligned address in [from, from + span), span a power of two (0: 2^64). */
static uint64_t pick(struct prng *p, uint64_t from, uint64_t span)
{
	uint64_t r = prng_next(p);

	if (span)
		r &= span - 1;
	return (from + r) & ~7UL;
}

static bool read_write_exec(unsigned int n, uint64_t addr)
{
	if (attack_is_own(addr, 8))
		return true;
	if (!attack_read(n, addr) || !attack_write(n + 1, addr))
		return false;
	return n % 4 || attack_access(ACC_EXEC, addr);
}

/*
 * Pseudo-random addresses: under the IPA size in every power-of-two range
 * (so small and large addresses are both tried), then above it, where
 * nothing can be mapped at all, and the edges of the IPA size itself.
 */
void case_attack_ipa_random(void)
{
	unsigned int bits = attack_pa_bits(), n = 0;
	uint64_t limit = 1UL << bits;
	const uint64_t edges[] = {
		limit - 8, limit, limit + PAGE_SIZE, (1UL << 48) - 8, 1UL << 48,
		(1UL << 52) - 8, 1UL << 52, 1UL << 63, ~7UL,
	};
	struct prng p = { RANDOM_SEED };

	attack_tally_start();
	printf("# attack_ipa_random: ID_AA64MMFR0_EL1.PARange gives %u-bit addresses\n", bits);
	for (unsigned int i = 0; i < RANDOM_BELOW; i++, n++) {
		unsigned int order = 12 + i % (bits - 12);	/* [2^order, 2^(order+1)) */

		if (!read_write_exec(n, pick(&p, 1UL << order, 1UL << order)))
			return;
	}
	for (unsigned int i = 0; i < RANDOM_ABOVE; i++, n++) {
		uint64_t a = pick(&p, 0, 0) | limit;	/* at or above the limit */

		if (!read_write_exec(n, a))
			return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(edges); i++, n++) {
		if (!read_write_exec(n * 4, edges[i]))
			return;
	}
	attack_tally_print("attack_ipa_random");
}

/*
 * The domain's own emulated devices, with accesses the hypervisor gets no
 * syndrome for (load/store pair, writeback): it cannot emulate them and
 * must refuse them with an abort instead of guessing. (Not the GICv2 CPU
 * interface: that page is the hardware's, mapped, and the pair works there.)
 */
void case_attack_undecodable(void)
{
	static const enum access kinds[] = { ACC_LDP, ACC_STP, ACC_LDR_POST, ACC_STR_PRE };
	uint64_t targets[4];
	unsigned int nr = 0;

	attack_tally_start();
	targets[nr++] = board.gicd;
	if (board.uart)
		targets[nr++] = board.uart;
	if (board.gic == GIC_V3) {
		targets[nr++] = board.gicr_base[0];
		targets[nr++] = board.gicr_base[0] + 0x10000 + 0x100;	/* SGI_base ISENABLER0 */
	}
	for (unsigned int t = 0; t < nr; t++) {
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
			if (!attack_access(kinds[k], targets[t]))
				return;
		}
	}
	attack_tally_print("attack_undecodable");
}
