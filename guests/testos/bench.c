/*
 * Benchmark mode: `testos.bench=traps` on the kernel command line makes
 * testos time guest exits instead of running its test cases, then power
 * off. bench/run reads the lines it prints:
 *
 *   # testos: benchmark traps: 10000 iterations each, counter at 62500000 Hz
 *   bench loop_empty: 10000 iterations, 60000 ns, 6.00 ns per call (x0 = 0)
 *   bench hvc_null: 10000 iterations, ... ns, ... ns per call (x0 = -38)
 *   ...
 *   bench done
 *
 * Each figure is the virtual counter (CNTVCT_EL0) read before and after
 * the whole loop, in nanoseconds. Under QEMU's `-icount shift=0` machine
 * time advances 1 ns per instruction executed, so there it is the number
 * of instructions the loop took, the hypervisor's included: the counter
 * keeps running while the CPU is at EL2. The loop itself (an indirect
 * call and return, the count) is in every figure; loop_empty measures it
 * alone.
 */
#include <arx/string.h>
#include <testos/bench.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/gic.h>
#include <testos/hypercall.h>
#include <testos/mmio.h>
#include <testos/psci.h>
#include <testos/timer.h>

/* Each op must stay a call of its own, so that every loop has the same shape. */
#define NOINLINE __attribute__((noinline))

#define BENCH_OPTION "testos.bench="
#define ITERATIONS 10000u
#define WARM_UP 100u

#define XEN_HYPERCALL_XEN_VERSION 17
#define XENVER_VERSION 0
#define PL011_FR 0x018

typedef uint64_t (*bench_op)(void);

/* Each op is one exit (or, natively, whatever the instruction costs there). */
static NOINLINE uint64_t op_empty(void)
{
	__asm__ volatile("" : : : "memory");
	return 0;
}

/* A full hypercall round trip; arx answers every hypercall with -ENOSYS so far. */
static NOINLINE uint64_t op_hvc_null(void)
{
	return (uint64_t)hypercall(XEN_HYPERCALL_XEN_VERSION, XENVER_VERSION, 0, 0, 0, 0);
}

static NOINLINE uint64_t op_psci_version(void)
{
	return smccc_hvc(PSCI_VERSION, 0, 0, 0);
}

/* Distributor registers are emulated by the hypervisor: a stage-2 fault each. */
static NOINLINE uint64_t op_mmio_gicd_typer(void)
{
	return readl(board.gicd + GICD_TYPER);
}

static NOINLINE uint64_t op_mmio_uart_fr(void)
{
	return readl(board.uart + PL011_FR);
}

/* Nanoseconds of counter time for `n` calls of `op`; its last result in *last. */
static NOINLINE uint64_t time_op(bench_op op, unsigned int n, uint64_t *last)
{
	uint64_t start, end, x = 0;

	start = timer_now();
	for (unsigned int i = 0; i < n; i++)
		x = op();
	end = timer_now();
	*last = x;
	/* Fits: 64 bits hold 1e9 times the ticks of ~5 minutes at 62.5 MHz. */
	return (end - start) * 1000000000u / timer_freq();
}

static void bench_one(const char *name, bench_op op)
{
	uint64_t ns, hundredths, x;

	time_op(op, WARM_UP, &x);
	ns = time_op(op, ITERATIONS, &x);
	hundredths = ns * 100 / ITERATIONS;
	printf("bench %s: %u iterations, %lu ns, %lu.%02lu ns per call (x0 = ", name,
	       ITERATIONS, ns, hundredths / 100, hundredths % 100);
	/* Errors read best as negative numbers, other results in hex. */
	if ((int64_t)x < 0)
		printf("%ld)\n", (int64_t)x);
	else
		printf("%#lx)\n", x);
}

static void bench_traps(void)
{
	printf("# testos: benchmark traps: %u iterations each, counter at %lu Hz\n", ITERATIONS,
	       timer_freq());
	bench_one("loop_empty", op_empty);
	bench_one("hvc_null", op_hvc_null);
	if (board.psci == PSCI_HVC)
		bench_one("psci_version", op_psci_version);
	else
		printf("# testos: psci_version skipped: PSCI is not called with HVC here\n");
	bench_one("mmio_gicd_typer", op_mmio_gicd_typer);
	bench_one("mmio_uart_fr", op_mmio_uart_fr);
}

/* The value of testos.bench= (up to the next blank) in *len, or NULL when absent. */
static const char *bench_name(const char *args, size_t *len)
{
	size_t n = strlen(BENCH_OPTION);
	const char *v;

	for (const char *p = args; *p; p++) {
		if ((p == args || p[-1] == ' ') && strncmp(p, BENCH_OPTION, n) == 0) {
			v = p + n;
			for (*len = 0; v[*len] && v[*len] != ' '; (*len)++)
				;
			return v;
		}
	}
	return NULL;
}

bool bench_run(const char *bootargs)
{
	size_t len;
	const char *name = bench_name(bootargs, &len);

	if (!name)
		return false;
	if (len == strlen("traps") && strncmp(name, "traps", len) == 0)
		bench_traps();
	else
		printf("bench error: no benchmark \"%.*s\" (there is: traps)\n", (int)len, name);
	printf("bench done\n");
	return true;
}
