/*
 * EL1 exceptions. A test that wants to provoke a synchronous exception arms
 * an expectation first; the vector then records the syndrome and resumes
 * after the faulting instruction instead of reporting a crash:
 *
 *	struct fault f;
 *	fault_expect();
 *	probe_read32(addr);		// one instruction that should fault
 *	if (!fault_taken(&f)) ...	// f.esr, f.far, f.elr
 *
 * Any other exception is reported in full; see exception.c for what follows.
 */
#ifndef TESTOS_EXCEPTION_H
#define TESTOS_EXCEPTION_H

#include <arx/types.h>

struct fault {
	uint64_t esr, far, elr;
};

/* ESR_ELx fields (ARM ARM D17.2.37). */
#define ESR_EC(esr) ((unsigned int)((esr) >> 26) & 0x3f)
#define ESR_IL (1UL << 25)
#define ESR_DABT_FNV (1UL << 10)	/* FAR is not valid (instruction aborts: the same bit) */
#define ESR_DABT_WNR (1UL << 6)		/* the access was a write */
#define ESR_DABT_DFSC(esr) ((unsigned int)(esr) & 0x3f)

#define EC_UNKNOWN 0x00
#define EC_IABT_CUR 0x21
#define EC_DABT_LOWER 0x24
#define EC_DABT_CUR 0x25

/* Saved by the vector (vectors.S lays it out; keep both in step). */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr;
};

/* Arms the expectation on this CPU for the next synchronous exception. */
void fault_expect(void);

/*
 * The same for a probe that branches away (an instruction fetch from an
 * address that must not be executable): the exception returns to the
 * probe's caller, x30, as if the probe had returned.
 */
void fault_expect_return(void);

/* Disarms it; true (and *out filled when non-NULL) if the exception came. */
bool fault_taken(struct fault *out);

/*
 * Debug exceptions (breakpoint, software step, watchpoint: EC 0x30-0x35) go
 * to the handler a case sets, which says whether it took it; with none set,
 * or when it declines, the exception is unexpected. The boot CPU's only.
 */
#define EC_DEBUG_FIRST 0x30
#define EC_DEBUG_LAST 0x35
typedef bool (*debug_handler_t)(struct trap_frame *f, uint64_t esr, uint64_t far);
void debug_set_handler(debug_handler_t handler);

/* The name of an exception class, for messages. */
const char *esr_class_name(unsigned int ec);

/* Called from vectors.S with the vector's number (0..15). */
void exception_entry(struct trap_frame *frame, uint64_t vector);

/* Where testos was loaded, to show addresses as offsets into testos.elf. */
extern uint64_t image_base;

#endif
