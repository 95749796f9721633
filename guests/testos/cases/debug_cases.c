/*
 * Self-hosted debug at EL1 and at EL0: a hardware breakpoint (at EL1 the
 * first and the last the ID register advertises), a watchpoint on stores and
 * a single step, each taken once by testos's own vector, at the right address.
 */
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/el0.h>
#include <testos/exception.h>
#include <testos/sleep.h>
#include <testos/sysreg.h>
#include <testos/timer.h>
#include "cases.h"

void debug_bp_target(void);
void debug_step_one(uint64_t spsr);
extern const char debug_step_after[];
void debug_step_load(uint64_t spsr, uint64_t addr);
extern const char debug_step_load_after[];
void el0_store_self(uint64_t addr);
void el0_step_target(uint64_t x);
extern const char el0_step_after[];

#define MDSCR_SS (1UL << 0)
#define MDSCR_KDE (1UL << 13)
#define MDSCR_MDE (1UL << 15)
#define SPSR_SS (1UL << 21)
#define SPSR_EL1H 0x5UL
#define DAIF_D (1UL << 9)

/* DBGBCR: enabled, EL1 only (PMC 0b01), all four bytes (BAS), address match. */
#define BCR_EL1_ADDRESS (1UL | (1UL << 1) | (0xfUL << 5))
/* DBGWCR: enabled, EL1 only (PAC 0b01), stores (LSC 0b10), eight bytes (BAS). */
#define WCR_EL1_STORE8 (1UL | (1UL << 1) | (2UL << 3) | (0xffUL << 5))

#define EC_BREAKPOINT 0x31
#define EC_STEP 0x33
#define EC_WATCHPOINT 0x35

/* What the handler saw; it disables what fired so the return does not fire again. */
static struct {
	unsigned int hits;
	uint64_t esr, elr, far;
} seen;

static volatile uint64_t watched __attribute__((aligned(8)));

#define EACH_POINT(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) \
	X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define SET_BP(n) case n: \
	write_sysreg(dbgbvr##n##_el1, addr); write_sysreg(dbgbcr##n##_el1, ctrl); break;

/* Breakpoint n (its registers are named, not indexed). */
static void set_breakpoint(unsigned int n, uint64_t addr, uint64_t ctrl)
{
	switch (n) { EACH_POINT(SET_BP) }
	isb();
}

static unsigned int nr_breakpoints(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static bool record(struct trap_frame *f, uint64_t esr, uint64_t far)
{
	seen.hits++;
	seen.esr = esr;
	seen.elr = f->elr;
	seen.far = far;
	for (unsigned int n = 0; n < nr_breakpoints(); n++)
		set_breakpoint(n, 0, 0);
	write_sysreg(dbgwcr0_el1, 0);
	write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) & ~MDSCR_SS);
	f->spsr &= ~SPSR_SS;
	isb();
	return true;
}

/* Unlocks the OS lock, enables debug exceptions at EL1 and unmasks them. */
static void debug_on(void)
{
	seen.hits = 0;
	debug_set_handler(record);
	write_sysreg(oslar_el1, 0);
	write_sysreg(mdscr_el1, MDSCR_KDE | MDSCR_MDE);
	isb();
	__asm__ volatile("msr daifclr, #8" : : : "memory");
}

static void debug_off(void)
{
	__asm__ volatile("msr daifset, #8" : : : "memory");
	write_sysreg(mdscr_el1, 0);
	isb();
	debug_set_handler(NULL);
}

static void check_one(unsigned int ec, uint64_t elr, const char *what)
{
	if (!case_check(seen.hits == 1, "%s: %u debug exceptions, expected 1", what, seen.hits))
		return;
	if (!case_check(ESR_EC(seen.esr) == ec, "%s: EC %#x, expected %#x", what,
			ESR_EC(seen.esr), ec))
		return;
	case_check(seen.elr == elr, "%s: ELR testos.elf+%#lx, expected +%#lx", what,
		   seen.elr - image_base, elr - image_base);
}

