/* Deliberate faults that prove the crash paths work; see arx/selftest.h. */
#include <arx/console.h>
#include <arx/panic.h>
#include <arx/selftest.h>
#include <arx/string.h>

/* Not static and not inlined, so the crash report can name it. */
__attribute__((noinline)) void selftest_bad_access(volatile uint64_t *p);
__attribute__((noinline)) void selftest_bad_access(volatile uint64_t *p)
{
	*p = 0xdead;
}

/* Recurses until the stack runs out; the limit is only there to be finite. */
__attribute__((noinline)) uint64_t selftest_recurse(uint64_t depth);
__attribute__((noinline)) uint64_t selftest_recurse(uint64_t depth)
{
	volatile uint64_t pad[32];
	pad[depth % 32] = depth;
	if (depth > (1UL << 40))
		return pad[0];
	return selftest_recurse(depth + 1) + pad[depth % 32];
}

void selftest_run(const struct platform *p)
{
	char what[16];
	if (!platform_option(p, "arx.selftest", what, sizeof(what)))
		return;
	printk("arx: selftest '%s'\n", what);
	if (strcmp(what, "crash") == 0)
		selftest_bad_access((volatile uint64_t *)0x8); /* nothing is mapped there */
	else if (strcmp(what, "overflow") == 0)
		selftest_recurse(0);
	else if (strcmp(what, "panic") == 0)
		panic("selftest panic %d", 42);
	else
		printk("arx: unknown selftest '%s' ignored\n", what);
}
