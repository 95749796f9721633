/*
 * Per-CPU state. CPU numbers are testos's own: 0 is the CPU that booted,
 * the others follow in device-tree order (see board.h).
 */
#ifndef TESTOS_CPU_H
#define TESTOS_CPU_H

#define TESTOS_MAX_CPUS 8
#define TESTOS_STACK_SIZE (16 * 1024)

#ifndef __ASSEMBLY__

#include <arx/types.h>
#include <testos/sysreg.h>

/* What the exception vector recorded for a fault a test asked for. */
struct fault_record {
	uint32_t armed;	/* the next synchronous exception is expected */
	uint32_t taken;
	uint32_t resume_lr;	/* resume at x30 (the probe's caller), not after the instruction */
	uint64_t esr, far, elr;
};

struct cpu {
	struct fault_record fault;
	uint32_t irq_count[32];	/* SGIs and PPIs taken, by INTID; written by this CPU only */
	uint32_t irq_unhandled;	/* interrupts >= 16 that came without a handler */
	uint32_t in_irq;	/* an interrupt is being handled ... */
	uint32_t active_raw;	/* ... and this is its raw acknowledge value */
	uint32_t exc_depth;	/* nesting of unexpected-exception reports */
	uint32_t gic_target;	/* GICv2: this CPU's interface bit for GICD_SGIR */
	uint64_t gicr;		/* GICv3: this CPU's redistributor (RD_base) */

	/* Secondary CPUs: what to run, and how far they got (smp.c). */
	void (*entry)(void *arg);
	void *arg;
	uint32_t started;	/* CPU_ON succeeded and it has not been seen off yet */
	uint32_t online;	/* reached C and set up its GIC interface */
	uint32_t done;		/* entry returned; CPU_OFF follows */
	uint32_t crashed;	/* took an unexpected exception */
};

extern struct cpu cpus[TESTOS_MAX_CPUS];

/* Masks interrupts and waits forever (start.S). */
NORETURN void cpu_halt(void);

static inline struct cpu *this_cpu(void)
{
	return &cpus[this_cpu_id()];
}

#endif
#endif
