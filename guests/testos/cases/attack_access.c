/*
 * The access probes of the attack cases and their checks: every access must
 * come back as an abort at the probe itself, with the faulting address in
 * FAR, and nothing read or written.
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/exception.h>
#include <testos/probe.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "attack.h"
#include "cases.h"

uint32_t probe_read8(uint64_t addr);
uint32_t probe_read16(uint64_t addr);
uint64_t probe_read64(uint64_t addr);
void probe_write8(uint64_t addr, uint64_t value);
void probe_write16(uint64_t addr, uint64_t value);
void probe_write64(uint64_t addr, uint64_t value);
uint64_t probe_ldp(uint64_t addr);
void probe_stp(uint64_t addr, uint64_t value);
uint64_t probe_ldr_post(uint64_t addr);
uint64_t probe_str_pre(uint64_t addr, uint64_t value);
void probe_exec(uint64_t addr);

extern const uint8_t call_entries[];

#define CALL_ENTRY_SIZE 128	/* as in attack_call.S */
#define CALL_INSN_OFFSET 64

#define FSC_ADDR_SIZE_MAX 0x03	/* 0x00..0x03: address size fault, level 0..3 */
#define FSC_TRANSLATION_MIN 0x04	/* 0x04..0x07: translation fault */
#define FSC_TRANSLATION_MAX 0x07
#define FSC_SYNC_EXTERNAL 0x10

static const char *const access_names[NR_ACCESSES] = {
	[ACC_LDRB] = "LDRB", [ACC_LDRH] = "LDRH", [ACC_LDRW] = "LDR (32-bit)",
	[ACC_LDRX] = "LDR (64-bit)", [ACC_STRB] = "STRB", [ACC_STRH] = "STRH",
	[ACC_STRW] = "STR (32-bit)", [ACC_STRX] = "STR (64-bit)", [ACC_LDP] = "LDP",
	[ACC_STP] = "STP", [ACC_LDR_POST] = "LDR post-index", [ACC_STR_PRE] = "STR pre-index",
	[ACC_EXEC] = "instruction fetch",
};

static struct {
	uint64_t start;
	uint32_t refused, external, translation, addr_size, other_fsc, write_no_wnr;
} tally;

void attack_tally_start(void)
{
	tally = (__typeof__(tally)){ .start = timer_now() };
}

void attack_tally_print(const char *name)
{
	uint64_t ms = (timer_now() - tally.start) * 1000 / timer_freq();

	printf("# %s: %u accesses refused (fault status: %u external abort, %u translation, "
	       "%u address size, %u other) in %lu ms\n", name, tally.refused, tally.external,
	       tally.translation, tally.addr_size, tally.other_fsc, ms);
	if (tally.write_no_wnr)
		printf("# %s: %u aborted writes had ESR_EL1.WnR clear\n", name,
		       tally.write_no_wnr);
}

static bool is_write(enum access kind)
{
	return (kind >= ACC_STRB && kind <= ACC_STRX) || kind == ACC_STP || kind == ACC_STR_PRE;
}

/* What a store writes: recognisable in a dump, and different for each address. */
static uint64_t stamp(uint64_t addr)
{
	return 0xa77ac4ed00000000UL | (addr & 0xffffffffUL);
}

static uint64_t run_probe(enum access kind, uint64_t addr)
{
	switch (kind) {
	case ACC_LDRB: return probe_read8(addr);
	case ACC_LDRH: return probe_read16(addr);
	case ACC_LDRW: return probe_read32(addr);
	case ACC_LDRX: return probe_read64(addr);
	case ACC_STRB: probe_write8(addr, stamp(addr)); return 0;
	case ACC_STRH: probe_write16(addr, stamp(addr)); return 0;
	case ACC_STRW: probe_write32(addr, (uint32_t)stamp(addr)); return 0;
	case ACC_STRX: probe_write64(addr, stamp(addr)); return 0;
	case ACC_LDP: return probe_ldp(addr);
	case ACC_STP: probe_stp(addr, stamp(addr)); return 0;
	case ACC_LDR_POST: return probe_ldr_post(addr);
	case ACC_STR_PRE: return probe_str_pre(addr - 4, stamp(addr));
	case ACC_EXEC: probe_exec(addr); return 0;
	case NR_ACCESSES: break;
	}
	return 0;
}

#define PC(fn) ((uint64_t)(uintptr_t)(fn))

