/*
 * Canary mode (canary.c): `testos.canary=SECONDS` on the kernel command
 * line makes testos fill its free RAM with a pattern and watch it for that
 * long instead of running its test cases, so that a test can run it next to
 * an attacking domain and see whether anything reached it.
 */
#ifndef TESTOS_CANARY_H
#define TESTOS_CANARY_H

#include <arx/types.h>

/*
 * Runs the canary when the command line asks for it (printing its result
 * and the closing totals line) and returns true; returns false at once
 * otherwise.
 */
bool canary_run(const char *bootargs);

#endif
