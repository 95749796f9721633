/*
 * Benchmark modes (bench.c): `testos.bench=NAME` on the kernel command line
 * makes testos measure something instead of running its test cases:
 * `traps` times guest exits; `xen_version` the null Xen hypercall; `debug` the
 * lazy debug switch and debug/PMU state on vCPU switches; `spin:SECONDS[@START[,REPORT]]` counts
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

/* For the benchmark files: one operation, timed by bench.c's loops. */
typedef uint64_t (*bench_op)(void);
/* Warms up, times ITERATIONS calls of op and prints its `bench NAME: ...` line. */
void bench_one(const char *name, bench_op op);
/* Nanoseconds of counter time for one call of op (its result in *last). */
uint64_t bench_time_once(bench_op op, uint64_t *last);
/* Prints a `bench NAME: N iterations, NS ns, ... per call (x0 = X)` line. */
void bench_print(const char *name, unsigned int n, uint64_t ns, uint64_t x);
/* testos.bench=debug (bench_debug.c). */
void bench_debug(void);

#endif
