/* The minimal stage-1 MMU; see include/testos/mmu.h. */
#include <testos/board.h>
#include <testos/mmu.h>
#include <testos/sysreg.h>

#define SCTLR_M (1UL << 0)

#define TCR_T0SZ(n) ((uint64_t)(n) << 0)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_TG1_4K (2UL << 30)		/* TG0 = 0 is 4 KiB already */
#define TCR_IPS(n) ((uint64_t)(n) << 32)
#define VA_BITS 39

/* MAIR_EL1: index 0 Device-nGnRnE, index 1 Normal non-cacheable. */
#define MAIR_VALUE 0x4400UL

static uint64_t identity[512] __attribute__((aligned(4096)));

static void build_identity(void)
{
	uint64_t first = board.ram_base >> MMU_L1_SHIFT;
	uint64_t last = (board.ram_end - 1) >> MMU_L1_SHIFT;

	for (uint64_t i = 0; i < 512; i++) {
		uint64_t pa = i << MMU_L1_SHIFT;

		if (i >= first && i <= last)
			identity[i] = MMU_NORMAL(pa) | MMU_BLOCK;
		else
			identity[i] = pa | MMU_AF | MMU_ATTR_DEVICE | MMU_XN | MMU_BLOCK;
	}
}

void mmu_flush(void)
{
	dsb(sy);
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb(sy);
	isb();
}

void mmu_on(uint64_t ttbr1)
{
	uint64_t ips = MIN(read_sysreg(id_aa64mmfr0_el1) & 0xf, 5UL);

	mmu_off();
	build_identity();
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_T0SZ(64 - VA_BITS) | TCR_T1SZ(64 - VA_BITS) | TCR_TG1_4K |
		     TCR_IPS(ips));
	write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)identity);
	write_sysreg(ttbr1_el1, ttbr1);
	mmu_flush();
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M);
	isb();
}

void mmu_set_ttbr1(uint64_t ttbr1)
{
	write_sysreg(ttbr1_el1, ttbr1);
	mmu_flush();
}

void mmu_off(void)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);

	if (!(sctlr & SCTLR_M))
		return;
	write_sysreg(sctlr_el1, sctlr & ~SCTLR_M);
	isb();
	mmu_flush();
}
