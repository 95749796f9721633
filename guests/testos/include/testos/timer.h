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
 * Either EL1 timer by its registers: the virtual one (CNTV_*, against the
 * virtual counter) or the physical one (CNTP_*, against the physical counter).
 */
enum el1_timer { TIMER_VIRT, TIMER_PHYS };
#define TIMER_CTL_ENABLE 0x1
#define TIMER_CTL_IMASK 0x2
#define TIMER_CTL_ISTATUS 0x4
uint64_t el1_timer_ctl(enum el1_timer t);
void el1_timer_set_ctl(enum el1_timer t, uint64_t ctl);
uint64_t el1_timer_cval(enum el1_timer t);
void el1_timer_set_cval(enum el1_timer t, uint64_t cval);
int32_t el1_timer_tval(enum el1_timer t);
void el1_timer_set_tval(enum el1_timer t, int32_t tval);
/* The counter the timer compares with. */
uint64_t el1_timer_count(enum el1_timer t);
unsigned int el1_timer_intid(enum el1_timer t);

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
