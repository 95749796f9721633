/*
 * Crash reports for exceptions taken in arx itself: the decoded ESR, the
 * faulting address, the registers, and a backtrace that follows the frame
 * records (x29) while they stay inside this CPU's stack.
 */
#include <arch/esr.h>
#include <arch/trap_frame.h>
#include <arx/console.h>
#include <arx/crash.h>
#include <arx/panic.h>
#include <arx/percpu.h>

#define MAX_FRAMES 32

void print_symbol(uint64_t addr)
{
	uint64_t off;
	const char *name = symbol_lookup(addr, &off);
	if (name)
		printk_unlocked("0x%016lx <%s+0x%lx>", addr, name, off);
	else
		printk_unlocked("0x%016lx", addr);
}

static bool on_stack(const struct pcpu *cpu, uint64_t fp)
{
	uint64_t lo = cpu->stack_low, hi = lo + STACK_SIZE;
	uint64_t elo = cpu->emergency_sp - EMERGENCY_STACK_SIZE, ehi = cpu->emergency_sp;
	return IS_ALIGNED(fp, 8) && ((fp >= lo && fp + 16 <= hi) || (fp >= elo && fp + 16 <= ehi));
}

static void backtrace_from(uint64_t fp)
{
	const struct pcpu *cpu = this_cpu();
	printk_unlocked("Backtrace:\n");
	uint64_t last = 0, repeats = 0;
	for (int i = 0; i < MAX_FRAMES && fp && on_stack(cpu, fp); i++) {
		const uint64_t *rec = (const uint64_t *)fp;
		if (rec[1] == 0)
			break;
		if (rec[1] == last) {
			repeats++; /* deep recursion: one line, not a page of them */
		} else {
			printk_unlocked("  ");
			print_symbol(rec[1] - 4); /* the call, not the return address */
			printk_unlocked("\n");
			last = rec[1];
		}
		if (rec[0] <= fp)
			break; /* frames must move up the stack */
		fp = rec[0];
	}
	if (repeats)
		printk_unlocked("  (last frame repeated %lu more times, or more)\n", repeats);
}

void backtrace_here(void)
{
	backtrace_from((uint64_t)__builtin_frame_address(0));
}

static void print_registers(const struct trap_frame *f)
{
	for (int i = 0; i < 31; i += 2) {
		if (i == 30)
			printk_unlocked("x30: %016lx   sp: %016lx\n", f->x[30], f->sp);
		else
			printk_unlocked("x%-2d: %016lx  x%-2d: %016lx\n", i, f->x[i], i + 1,
					f->x[i + 1]);
	}
}

static void print_exception(const struct trap_frame *f)
{
	printk_unlocked("Exception: %s, ESR_EL2 0x%08lx", esr_class_name(f->esr), f->esr);
	if (esr_is_abort(f->esr))
		printk_unlocked(" (%s at level %u, %s)", esr_fault_name(f->esr),
				esr_fault_level(f->esr), esr_abort_is_write(f->esr) ? "write" : "read");
	printk_unlocked("\nFAR: 0x%016lx\nELR: ", f->far);
	print_symbol(f->elr);
	printk_unlocked("\nLR:  ");
	print_symbol(f->x[30]);
	printk_unlocked("\nSPSR: 0x%08lx\n", f->spsr);
}

NORETURN void crash_report(const struct trap_frame *f, const char *why)
{
	printk_unlocked("\narx PANIC on cpu%u: %s\n", this_cpu()->id, why);
	print_exception(f);
	print_registers(f);
	backtrace_from(f->x[29]);
	panic_finish();
}

NORETURN void report_stack_overflow(const struct trap_frame *f)
{
	crash_report(f, "stack overflow (hit the guard page below this CPU's stack)");
}
