/*
 * Fault injection for arx's own tests, selected on the boot command line:
 *   arx.selftest=crash     data abort in arx (crash report with decoded ESR)
 *   arx.selftest=overflow  unbounded recursion (stack guard page)
 *   arx.selftest=panic     an explicit panic (message and backtrace)
 */
#ifndef ARX_SELFTEST_H
#define ARX_SELFTEST_H

#include "platform.h"

void selftest_run(const struct platform *p);

#endif
