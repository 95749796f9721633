/*
 * What arx needs to know about the machine, read once from the host device
 * tree at boot (hv/core/platform.c). Nothing else reads the host DTB.
 */
#ifndef ARX_PLATFORM_H
#define ARX_PLATFORM_H

#include "percpu.h"
#include "types.h"

#define PLATFORM_MAX_RAM 8
#define PLATFORM_MAX_GICR 4

struct mem_range {
	paddr_t base;
	uint64_t size;
};

enum psci_conduit { PSCI_NONE, PSCI_SMC, PSCI_HVC };

struct gic_desc {
	unsigned int version; /* 2 or 3 */
	struct mem_range dist;
	struct mem_range cpu; /* v2: GICC */
	struct mem_range hyp; /* v2: GICH */
	struct mem_range vcpu; /* v2: GICV */
	struct mem_range redist[PLATFORM_MAX_GICR]; /* v3: GICR regions */
	unsigned int nr_redist;
	unsigned int maint_irq; /* INTID of the maintenance interrupt */
};

struct platform {
	const void *dtb;
	uint32_t dtb_size;
	struct mem_range ram[PLATFORM_MAX_RAM];
	unsigned int nr_ram;
	uint64_t cpu_mpidr[NR_CPUS];
	unsigned int nr_cpus;
	unsigned int cpus_ignored; /* CPUs beyond NR_CPUS */
	enum psci_conduit psci;
	struct gic_desc gic;
	/* Timer INTIDs: EL1 physical, EL1 virtual, EL2 physical. */
	unsigned int timer_phys_irq, timer_virt_irq, timer_hyp_irq;
	uint32_t timer_freq; /* from the DTB if given, else 0 (use CNTFRQ_EL0) */
	struct mem_range uart;
	unsigned int uart_irq; /* INTID of the UART's interrupt (an SPI), 0 if none */
	paddr_t initrd_start, initrd_end; /* both 0 when none */
	const char *bootargs; /* "" when none; points into the DTB */
	const uint8_t *rng_seed; /* /chosen/rng-seed (or kaslr-seed) bytes, NULL if none */
	uint32_t rng_seed_len;
};

/*
 * Fills *p from the DTB at `dtb` (readable for at least max_size bytes).
 * Returns NULL on success, or a message naming what is missing or wrong.
 */
const char *platform_parse(struct platform *p, const void *dtb, size_t max_size);

/* Looks for "name" or "name=value" in bootargs; returns the value ("" for a bare flag) or NULL. */
const char *platform_option(const struct platform *p, const char *name, char *buf, size_t len);

#endif
