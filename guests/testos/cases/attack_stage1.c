/*
 * Attacks through the guest's own page tables. With its MMU on, a guest
 * chooses the intermediate physical addresses it reaches: stage-1 mappings
 * to IPAs outside its RAM, and page tables that themselves lie outside its
 * RAM or in one of its emulated devices (the table walk is then the access
 * stage 2 refuses). Every such access must end in an abort reported for the
 * virtual address used, never in data from somewhere else.
 */
#include <testos/board.h>
#include <testos/mmu.h>
#include "attack.h"
#include "cases.h"
#include "xen.h"
#include <public/version.h>

/* TTBR1's level-1 table and one level-2 table under it. */
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_hi[512] __attribute__((aligned(4096)));

enum { SLOT_BLOCK_ABOVE, SLOT_BLOCK_HIGH, SLOT_TABLE_OUTSIDE, SLOT_TABLE_DEVICE, SLOT_L2,
       NR_L1_SLOTS };
enum { L2_ABOVE_RAM, L2_BELOW_RAM, L2_DEVICE_WINDOW, L2_TABLE_OUTSIDE, NR_L2_SLOTS };

static uint64_t va_l1(unsigned int slot)
{
	return MMU_TTBR1_BASE + ((uint64_t)slot << MMU_L1_SHIFT);
}

static uint64_t va_l2(unsigned int slot)
{
	return va_l1(SLOT_L2) + ((uint64_t)slot << MMU_L2_SHIFT);
}

/* Outside the RAM, 2 MiB aligned (arx rounds domain RAM to 2 MiB). */
static uint64_t above_ram(void)
{
	return ALIGN_UP(board.ram_end, 2 * MiB);
}

static void build_tables(void)
{
	unsigned int bits = attack_pa_bits();

	for (unsigned int i = 0; i < 512; i++)
		l1_hi[i] = l2_hi[i] = 0;
	l1_hi[SLOT_BLOCK_ABOVE] = MMU_NORMAL(ALIGN_UP(board.ram_end, GiB)) | MMU_BLOCK;
	l1_hi[SLOT_BLOCK_HIGH] = MMU_NORMAL(1UL << (bits - 1)) | MMU_BLOCK;
	l1_hi[SLOT_TABLE_OUTSIDE] = above_ram() | MMU_TABLE;
	l1_hi[SLOT_TABLE_DEVICE] = board.gicd | MMU_TABLE;
	l1_hi[SLOT_L2] = (uint64_t)(uintptr_t)l2_hi | MMU_TABLE;
	l2_hi[L2_ABOVE_RAM] = MMU_NORMAL(above_ram()) | MMU_BLOCK;
	l2_hi[L2_BELOW_RAM] = MMU_NORMAL(board.ram_base - 2 * MiB) | MMU_BLOCK;
	l2_hi[L2_DEVICE_WINDOW] = MMU_NORMAL(0x08200000UL) | MMU_BLOCK;
	l2_hi[L2_TABLE_OUTSIDE] = (board.ram_end + PAGE_SIZE) | MMU_TABLE;
}

/* A load, a store and an instruction fetch at va, all of which must abort. */
static bool attack_va(uint64_t va)
{
	return attack_access(ACC_LDRX, va) && attack_access(ACC_STRW, va + 8) &&
	       attack_access(ACC_LDP, va + 16) && attack_access(ACC_EXEC, va + 32);
}

/* Mappings whose IPAs, or whose tables, lie outside the domain. */
static bool through_tables(void)
{
	for (unsigned int s = 0; s < NR_L1_SLOTS; s++) {
		if (s != SLOT_L2 && !attack_va(va_l1(s)))
			return false;
	}
	for (unsigned int s = 0; s < NR_L2_SLOTS; s++) {
		if (s == L2_DEVICE_WINDOW && attack_is_own(0x08200000UL, 2 * MiB))
			continue;
		if (!attack_va(va_l2(s)))
			return false;
	}
	return true;
}

/* TTBR1 itself pointing outside the RAM, and at an emulated device. */
static bool through_ttbr1(void)
{
	const uint64_t roots[] = { above_ram(), board.ram_base - PAGE_SIZE, board.gicd,
				   board.uart };

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		if (!roots[i])
			continue;
		mmu_set_ttbr1(roots[i]);
		if (!attack_va(va_l1(0)) || !attack_va(va_l1(7)))
			return false;
	}
	return true;
}

/*
 * Unaligned accesses (Normal memory allows them) that start in the last
 * bytes of the RAM and end beyond it: the part outside must abort the whole
 * access. Reached through the identity map.
 */
static bool across_the_end(void)
{
	uint64_t end = board.ram_end;

	return attack_access_far(ACC_LDRX, end - 4, end - 4, end + 3) &&
	       attack_access_far(ACC_LDRW, end - 2, end - 2, end + 1) &&
	       attack_access_far(ACC_LDP, end - 8, end - 8, end + 7) &&
	       attack_access_far(ACC_STRX, end - 4, end - 4, end + 3);
}

void case_attack_stage1(void)
{
	build_tables();
	attack_tally_start();
	mmu_on((uint64_t)(uintptr_t)l1_hi);
	if (through_tables() && across_the_end() && through_ttbr1()) {
		mmu_off();
		attack_tally_print("attack_stage1");
	}
	mmu_off();
}

/*
 * Hypercall pointers are guest virtual addresses, which arx translates with
 * the guest's own stage-1 (AT S1E1R/W): through the tables above, whose
 * walks or outputs lie outside the domain, each must answer -EFAULT (and
 * arx must not fault itself on the walk); through the identity map, the
 * same call works.
 */
void case_xen_stage1_pointers(void)
{
	char extra[XEN_EXTRAVERSION_LEN];
	int64_t r;

	if (!xen_ready())
		return;
	build_tables();
	mmu_on((uint64_t)(uintptr_t)l1_hi);
	for (unsigned int s = 0; s < NR_L1_SLOTS + NR_L2_SLOTS; s++) {
		uint64_t va = s < NR_L1_SLOTS ? va_l1(s) : va_l2(s - NR_L1_SLOTS);
		if (s == SLOT_L2 || (s == NR_L1_SLOTS + L2_DEVICE_WINDOW &&
				     attack_is_own(0x08200000UL, 2 * MiB)))
			continue;
		r = xen_call(__HYPERVISOR_xen_version, XENVER_extraversion, va, 0);
		if (r != -XEN_EFAULT) {
			mmu_off();
			case_fail("xen_version(extraversion, %#lx) = %ld, not -EFAULT", va, r);
			return;
		}
	}
	r = xen_call(__HYPERVISOR_xen_version, XENVER_extraversion, (uint64_t)(uintptr_t)extra, 0);
	mmu_off();
	if (r != 0 || extra[0] != '-')
		case_fail("xen_version(extraversion) through the identity map = %ld", r);
}
