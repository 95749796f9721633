/*
 * The C side of the exception vectors: exceptions from a guest go to
 * guest_trap; any synchronous exception arx takes from itself is a bug in
 * arx and ends in a crash report.
 */
#include <arch/trap_frame.h>
#include <arx/guest_trap.h>
#include <arx/irq.h>

NORETURN void crash_report(const struct trap_frame *f, const char *why);

void trap_dispatch(struct trap_frame *f, unsigned int vector)
{
	if (vector & (VEC_FROM_LOWER64 | VEC_FROM_LOWER32)) {
		guest_trap(f, vector);
		return;
	}
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
