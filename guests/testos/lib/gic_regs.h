/* Helpers shared by the GICv2 and GICv3 drivers (lib-internal). */
#ifndef TESTOS_GIC_REGS_H
#define TESTOS_GIC_REGS_H

#include <testos/gic.h>
#include <testos/mmio.h>

/* Set-/clear-style registers with one bit per INTID, 32 per word. */
static inline void gic_write_bit(uint64_t reg_base, unsigned int intid)
{
	writel(reg_base + 4 * (intid / 32), 1u << (intid % 32));
}

static inline bool gic_test_bit(uint64_t reg_base, unsigned int intid)
{
	return readl(reg_base + 4 * (intid / 32)) & (1u << (intid % 32));
}

/* The same priority for all 32 private interrupts (4 per IPRIORITYR word). */
static inline void gic_set_private_priorities(uint64_t ipriorityr, uint8_t prio)
{
	uint32_t four = 0x01010101u * prio;

	for (unsigned int i = 0; i < 32; i += 4)
		writel(ipriorityr + i, four);
}

#endif
