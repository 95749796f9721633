/* WFI until `us` microseconds have passed (the boot CPU's virtual timer wakes it). */
#ifndef TESTOS_SLEEP_H
#define TESTOS_SLEEP_H

#include <arx/types.h>

void wfi_sleep_us(uint64_t us);

#endif
