/* The way back from EL0 (see arch/el0.S). */
#include <testos/el0.h>
#include <testos/exception.h>

#define EC_SVC64 0x15
#define SPSR_EL1H_MASKED 0x3c5UL /* el0_resume puts the caller's DAIF back */

extern const char el0_resume[];

bool el0_return(struct trap_frame *f, uint64_t esr)
{
	if (ESR_EC(esr) != EC_SVC64)
		return false;
	f->elr = (uint64_t)(uintptr_t)el0_resume;
	f->spsr = SPSR_EL1H_MASKED;
	return true;
}
