/*
 * The C side of the exception vectors for exceptions arx takes from itself
 * (those from a guest go straight to guest_trap): interrupts are handled,
 * and any synchronous exception is a bug in arx and ends in a crash report.
 */
#include <arch/trap_frame.h>
#include <arx/irq.h>

NORETURN void crash_report(const struct trap_frame *f, const char *why);

void trap_dispatch(struct trap_frame *f, unsigned int vector)
{
	switch (vector) {
	case VEC_IRQ:
		irq_dispatch();
		return;
	case VEC_SYNC:
		crash_report(f, "synchronous exception in arx");
	case VEC_SERROR:
		crash_report(f, "SError in arx");
	case VEC_FIQ:
		crash_report(f, "FIQ (arx routes no FIQs)");
	default:
		crash_report(f, "exception from an unexpected vector");
	}
}
