/*
 * The vCPU scheduler (hv/core/sched.c). Each vCPU lives on one physical
 * CPU at a time, chosen when its domain is built from the CPUs its config
 * allows (the least loaded one). It moves when its affinity changes to
 * exclude that CPU (xl vcpu-pin), and when the load is uneven: a CPU with
 * nothing to run, or two fewer runnable vCPUs than another, takes a
 * waiting vCPU from the busiest one that the vCPU's affinity allows; with
 * one fewer, it trades vCPUs with it so that weights hold across CPUs. On each
 * CPU, runnable vCPUs share time by weight: each accumulates virtual run
 * time (real run time scaled by 256 / weight) and the one furthest behind
 * runs next. The EL2 tick ends a slice; a vCPU in WFI gives its CPU up
 * until an interrupt for it is pending, and a guest timer's deadline brings
 * an event on its CPU at that time, not at the next tick.
 */
#ifndef ARX_SCHED_H
#define ARX_SCHED_H

#include "spinlock.h"
#include "types.h"

struct vcpu;

#define SCHED_MAX_PER_CPU 32
#define SCHED_SLICE_TICKS 1 /* time slice, in EL2 ticks (TICK_HZ) */
#define BALANCE_TICKS 5 /* how often each CPU looks for a busier one, in ticks */

struct trap_frame;

struct sched_cpu {
	spinlock_t lock;
	struct vcpu *queue[SCHED_MAX_PER_CPU];
	unsigned int nr_queued;
	volatile bool resched; /* pick again at the next chance */
	uint64_t slice_start; /* counter value when the running vCPU was last charged */
	uint64_t min_vruntime; /* floor for vCPUs that wake after a long sleep */
	uint64_t idle_ticks; /* counter ticks spent with nothing to run */
};

/* Places v on one of the allowed CPUs (bitmap); returns the CPU or -1 if none is online. */
int sched_place(struct vcpu *v, uint64_t allowed);
/* v (another CPU's, or this one's) has something to do: unblock it and poke its CPU. */
void sched_wake(struct vcpu *v);
/* Makes a CPU choose again what to run (a domain changed state). */
void sched_kick_cpu(unsigned int cpu);
/* The guest on this CPU executed WFI with nothing pending: it gives the CPU up. */
void sched_block(struct vcpu *v);
/* WFE or an explicit yield: let others run if they are due. */
void sched_yield(struct vcpu *v);
/*
 * At each expiry of this CPU's EL2 timer: charge run time, deliver guest
 * timers that are due; at a tick also end the slice and balance the load.
 */
void sched_timer_expired(bool tick);
/* The loaded vCPU changed its emulated timer: ask for the right timer event. */
void sched_timers_changed(void);
/* Runs whatever is runnable on this CPU, switching the frame f; returns when one is loaded. */
void sched_schedule(struct trap_frame *f);
/* First entry on a CPU (no guest frame yet); never returns. */
NORETURN void sched_start(void);
/* Run time of a vCPU in microseconds, and in nanoseconds. */
uint64_t sched_runtime_us(const struct vcpu *v);
uint64_t sched_runtime_ns(const struct vcpu *v);
/* v may run on `allowed` from now on: it moves if its CPU is not among them; -1 if none can take it. */
int sched_set_affinity(struct vcpu *v, uint64_t allowed);
/* Whether v is in a physical CPU right now (a snapshot, for reports). */
bool sched_vcpu_running(const struct vcpu *v);

#endif
