/* List registers and virtual CPU interface control, for GICv2 and GICv3 hosts. */
#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <arx/irq.h>
#include <arx/vgic.h>
#include <arx/vgic_hw.h>

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_APR 0x0f0
#define GICH_LR0 0x100
#define HCR_EN BIT(0)
#define HCR_UIE BIT(1)
#define ICH_HCR_TALL1 BIT(12) /* GICv3 only: trap the guest's group 1 registers */

static unsigned int gic_version, nr_lrs, nr_aprs;
static uint8_t prio_mask;
static paddr_t gich;

/*
 * The priority bits a list register carries (VTR.PRIbits, GICv2's LR field
 * has 5): a guest's distributor implements these and no more, so the
 * priorities it reads back are the ones its interrupts arrive with.
 */
static uint8_t lr_prio_mask(unsigned int version)
{
	uint64_t vtr = version == 2 ? mmio_read32(gich + GICH_VTR) : read_sysreg(ich_vtr_el2);
	unsigned int bits = (unsigned int)((vtr >> 29) & 7) + 1;
	if (version == 2 && bits > 5)
		bits = 5;
	return (uint8_t)(0xff00u >> bits);
}

void vgic_hw_init(unsigned int version, paddr_t gich_base)
{
	gic_version = version;
	gich = gich_base;
	if (version == 2)
		nr_lrs = (mmio_read32(gich + GICH_VTR) & 0x3f) + 1;
	else
		nr_lrs = (read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	if (nr_lrs > 16)
		nr_lrs = 16;
	/* GICv3: one AP0R/AP1R register per 32 preemption levels (PREbits 5..7). */
	unsigned int prebits = version == 3 ? ((read_sysreg(ich_vtr_el2) >> 26) & 7) + 1 : 5;
	nr_aprs = prebits >= 5 ? 1u << (prebits - 5) : 1;
	prio_mask = lr_prio_mask(version);
}

uint8_t vgic_hw_prio_mask(void)
{
	return prio_mask;
}

unsigned int vgic_hw_nr_lrs(void)
{
	return nr_lrs;
}

#define LR_CASE(n) case n: return read_sysreg(ich_lr##n##_el2)
static uint64_t ich_lr_read(unsigned int n)
{
	switch (n) {
	LR_CASE(0); LR_CASE(1); LR_CASE(2); LR_CASE(3); LR_CASE(4); LR_CASE(5); LR_CASE(6);
	LR_CASE(7); LR_CASE(8); LR_CASE(9); LR_CASE(10); LR_CASE(11); LR_CASE(12);
	LR_CASE(13); LR_CASE(14); LR_CASE(15);
	}
	return 0;
}
#undef LR_CASE

#define LR_CASE(n) case n: write_sysreg(ich_lr##n##_el2, v); break
static void ich_lr_write(unsigned int n, uint64_t v)
{
	switch (n) {
	LR_CASE(0); LR_CASE(1); LR_CASE(2); LR_CASE(3); LR_CASE(4); LR_CASE(5); LR_CASE(6);
	LR_CASE(7); LR_CASE(8); LR_CASE(9); LR_CASE(10); LR_CASE(11); LR_CASE(12);
	LR_CASE(13); LR_CASE(14); LR_CASE(15);
	}
}
#undef LR_CASE

/* GICv2 LR: vINTID[9:0], CPUID[12:10], EOI[19], priority[27:23], state[29:28], group1[30]. */
static uint32_t encode_v2(const struct lr_desc *lr)
{
	return (lr->intid & 0x3ff) | ((uint32_t)(lr->source & 7) << 10) |
	       ((uint32_t)lr->eoi_maint << 19) | ((uint32_t)(lr->priority >> 3) << 23) |
	       ((uint32_t)lr->state << 28) | ((uint32_t)lr->group1 << 30);
}

/* GICv3 LR: vINTID[31:0], EOI[41], priority[55:48], group[60], state[63:62]. */
static uint64_t encode_v3(const struct lr_desc *lr)
{
	return lr->intid | ((uint64_t)lr->eoi_maint << 41) | ((uint64_t)lr->priority << 48) |
	       ((uint64_t)lr->group1 << 60) | ((uint64_t)lr->state << 62);
}

void vgic_hw_read_lr(unsigned int n, struct lr_desc *lr)
{
	if (gic_version == 2) {
		uint32_t v = mmio_read32(gich + GICH_LR0 + 4 * n);
		lr->intid = v & 0x3ff;
		lr->state = (v >> 28) & 3;
	} else {
		uint64_t v = ich_lr_read(n);
		lr->intid = (uint32_t)v;
		lr->state = (v >> 62) & 3;
	}
}

void vgic_hw_write_lr(unsigned int n, const struct lr_desc *lr)
{
	if (gic_version == 2)
		mmio_write32(gich + GICH_LR0 + 4 * n, lr->state ? encode_v2(lr) : 0);
	else
		ich_lr_write(n, lr->state ? encode_v3(lr) : 0);
}

#define APR_CASE(n) case n: st->apr0[n] = (uint32_t)read_sysreg(ich_ap0r##n##_el2); \
		st->apr1[n] = (uint32_t)read_sysreg(ich_ap1r##n##_el2); break
static void save_aprs_v3(struct vgic_hw_state *st)
{
	for (unsigned int n = 0; n < nr_aprs; n++)
		switch (n) { APR_CASE(0); APR_CASE(1); APR_CASE(2); APR_CASE(3); }
}
#undef APR_CASE

#define APR_CASE(n) case n: write_sysreg(ich_ap0r##n##_el2, st->apr0[n]); \
		write_sysreg(ich_ap1r##n##_el2, st->apr1[n]); break
static void restore_aprs_v3(const struct vgic_hw_state *st)
{
	for (unsigned int n = 0; n < nr_aprs; n++)
		switch (n) { APR_CASE(0); APR_CASE(1); APR_CASE(2); APR_CASE(3); }
}
#undef APR_CASE

void vgic_hw_save(struct vgic_hw_state *st)
{
	for (unsigned int n = 0; n < nr_lrs; n++) {
		st->lr[n] = gic_version == 2 ? mmio_read32(gich + GICH_LR0 + 4 * n) : ich_lr_read(n);
		vgic_hw_write_lr(n, &(struct lr_desc){ 0 });
	}
	if (gic_version == 2) {
		st->vmcr = mmio_read32(gich + GICH_VMCR);
		st->apr1[0] = mmio_read32(gich + GICH_APR);
		mmio_write32(gich + GICH_APR, 0);
	} else {
		st->vmcr = read_sysreg(ich_vmcr_el2);
		save_aprs_v3(st);
		restore_aprs_v3(&(struct vgic_hw_state){ 0 });
	}
}

void vgic_hw_restore(const struct vgic_hw_state *st)
{
	for (unsigned int n = 0; n < nr_lrs; n++) {
		if (gic_version == 2)
			mmio_write32(gich + GICH_LR0 + 4 * n, (uint32_t)st->lr[n]);
		else
			ich_lr_write(n, st->lr[n]);
	}
	if (gic_version == 2) {
		mmio_write32(gich + GICH_VMCR, (uint32_t)st->vmcr);
		mmio_write32(gich + GICH_APR, st->apr1[0]);
	} else {
		write_sysreg(ich_vmcr_el2, st->vmcr);
		restore_aprs_v3(st);
	}
	isb();
}

void vgic_hw_set_control(bool underflow, bool trap_group1)
{
	uint64_t hcr = HCR_EN | (underflow ? HCR_UIE : 0) | (trap_group1 ? ICH_HCR_TALL1 : 0);
	if (gic_version == 2)
		mmio_write32(gich + GICH_HCR, (uint32_t)hcr);
	else
		write_sysreg(ich_hcr_el2, hcr);
	isb();
}

void vgic_hw_cpu_init(void)
{
	for (unsigned int n = 0; n < nr_lrs; n++)
		vgic_hw_write_lr(n, &(struct lr_desc){ 0 });
	vgic_hw_set_control(false, false);
}
