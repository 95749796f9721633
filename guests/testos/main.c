/*
 * testos: a bare-metal AArch64 EL1 program that boots like a Linux kernel
 * and runs test cases against whatever it runs on (QEMU natively, or arx as
 * a domain). It prints one result line per case and the totals, then
 * powers the machine off with PSCI SYSTEM_OFF.
 */
#include <testos/bench.h>
#include <testos/board.h>
#include <testos/canary.h>
#include <testos/case.h>
#include <testos/console.h>
#include <testos/exception.h>
#include <testos/gic.h>
#include <testos/peer.h>
#include <testos/psci.h>
#include <testos/sysreg.h>
#include <testos/timer.h>

NORETURN void testos_main(const void *dtb, uint64_t load_addr, uint64_t bad_relocs);

static NORETURN void stop(const char *why)
{
	printf("# testos: %s\n", why);
	printf("0 passed, 1 failed, 0 skipped\n");
	psci_system_off();
}

static void print_board(void)
{
	uint32_t v = psci_version();

	printf("# testos: GICv%d, %u CPUs (of %u in the device tree), RAM %#lx-%#lx\n",
	       board.gic, board.nr_cpus, board.dt_cpus, board.ram_base, board.ram_end);
	printf("# testos: virtual timer %lu Hz on INTID %u, PSCI %u.%u via %s\n", timer_freq(),
	       board.vtimer_intid, v >> 16, v & 0xffff, board.psci == PSCI_HVC ? "hvc" : "smc");
	if (board.bootargs[0])
		printf("# testos: bootargs \"%s\"\n", board.bootargs);
}

/* Called by start.S on the boot CPU with its stack and vectors set up. */
void testos_main(const void *dtb, uint64_t load_addr, uint64_t bad_relocs)
{
	const char *err;

	image_base = load_addr;
	err = board_init(dtb);
	console_init(board.uart, board.xen);
	printf("# testos: bare-metal test guest, loaded at %#lx\n", load_addr);
	if (current_el() != 1)
		stop("entered at the wrong exception level: testos runs at EL1");
	if (err)
		stop(err);
	if (bad_relocs)
		stop("the image has relocations other than R_AARCH64_RELATIVE");
	daif_default();
	if ((err = timer_init()))
		stop(err);
	gic_init();
	if ((err = gic_cpu_init()))
		stop(err);
	print_board();
	if (!bench_run(board.bootargs) && !canary_run(board.bootargs) &&
	    !peer_run(board.bootargs))
		runner_run(board.bootargs);
	psci_system_off();
}
