/*
 * Benchmark modes (bench.c): `testos.bench=NAME` on the kernel command line
 * makes testos measure something instead of running its test cases:
 * `traps` times guest exits; `xen_version` the null Xen hypercall; `spin:SECONDS[@START[,REPORT]]` counts
 * busy-loop iterations over a window of counter time (`testos.name=X`
 * labels its result line).
 */
#ifndef TESTOS_BENCH_H
#define TESTOS_BENCH_H

#include <arx/types.h>

/*
 * Runs the benchmark the command line asks for and returns true, or returns
 * false at once when it asks for none (then the test cases run).
 */
bool bench_run(const char *bootargs);

#endif
