/*
 * What happens on an exception at EL1: an expected synchronous exception
 * is recorded and skipped, an IRQ is dispatched, anything else is reported
 * with the registers. On the boot CPU an unexpected exception then fails the
 * running case and the runner goes on with the next; on a secondary CPU the
 * CPU marks itself crashed and powers off; outside a case testos powers off.
 */
#include <arx/fmt.h>
#include <testos/case.h>
#include <testos/console.h>
#include <testos/cpu.h>
#include <testos/el0.h>
#include <testos/exception.h>
#include <testos/irq.h>
#include <testos/psci.h>
#include <testos/sysreg.h>

/* Vector numbers: group * 4 + kind, in the order of the vector table. */
#define VEC_EL1H_SYNC 4
#define VEC_EL1H_IRQ 5
#define VEC_EL0_SYNC 8
#define VEC_KIND_SYNC 0
#define VEC_KIND_SERROR 3

uint64_t image_base;

static void arm_expectation(uint32_t resume_lr)
{
	struct fault_record *r = &this_cpu()->fault;

	r->taken = 0;
	r->resume_lr = resume_lr;
	store_release(&r->armed, 1);
}

void fault_expect(void)
{
	arm_expectation(0);
}

void fault_expect_return(void)
{
	arm_expectation(1);
}

bool fault_taken(struct fault *out)
{
	struct fault_record *r = &this_cpu()->fault;
	bool taken = load_acquire(&r->taken);

	store_release(&r->armed, 0);
	r->taken = 0;
	if (taken && out) {
		out->esr = r->esr;
		out->far = r->far;
		out->elr = r->elr;
	}
	return taken;
}

/*
 * A64 instructions are 4 bytes: resume after the one that faulted, or, for
 * a probe that branched away, at its return address.
 */
static bool take_expected_fault(struct trap_frame *f)
{
	struct fault_record *r = &this_cpu()->fault;

	if (!load_acquire(&r->armed))
		return false;
	r->esr = read_sysreg(esr_el1);
	r->far = read_sysreg(far_el1);
	r->elr = f->elr;
	r->armed = 0;
	store_release(&r->taken, 1);
	f->elr = r->resume_lr ? f->x[30] : f->elr + 4;
	return true;
}

static debug_handler_t debug_handler;

void debug_set_handler(debug_handler_t handler)
{
	store_release(&debug_handler, handler);
}

static bool take_debug_exception(struct trap_frame *f, uint64_t vector)
{
	uint64_t esr = read_sysreg(esr_el1);
	debug_handler_t h = load_acquire(&debug_handler);

	if (vector != VEC_EL1H_SYNC && vector != VEC_EL0_SYNC)
		return false;
	if (ESR_EC(esr) < EC_DEBUG_FIRST || ESR_EC(esr) > EC_DEBUG_LAST || !h)
		return false;
	return h(f, esr, read_sysreg(far_el1));
}

const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason / undefined instruction";
	case 0x01: return "WFI or WFE";
	case 0x07: return "SIMD/FP access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "MSR/MRS/system instruction";
	case 0x20: return "instruction abort from EL0";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from EL0";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x30: case 0x31: return "breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK";
	default: return "other";
	}
}

static void vector_name(uint64_t vector, char *name, size_t size)
{
	static const char *const groups[] = {
		"from EL1 on SP_EL0", "from EL1", "from EL0 (AArch64)", "from EL0 (AArch32)",
	};
	static const char *const kinds[] = { "synchronous exception", "IRQ", "FIQ", "SError" };

	fmt_snprintf(name, size, "%s %s", kinds[vector & 3], groups[(vector >> 2) & 3]);
}

static void print_registers(const struct trap_frame *f)
{
	for (int i = 0; i < 31; i += 4) {
		printf("#  ");
		for (int j = i; j < i + 4 && j < 31; j++)
			printf(" x%-2d %016lx", j, f->x[j]);
		printf("\n");
	}
	printf("#   sp  %016lx\n", f->sp);
}

/* Prints the report and leaves a one-line summary in `reason`. */
static void report(const struct trap_frame *f, uint64_t vector, char *reason, size_t size)
{
	uint64_t esr = read_sysreg(esr_el1), far = read_sysreg(far_el1);
	bool has_syndrome = (vector & 3) == VEC_KIND_SYNC || (vector & 3) == VEC_KIND_SERROR;
	char what[64];

	vector_name(vector, what, sizeof(what));
	printf("# UNEXPECTED %s on cpu%u\n", what, this_cpu_id());
	if (has_syndrome)
		printf("#   ESR_EL1 %#lx: EC %#x (%s), ISS %#lx\n", esr, ESR_EC(esr),
		       esr_class_name(ESR_EC(esr)), esr & 0x1ffffff);
	printf("#   FAR_EL1 %#lx  ELR_EL1 %#lx (testos.elf+%#lx)  SPSR_EL1 %#lx\n", far, f->elr,
	       f->elr - image_base, f->spsr);
	print_registers(f);
	if (has_syndrome)
		fmt_snprintf(reason, size, "unexpected %s: EC %#x (%s) at testos.elf+%#lx, FAR %#lx",
			     what, ESR_EC(esr), esr_class_name(ESR_EC(esr)),
			     f->elr - image_base, far);
	else
		fmt_snprintf(reason, size, "unexpected %s at testos.elf+%#lx", what,
			     f->elr - image_base);
}

static NORETURN void unexpected(const struct trap_frame *f, uint64_t vector)
{
	struct cpu *c = this_cpu();
	char reason[192];

	if (++c->exc_depth > 1) {
		printf("# cpu%u: exception while reporting an exception: halted\n", this_cpu_id());
		if (this_cpu_id() == 0)
			psci_system_off();
		cpu_halt();
	}
	report(f, vector, reason, sizeof(reason));
	c->exc_depth = 0;
	if (this_cpu_id() == 0) {
		runner_abort(reason);	/* returns only when no case is running */
		printf("# testos: stopped by an unexpected exception\n");
		psci_system_off();
	}
	store_release(&c->crashed, 1);
	psci_cpu_off();
	cpu_halt();
}

void exception_entry(struct trap_frame *frame, uint64_t vector)
{
	if (vector == VEC_EL1H_SYNC && take_expected_fault(frame))
		return;
	if (take_debug_exception(frame, vector))
		return;
	if (vector == VEC_EL0_SYNC && el0_return(frame, read_sysreg(esr_el1)))
		return;
	if (vector == VEC_EL1H_IRQ) {
		irq_dispatch();
		return;
	}
	unexpected(frame, vector);
}