static void breakpoint_once(unsigned int n)
{
	uint64_t target = (uint64_t)(uintptr_t)debug_bp_target;

	debug_on();
	set_breakpoint(n, target, BCR_EL1_ADDRESS);
	debug_bp_target();
	debug_bp_target(); /* the handler disabled it: no second hit */
	debug_off();
	check_one(EC_BREAKPOINT, target, n ? "last breakpoint" : "breakpoint 0");
}

void case_debug_breakpoint(void)
{
	breakpoint_once(0);
	breakpoint_once(nr_breakpoints() - 1);
}

void case_debug_watchpoint(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&watched;
	uint64_t before;

	watched = 0;
	debug_on();
	write_sysreg(dbgwvr0_el1, addr);
	write_sysreg(dbgwcr0_el1, WCR_EL1_STORE8);
	isb();
	before = watched; /* a load: not watched */
	case_check(seen.hits == 0, "a load fired the store watchpoint");
	watched = before + 1;
	watched = before + 2; /* the handler disabled it: no second hit */
	debug_off();
	if (!case_check(seen.hits == 1, "%u watchpoint exceptions, expected 1", seen.hits))
		return;
	case_check(ESR_EC(seen.esr) == EC_WATCHPOINT, "EC %#x, expected %#x", ESR_EC(seen.esr),
		   EC_WATCHPOINT);
	case_check(seen.far >= addr && seen.far < addr + 8, "FAR %#lx, the variable is at %#lx",
		   seen.far, addr);
	case_check(watched == 2, "the stores did not complete: %lu", (unsigned long)watched);
}

/*
 * MDSCR_EL1.SS with PSTATE.SS clear is "active-pending": a step exception
 * at once. So SS goes on with debug exceptions masked, and the ERET in
 * debug_step_one / debug_step_load (to the SPSR returned here) unmasks them
 * and sets PSTATE.SS in one go.
 */
static uint64_t step_armed(void)
{
	debug_on();
	__asm__ volatile("msr daifset, #8" : : : "memory");
	write_sysreg(mdscr_el1, MDSCR_KDE | MDSCR_MDE | MDSCR_SS);
	isb();
	return (read_sysreg(daif) & ~DAIF_D) | SPSR_EL1H | SPSR_SS;
}

void case_debug_single_step(void)
{
	debug_step_one(step_armed());
	debug_off();
	check_one(EC_STEP, (uint64_t)(uintptr_t)debug_step_after, "single step");
}

/* Over a device register read, which arx emulates: one step is still one instruction. */
void case_debug_step_emulated(void)
{
	debug_step_load(step_armed(), board.gicd + GICD_TYPER);
	debug_off();
	check_one(EC_STEP, (uint64_t)(uintptr_t)debug_step_load_after, "step over GICD_TYPER");
}

/*
 * Two domains on one physical CPU (tests/system/test_isolation.py):
 * the holder arms a breakpoint and a watchpoint on testos's own code and
 * data and sleeps; the runner, the same image at the same addresses, runs
 * that code and writes that data with debug exceptions enabled meanwhile.
 * The runner must take none, and the holder's must still fire after it.
 */
#define HOLD_US 1500000
#define RUN_US 2500000

void case_debug_isolation_hold(void)
{
	uint64_t target = (uint64_t)(uintptr_t)debug_bp_target;
	uint64_t addr = (uint64_t)(uintptr_t)&watched;

	debug_on();
	set_breakpoint(0, target, BCR_EL1_ADDRESS);
	write_sysreg(dbgwvr0_el1, addr);
	write_sysreg(dbgwcr0_el1, WCR_EL1_STORE8);
	isb();
	wfi_sleep_us(HOLD_US); /* the runner has the CPU meanwhile */
	case_check(read_sysreg(dbgwvr0_el1) == addr && read_sysreg(dbgwcr0_el1) == WCR_EL1_STORE8,
		   "the watchpoint registers changed while the domain slept");
	debug_bp_target();
	debug_off();
	check_one(EC_BREAKPOINT, target, "own breakpoint after sleeping");
}

