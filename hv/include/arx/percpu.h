/*
 * Per-CPU data. Each physical CPU finds its own struct pcpu through
 * TPIDR_EL2 (set once at bring-up), so no lock is needed to reach it.
 * The first fields are read by the exception vectors; their offsets are
 * fixed here and checked at compile time.
 */
#ifndef ARX_PERCPU_H
#define ARX_PERCPU_H

#define NR_CPUS 8
#define STACK_SIZE (16 * 1024)
/* Each CPU's stack sits above an unmapped guard page. */
#define STACK_REGION (STACK_SIZE + 4096)
#define EMERGENCY_STACK_SIZE 4096

#define PCPU_STACK_LOW 0 /* lowest valid address of the normal stack */
#define PCPU_EMERGENCY_SP 8 /* stack used to report a stack overflow */

#ifndef __ASSEMBLY__
#include "sched.h"
#include "types.h"

struct vcpu;

struct pcpu {
	uint64_t stack_low;
	uint64_t emergency_sp;
	unsigned int id; /* arx's dense CPU number, 0 = boot CPU */
	uint64_t mpidr; /* affinity as in the device tree / MPIDR_EL1 */
	volatile bool online;
	volatile uint64_t timer_ticks;
	volatile uint64_t ipis_received;
	volatile uint64_t kicks_received; /* SGI_KICKs taken: it is outside any hypercall then */
	unsigned int gic_cpu_id; /* GICv2 CPU interface number (ITARGETSR bit) */
	paddr_t gicr_base; /* GICv3 redistributor of this CPU */
	struct vcpu *vcpu; /* the vCPU whose state is loaded in this CPU, or NULL */
	bool running; /* that vCPU is running (else the CPU idles) */
	struct sched_cpu sched;
};

extern struct pcpu pcpus[NR_CPUS];
extern unsigned int nr_cpus_online;

static inline struct pcpu *this_cpu(void)
{
	struct pcpu *p;
	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

#endif
#endif
