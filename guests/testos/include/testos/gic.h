/*
 * The guest's view of the interrupt controller, GICv2 or GICv3 (chosen from
 * the device tree). Only what testos needs: private interrupts (SGIs, PPIs)
 * of the calling CPU, SGIs to other CPUs, acknowledge and end of interrupt.
 */
#ifndef TESTOS_GIC_H
#define TESTOS_GIC_H

#include <arx/types.h>

/* Distributor registers common to GICv2 and GICv3 (GIC spec, 12.8 / 8.9). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400

#define GIC_SPURIOUS_FIRST 1020	/* INTIDs 1020..1023 are special */
#define GIC_PRIO_DEFAULT 0x80

struct gic_ops {
	void (*init)(void);
	const char *(*cpu_init)(void);
	void (*enable)(unsigned int intid, bool on);
	bool (*pending)(unsigned int intid);
	void (*clear_pending)(unsigned int intid);
	unsigned int (*ack)(uint32_t *raw);
	unsigned int (*highest_pending)(void);
	void (*eoi)(uint32_t raw);
	void (*send_sgi)(unsigned int cpu, unsigned int sgi);
};

extern const struct gic_ops gicv2_ops, gicv3_ops;

/* Boot CPU, once: picks the driver and sets up the distributor. */
void gic_init(void);

/* Every CPU, for itself. Returns NULL or what went wrong. */
const char *gic_cpu_init(void);

/* Private interrupts (INTID < 32) act on the calling CPU's copy. */
void gic_enable(unsigned int intid);
void gic_disable(unsigned int intid);
bool gic_pending(unsigned int intid);
void gic_clear_pending(unsigned int intid);

/* Returns the INTID (>= GIC_SPURIOUS_FIRST when none); *raw goes to gic_eoi. */
unsigned int gic_ack(uint32_t *raw);
void gic_eoi(uint32_t raw);
/* The INTID the next acknowledge would return (>= GIC_SPURIOUS_FIRST when none). */
unsigned int gic_highest_pending(void);

/* Sends SGI `sgi` (0..15) to testos CPU `cpu`, which must be online. */
void gic_send_sgi(unsigned int cpu, unsigned int sgi);

/* Interrupt lines the distributor implements, from GICD_TYPER.ITLinesNumber. */
unsigned int gic_nr_lines(void);

#endif