void case_debug_isolation_run(void)
{
	uint64_t end = deadline_in_us(RUN_US);
	unsigned int rounds = 0;

	debug_on();
	while (!deadline_passed(end)) {
		debug_bp_target();
		watched = rounds++;
		if (rounds % 100000 == 0)
			wfi_sleep_us(1000); /* more switches: more chances to inherit */
	}
	debug_off();
	printf("# debug: %u rounds through the other domain's breakpoint and watchpoint\n",
	       rounds);
	case_check(seen.hits == 0, "%u debug exceptions from another domain's breakpoints",
		   seen.hits);
}

/* The same at EL0 (arch/el0.S runs the code there): bring the exceptions from a lower EL. */
#define BCR_EL0_ADDRESS (1UL | (2UL << 1) | (0xfUL << 5)) /* PMC 0b10: EL0 only */
#define WCR_EL0_STORE8 (1UL | (2UL << 1) | (2UL << 3) | (0xffUL << 5)) /* PAC 0b10 */
#define EC_BREAKPOINT_EL0 0x30
#define EC_STEP_EL0 0x32
#define EC_WATCHPOINT_EL0 0x34
#define EL0_STACK_WORDS 512

static uint64_t el0_stack[EL0_STACK_WORDS] __attribute__((aligned(16)));

static void at_el0(void (*fn)(uint64_t), uint64_t arg, uint64_t spsr)
{
	el0_run(fn, arg, (uint64_t)(uintptr_t)&el0_stack[EL0_STACK_WORDS], spsr);
}

void case_debug_el0_breakpoint(void)
{
	uint64_t target = (uint64_t)(uintptr_t)debug_bp_target;

	debug_on();
	set_breakpoint(0, target, BCR_EL0_ADDRESS);
	debug_bp_target(); /* at EL1: not matched */
	case_check(seen.hits == 0, "an EL0 breakpoint fired at EL1");
	at_el0((void (*)(uint64_t))debug_bp_target, 0, SPSR_EL0T_MASKED);
	debug_off();
	check_one(EC_BREAKPOINT_EL0, target, "EL0 breakpoint");
}

void case_debug_el0_watchpoint(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&watched;

	watched = 0;
	debug_on();
	write_sysreg(dbgwvr0_el1, addr);
	write_sysreg(dbgwcr0_el1, WCR_EL0_STORE8);
	isb();
	watched = 1; /* at EL1: not matched */
	case_check(seen.hits == 0, "an EL0 watchpoint fired at EL1");
	at_el0(el0_store_self, addr, SPSR_EL0T_MASKED);
	debug_off();
	if (!case_check(seen.hits == 1, "%u watchpoint exceptions, expected 1", seen.hits))
		return;
	case_check(ESR_EC(seen.esr) == EC_WATCHPOINT_EL0, "EC %#x, expected %#x",
		   ESR_EC(seen.esr), EC_WATCHPOINT_EL0);
	case_check(seen.far >= addr && seen.far < addr + 8, "FAR %#lx, the variable is at %#lx",
		   seen.far, addr);
	case_check(watched == addr, "the store at EL0 did not complete");
}

/* KDE stays clear: stepping is then for EL0 only, and SS may be set at EL1. */
void case_debug_el0_single_step(void)
{
	debug_on();
	write_sysreg(mdscr_el1, MDSCR_MDE | MDSCR_SS);
	isb();
	at_el0(el0_step_target, 0, SPSR_EL0T_MASKED | SPSR_SS);
	debug_off();
	check_one(EC_STEP_EL0, (uint64_t)(uintptr_t)el0_step_after, "EL0 single step");
}
