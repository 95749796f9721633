/*
 * The EL1 virtual timer (CNTV_*) and the virtual counter, which is what a
 * guest has under a hypervisor as well as natively.
 */
#ifndef TESTOS_TIMER_H
#define TESTOS_TIMER_H

#include <arx/types.h>

/* Returns NULL or what is wrong (no counter frequency). */
const char *timer_init(void);

uint64_t timer_freq(void);
uint64_t timer_now(void);
uint64_t timer_us_to_ticks(uint64_t us);

/* A deadline `us` microseconds from now, and whether it has passed. */
uint64_t deadline_in_us(uint64_t us);
bool deadline_passed(uint64_t deadline);
void udelay(uint64_t us);

/* Fires (level, ISTATUS) once CNTVCT >= cval; stays armed until stopped. */
void vtimer_arm_at(uint64_t cval);
void vtimer_stop(void);
bool vtimer_fired(void);

/*
 * Polls `cond` until it holds or `us` microseconds pass; evaluates to
 * whether it held.
 */
#define WAIT_UNTIL(cond, us) ({						\
	uint64_t __deadline = deadline_in_us(us);			\
	bool __held;							\
	while (!(__held = (cond)) && !deadline_passed(__deadline))	\
		cpu_relax();						\
	__held;								\
})

#endif
