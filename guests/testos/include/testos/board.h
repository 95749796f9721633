/*
 * What testos learns from its device tree, read once at boot. The tree
 * comes from QEMU natively or from arx as a domain; testos assumes nothing
 * it does not find there.
 */
#ifndef TESTOS_BOARD_H
#define TESTOS_BOARD_H

#include <arx/fdt.h>
#include <arx/types.h>
#include <testos/cpu.h>

enum gic_version { GIC_NONE = 0, GIC_V2 = 2, GIC_V3 = 3 };
enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };

#define BOARD_MAX_REDIST_REGIONS 4

struct board {
	struct fdt fdt;
	uint64_t ram_base, ram_end;	/* lowest and highest RAM address (end exclusive) */
	uint64_t uart, uart_size;	/* PL011 base (0 when none) and its region's size */
	enum gic_version gic;
	uint64_t gicd, gicd_size;	/* distributor */
	uint64_t gicc, gicc_size;	/* GICv2 CPU interface */
	unsigned int nr_redist;		/* GICv3 redistributor regions */
	uint64_t gicr_base[BOARD_MAX_REDIST_REGIONS], gicr_size[BOARD_MAX_REDIST_REGIONS];
	unsigned int vtimer_intid;	/* the virtual timer's PPI as an INTID */
	unsigned int ptimer_intid;	/* the EL1 physical timer's */
	enum psci_conduit psci;
	unsigned int nr_cpus;		/* CPUs testos drives (at most TESTOS_MAX_CPUS) */
	unsigned int dt_cpus;		/* CPUs the device tree lists */
	uint64_t mpidr[TESTOS_MAX_CPUS];	/* by testos CPU number; [0] is the boot CPU */
	const char *bootargs;		/* /chosen/bootargs, "" when absent */
	uint64_t dtb, dtb_size;		/* where the device tree lies (it stays in use) */
	bool xen;			/* a "xen,xen" hypervisor node: Xen's hypercalls answer */
};

extern struct board board;

/*
 * Reads the device tree at `dtb`. Returns NULL, or what is missing or wrong;
 * board.uart is set as early as possible so that message can be printed.
 */
const char *board_init(const void *dtb);

#endif
