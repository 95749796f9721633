/* The EL2 physical timer (CNTHP): arx's periodic tick on every CPU. */
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
/* Called on every CPU at every tick (the scheduler's clock). */
void timer_set_tick_hook(void (*hook)(void));

#endif
