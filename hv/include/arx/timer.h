/* The EL2 physical timer (CNTHP): arx's periodic tick and one event per CPU. */
#ifndef ARX_TIMER_H
#define ARX_TIMER_H

#include "platform.h"

#define TICK_HZ 100

void timer_init(const struct platform *p);
void timer_init_cpu(void);
uint64_t timer_freq(void);
/* The system counter (CNTPCT_EL0). */
uint64_t timer_now(void);
uint64_t timer_us_to_ticks(uint64_t us);
/*
 * Called on every CPU at every expiry: each tick (the scheduler's clock,
 * tick = true) and the event this CPU asked for.
 */
void timer_set_expiry_hook(void (*hook)(bool tick));
/* This CPU's next event (counter value; 0: none), besides the tick. */
void timer_set_event(uint64_t when);

#endif
