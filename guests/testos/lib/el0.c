/*
 * Running a function at EL0: el0_run saves where it was (jump_save), drops
 * to EL0 (arch/el0.S), and the SVC the function returns into comes back
 * here, on the EL0 synchronous vector, as a jump_resume to that point.
 */
#include <testos/el0.h>
#include <testos/exception.h>
#include <testos/jump.h>
#include <testos/sysreg.h>

#define EC_SVC64 0x15

void el0_enter(void (*fn)(uint64_t), uint64_t arg, uint64_t sp_el0, uint64_t spsr);

static struct jump_buf el0_back;

void el0_run(void (*fn)(uint64_t), uint64_t arg, uint64_t sp_el0, uint64_t spsr)
{
	uint64_t daif = read_sysreg(daif);

	if (jump_save(&el0_back) == 0)
		el0_enter(fn, arg, sp_el0, spsr);
	write_sysreg(daif, daif); /* the exception that brought it back masked everything */
}

bool el0_return(struct trap_frame *f, uint64_t esr)
{
	(void)f;
	if (ESR_EC(esr) != EC_SVC64)
		return false;
	jump_resume(&el0_back);
}