static uint64_t probe_pc(enum access kind, uint64_t addr)
{
	switch (kind) {
	case ACC_LDRB: return PC(probe_read8);
	case ACC_LDRH: return PC(probe_read16);
	case ACC_LDRW: return PC(probe_read32);
	case ACC_LDRX: return PC(probe_read64);
	case ACC_STRB: return PC(probe_write8);
	case ACC_STRH: return PC(probe_write16);
	case ACC_STRW: return PC(probe_write32);
	case ACC_STRX: return PC(probe_write64);
	case ACC_LDP: return PC(probe_ldp);
	case ACC_STP: return PC(probe_stp);
	case ACC_LDR_POST: return PC(probe_ldr_post);
	case ACC_STR_PRE: return PC(probe_str_pre);
	case ACC_EXEC: return addr;	/* the fetch itself faults */
	case NR_ACCESSES: break;
	}
	return 0;
}

static void count_fsc(unsigned int fsc)
{
	if (fsc <= FSC_ADDR_SIZE_MAX)
		tally.addr_size++;
	else if (fsc >= FSC_TRANSLATION_MIN && fsc <= FSC_TRANSLATION_MAX)
		tally.translation++;
	else if (fsc == FSC_SYNC_EXTERNAL)
		tally.external++;
	else
		tally.other_fsc++;
}

static void fail_not_refused(enum access kind, uint64_t addr, uint64_t got)
{
	if (kind == ACC_EXEC)
		case_fail("%s at %#lx came back without an abort", access_names[kind], addr);
	else if (is_write(kind))
		case_fail("%s to %#lx: no abort (the write may have landed)", access_names[kind],
			  addr);
	else if (kind == ACC_LDR_POST)
		case_fail("%s from %#lx: no abort", access_names[kind], addr);
	else
		case_fail("%s from %#lx returned %#lx: no abort", access_names[kind], addr, got);
}

/* The base register of a writeback form must be as it was: the access never happened. */
static bool check_no_writeback(enum access kind, uint64_t addr, uint64_t base)
{
	uint64_t before = kind == ACC_STR_PRE ? addr - 4 : addr;

	if (kind != ACC_LDR_POST && kind != ACC_STR_PRE)
		return true;
	return case_check(base == before, "%s at %#lx aborted, but its base register became %#lx",
			  access_names[kind], addr, base);
}

bool attack_access(enum access kind, uint64_t addr)
{
	return attack_access_far(kind, addr, addr, addr);
}

bool attack_access_far(enum access kind, uint64_t addr, uint64_t far_min, uint64_t far_max)
{
	unsigned int want_ec = kind == ACC_EXEC ? EC_IABT_CUR : EC_DABT_CUR, ec;
	uint64_t got, pc = probe_pc(kind, addr);
	struct fault f;

	if (kind == ACC_EXEC)
		fault_expect_return();
	else
		fault_expect();
	got = run_probe(kind, addr);
	if (!fault_taken(&f)) {
		fail_not_refused(kind, addr, got);
		return false;
	}
	ec = ESR_EC(f.esr);
	if (!case_check(ec == want_ec, "%s at %#lx: EC %#x (%s), expected %#x; ESR %#lx",
			access_names[kind], addr, ec, esr_class_name(ec), want_ec, f.esr) ||
	    !case_check(f.elr == pc, "%s at %#lx: ELR %#lx, expected %#lx (the probe)",
			access_names[kind], addr, f.elr, pc) ||
	    !case_check((f.esr & ESR_DABT_FNV) || (f.far >= far_min && f.far <= far_max),
			"%s at %#lx: FAR %#lx, expected %#lx..%#lx", access_names[kind], addr,
			f.far, far_min, far_max) ||
	    !check_no_writeback(kind, addr, got))
		return false;
	tally.refused++;
	count_fsc(ESR_DABT_DFSC(f.esr));
	if (is_write(kind) && !(f.esr & ESR_DABT_WNR))
		tally.write_no_wnr++;
	return true;
}

bool attack_read(unsigned int n, uint64_t addr)
{
	return attack_access((enum access)(ACC_LDRB + n % 4), addr);
}

bool attack_write(unsigned int n, uint64_t addr)
{
	return attack_access((enum access)(ACC_STRB + n % 4), addr);
}

static bool overlaps(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
	return size && addr < base + size && base < addr + len;
}

bool attack_is_own(uint64_t addr, uint64_t len)
{
	if (overlaps(addr, len, board.ram_base, board.ram_end - board.ram_base) ||
	    overlaps(addr, len, board.gicd, board.gicd_size) ||
	    overlaps(addr, len, board.uart, board.uart_size))
		return true;
	if (board.gic == GIC_V2)
		return overlaps(addr, len, board.gicc, board.gicc_size);
	for (unsigned int i = 0; i < board.nr_redist; i++) {
		if (overlaps(addr, len, board.gicr_base[i], board.gicr_size[i]))
			return true;
	}
	return false;
}

unsigned int attack_pa_bits(void)
{
	static const uint8_t bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned int parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 52;
}

uint64_t attack_call_insn(unsigned int kind)
{
	return PC(call_entries) + kind * CALL_ENTRY_SIZE + CALL_INSN_OFFSET;
}
