/*
 * The end of the line for arx itself. Once one CPU panics, the others are
 * stopped with an IPI so the report is not interleaved with other output.
 */
#include <arch/cpu.h>
#include <arx/console.h>
#include <arx/crash.h>
#include <arx/fmt.h>
#include <arx/irq.h>
#include <arx/panic.h>
#include <arx/percpu.h>
#include <arx/psci.h>
#include <stdarg.h>

static volatile bool panic_started;

bool panicking(void)
{
	return panic_started;
}

void cpu_stop(void)
{
	this_cpu()->online = false;
	cpu_mask_all_exceptions();
	for (;;)
		cpu_wait_for_interrupt();
}

static void stop_other_cpus(void)
{
	unsigned int self = this_cpu()->id;
	for (unsigned int i = 0; i < NR_CPUS; i++)
		if (i != self && pcpus[i].online)
			irq_send_sgi(i, SGI_STOP);
}

void panic_finish(void)
{
	panic_started = true;
	stop_other_cpus();
	printk_unlocked("arx: system halted by panic; resetting\n");
	psci_system_reset();
}

static void vprint_unlocked(const char *fmt, va_list ap)
{
	char buf[256];
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	printk_unlocked("%s", buf);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	cpu_mask_all_exceptions();
	printk_unlocked("\narx PANIC on cpu%u: ", this_cpu()->id);
	va_start(ap, fmt);
	vprint_unlocked(fmt, ap);
	va_end(ap);
	printk_unlocked("\n");
	backtrace_here();
	panic_finish();
}

void fatal_config(const char *fmt, ...)
{
	va_list ap;
	printk_unlocked("arx: error: ");
	va_start(ap, fmt);
	vprint_unlocked(fmt, ap);
	va_end(ap);
	printk_unlocked("\narx: cannot continue; powering off\n");
	psci_system_off();
}
