/*
 * EL2 stage-1 translation. arx maps itself one page at a time so each part
 * gets the least it needs (text RX, rodata RO, data/bss RW+XN), leaves the
 * page under each CPU stack unmapped as a guard, maps RAM RW+XN with large
 * blocks, and maps only the devices it drives, as Device-nGnRE.
 */
#include <arch/pgtable.h>
#include <arch/sysreg.h>
#include <arx/console.h>
#include <arx/mmu.h>
#include <arx/percpu.h>
#include <arx/psci.h>

#define BOOT_TABLE_PAGES 64
#define TCR_T0SZ_48 16
#define TCR_RES1 (BIT(31) | BIT(23))
#define TCR_WBWA_INNER_SHAREABLE ((1UL << 8) | (1UL << 10) | (3UL << 12))

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern uint8_t pcpu_stacks[NR_CPUS][STACK_REGION];

static uint64_t boot_tables[BOOT_TABLE_PAGES][512] __attribute__((aligned(4096)));
static unsigned int boot_tables_used;
static uint64_t el2_tcr;

static uint64_t *alloc_boot_table(void)
{
	if (boot_tables_used == BOOT_TABLE_PAGES)
		return NULL;
	return boot_tables[boot_tables_used++]; /* bss: already zero */
}

static struct pgtable el2_pt = { .start_level = 0, .alloc_table = alloc_boot_table };

#define ATTR_NORMAL (PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP1)
#define ATTR_TEXT (ATTR_NORMAL | PTE_AP_RO)
#define ATTR_RODATA (ATTR_NORMAL | PTE_AP_RO | PTE_XN)
#define ATTR_DATA (ATTR_NORMAL | PTE_XN)
#define ATTR_DEVICE (PTE_ATTRIDX(MAIR_IDX_DEVICE) | PTE_AF | PTE_AP1 | PTE_XN)

static void map_or_die(paddr_t base, uint64_t size, uint64_t attrs, const char *what)
{
	if (size == 0)
		return;
	if (pgtable_map(&el2_pt, base, base, size, attrs)) {
		printk("arx: cannot map %s at 0x%lx (+0x%lx): overlap or out of tables\n", what,
		       base, size);
		psci_system_off();
	}
}

/* Data and bss, minus one guard page below each CPU stack. */
static void map_rw_with_guards(void)
{
	paddr_t cur = (paddr_t)__rodata_end;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		paddr_t guard = (paddr_t)pcpu_stacks[cpu];
		map_or_die(cur, guard - cur, ATTR_DATA, "arx data");
		cur = guard + PAGE_SIZE;
	}
	map_or_die(cur, (paddr_t)__image_end - cur, ATTR_DATA, "arx data");
}

/* RAM range minus arx's own image, which is mapped page by page. */
static void map_ram(paddr_t base, uint64_t size)
{
	paddr_t img_lo = (paddr_t)__image_start, img_hi = (paddr_t)__image_end;
	paddr_t end = ALIGN_DOWN(base + size, PAGE_SIZE);
	base = ALIGN_UP(base, PAGE_SIZE);
	if (img_hi <= base || img_lo >= end) {
		map_or_die(base, end - base, ATTR_DATA, "RAM");
		return;
	}
	if (img_lo > base)
		map_or_die(base, img_lo - base, ATTR_DATA, "RAM");
	if (img_hi < end)
		map_or_die(img_hi, end - img_hi, ATTR_DATA, "RAM");
}

static void map_device(const struct mem_range *r, const char *what)
{
	map_or_die(ALIGN_DOWN(r->base, PAGE_SIZE), ALIGN_UP(r->size + (r->base & (PAGE_SIZE - 1)), PAGE_SIZE),
		   ATTR_DEVICE, what);
}

static void map_devices(const struct platform *p)
{
	map_device(&p->uart, "UART");
	map_device(&p->gic.dist, "GIC distributor");
	if (p->gic.version == 2) {
		map_device(&p->gic.cpu, "GIC CPU interface");
		map_device(&p->gic.hyp, "GICH");
	}
	for (unsigned int i = 0; i < p->gic.nr_redist; i++)
		map_device(&p->gic.redist[i], "GIC redistributors");
}

/* Tables were written with the MMU and caches off: drop any stale lines. */
static void invalidate_dcache_range(paddr_t start, paddr_t end)
{
	for (paddr_t a = ALIGN_DOWN(start, 64); a < end; a += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void mmu_enable_this_cpu(void)
{
	write_sysreg(mair_el2, MAIR_EL2_VALUE);
	write_sysreg(tcr_el2, el2_tcr);
	write_sysreg(ttbr0_el2, (uint64_t)el2_pt.root);
	isb();
	__asm__ volatile("tlbi alle2" : : : "memory");
	__asm__ volatile("ic iallu" : : : "memory");
	dsb(sy);
	isb();
	write_sysreg(sctlr_el2, SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN);
	isb();
}

void mmu_init(const struct platform *p)
{
	unsigned int pa_bits = pa_range_bits();
	uint64_t ps = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	el2_pt.root = alloc_boot_table();
	map_or_die((paddr_t)__image_start, (paddr_t)__text_end - (paddr_t)__image_start, ATTR_TEXT,
		   "arx text");
	map_or_die((paddr_t)__text_end, (paddr_t)__rodata_end - (paddr_t)__text_end, ATTR_RODATA,
		   "arx rodata");
	map_rw_with_guards();
	for (unsigned int i = 0; i < p->nr_ram; i++)
		map_ram(p->ram[i].base, p->ram[i].size);
	map_devices(p);
	el2_tcr = TCR_RES1 | TCR_T0SZ_48 | TCR_WBWA_INNER_SHAREABLE | (MIN(ps, 5UL) << 16);
	invalidate_dcache_range((paddr_t)__image_start, (paddr_t)__image_end);
	mmu_enable_this_cpu();
	printk("arx: EL2 MMU on: %u-bit PA, %u table pages\n", pa_bits, boot_tables_used);
}
