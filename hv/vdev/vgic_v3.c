/*
 * GICv3 distributor and redistributors for guests (GIC architecture v3,
 * affinity routing always on, a single security state, no LPIs). The CPU
 * interface is the hardware's virtual one (ICV_* through ICC_* names);
 * only SGI generation traps, through ICC_SGI1R_EL1.
 */
#include <arx/domain.h>
#include <arx/vgic.h>
#include <arx/vgic_regs.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR_END 0xf30
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8
#define CTLR_ARE_DS ((1u << 4) | (1u << 6)) /* affinity routing on, one security state */
#define CTLR_RWP (1u << 31)

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_PIDR2 0xffe8
#define GICR_SGI_FRAME 0x10000
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)

#define ARX_IIDR 0x61000000 /* as vgic_v2.c: not any real GIC's */
#define PIDR2_V3 0x30

static uint64_t irouter_read(struct vcpu *v, unsigned int intid)
{
	struct virq *q = vgic_irq(v, intid);
	return q && q->target < v->dom->nr_vcpus ? q->target : 0;
}

/* Only Aff0 names a vCPU; other affinity levels must be 0. 1-of-N means vCPU 0. */
static void irouter_write(struct vcpu *v, unsigned int intid, uint64_t val)
{
	struct virq *q = vgic_irq(v, intid);
	if (!q)
		return;
	uint64_t aff0 = val & 0xff, higher = val & 0xff00ff0000UL;
	spin_lock(&v->dom->vgic.lock);
	if (val & (1UL << 31))
		q->target = 0;
	else
		q->target = (!higher && aff0 < v->dom->nr_vcpus) ? (uint8_t)aff0 : 0xff;
	spin_unlock(&v->dom->vgic.lock);
	vgic_kick_all(v->dom);
}

/*
 * GICD_IROUTER<n> is a 64-bit register a guest may also access as two 32-bit
 * halves; a half written keeps the other. Routing of SGIs and PPIs (n < 32)
 * and of unimplemented SPIs is RAZ/WI.
 */
static bool irouter_access(struct vcpu *v, struct mmio_access *a)
{
	uint64_t off = a->offset - GICD_IROUTER;
	unsigned int intid = (unsigned int)(off / 8), shift = (unsigned int)(off & 4) * 8;
	bool implemented = intid >= VGIC_NR_PRIVATE && intid < GUEST_NR_IRQS;
	if (a->size != 8 && a->size != 4)
		return false;
	uint64_t half = a->size == 8 ? ~0UL : 0xffffffffUL << shift;
	uint64_t old = implemented ? irouter_read(v, intid) : 0;
	if (!a->write)
		a->value = (old & half) >> shift;
	else if (implemented)
		irouter_write(v, intid, (old & ~half) | ((a->value << shift) & half));
	return true;
}

static bool dist_misc(struct vcpu *v, struct mmio_access *a)
{
	struct domain *d = v->dom;
	if (a->write) {
		if (a->offset == GICD_CTLR) {
			spin_lock(&d->vgic.lock);
			d->vgic.ctlr = (uint32_t)a->value & 3; /* group enables */
			d->vgic.enabled = d->vgic.ctlr != 0;
			spin_unlock(&d->vgic.lock);
			vgic_kick_all(d);
		}
		return true;
	}
	switch (a->offset) {
	case GICD_CTLR: a->value = (d->vgic.ctlr & 3) | CTLR_ARE_DS; break;
	case GICD_TYPER: /* ITLinesNumber, 10 ID bits, no LPIs, no 1-of-N */
		a->value = (GUEST_NR_IRQS / 32 - 1) | (9u << 19) | (1u << 25);
		break;
	case GICD_IIDR: a->value = ARX_IIDR; break;
	case GICD_PIDR2: a->value = PIDR2_V3; break;
	default: a->value = 0;
	}
	return true;
}

/*
 * Besides the priority and target banks, the SGI pending registers take
 * bytes (GICv3 spec, 12.1.3); with affinity routing they are RAZ/WI.
 */
static bool sgi_pending_byte(const struct mmio_access *a)
{
	return a->size == 1 && a->offset >= GICD_CPENDSGIR && a->offset < GICD_SPENDSGIR_END;
}

bool vgic_v3_dist_access(struct vcpu *v, struct mmio_access *a, void *dev)
{
	(void)dev;
	if (a->offset >= GICD_IROUTER && a->offset < GICD_IROUTER + 8 * 1024)
		return irouter_access(v, a);
	/* With affinity routing, SGIs and PPIs live in the redistributors. */
	int r = vgic_bank_access(v, (uint32_t)a->offset, a, VGIC_NR_PRIVATE, GUEST_NR_IRQS);
	if (r != VGIC_NOT_MINE)
		return r == VGIC_HANDLED;
	if (a->size != 4 && !sgi_pending_byte(a))
		return false;
	return dist_misc(v, a);
}

static uint64_t redist_typer(const struct vcpu *t)
{
	uint64_t last = t->id == t->dom->nr_vcpus - 1;
	return ((uint64_t)t->id << 32) | ((uint64_t)t->id << 8) | (last << 4);
}

/*
 * RD_base's 64-bit registers, whole or as 32-bit halves: GICR_TYPER (read
 * only), and GICR_PROPBASER/PENDBASER, RES0 without LPIs.
 */
static bool rd_frame_64(struct vcpu *t, struct mmio_access *a)
{
	if (a->offset != GICR_TYPER && a->offset != GICR_PROPBASER && a->offset != GICR_PENDBASER)
		return false;
	if (!a->write)
		a->value = a->offset == GICR_TYPER ? redist_typer(t) : 0;
	return true;
}

static bool rd_frame(struct vcpu *t, struct mmio_access *a)
{
	if (a->size == 8)
		return rd_frame_64(t, a);
	if (a->size != 4)
		return false;
	if (a->write) {
		if (a->offset == GICR_WAKER)
			t->vgic.redist_asleep = a->value & WAKER_PROCESSOR_SLEEP;
		return true;
	}
	switch (a->offset) {
	case GICR_IIDR: a->value = ARX_IIDR; break;
	case GICR_TYPER: a->value = (uint32_t)redist_typer(t); break;
	case GICR_TYPER + 4: a->value = (uint32_t)(redist_typer(t) >> 32); break;
	case GICR_WAKER:
		a->value = t->vgic.redist_asleep ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
		break;
	case GICR_PIDR2: a->value = PIDR2_V3; break;
	default: a->value = 0; /* GICR_CTLR, STATUSR, PROPBASER...: no LPIs */
	}
	return true;
}

/*
 * Redistributors: one 128 KiB frame pair per vCPU. A vCPU may read and write
 * any of its domain's redistributors, as on hardware; the banks act on the
 * vCPU the frame belongs to.
 */
bool vgic_v3_redist_access(struct vcpu *v, struct mmio_access *a, void *dev)
{
	(void)dev;
	uint64_t idx = a->offset / GUEST_GICR_STRIDE;
	if (idx >= v->dom->nr_vcpus)
		return false;
	struct vcpu *t = v->dom->vcpus[idx];
	uint64_t off = a->offset % GUEST_GICR_STRIDE;
	if (off < GICR_SGI_FRAME) {
		struct mmio_access local = *a;
		local.offset = off;
		bool ok = rd_frame(t, &local);
		a->value = local.value;
		return ok;
	}
	int r = vgic_bank_access(t, (uint32_t)(off - GICR_SGI_FRAME), a, 0, VGIC_NR_PRIVATE);
	if (r != VGIC_NOT_MINE)
		return r == VGIC_HANDLED;
	if (!a->write)
		a->value = 0;
	return a->size == 4;
}

/*
 * ICC_SGI1R_EL1: Aff3 [55:48], RS [47:44], IRM [40], Aff2 [39:32], INTID [27:24],
 * Aff1 [23:16], target list [15:0]. RS selects CPUs 16*RS + n: vCPUs are 0-7,
 * so any RS but 0 names nobody.
 */
void vgic_v3_send_sgi(struct vcpu *v, uint64_t val)
{
	struct domain *d = v->dom;
	unsigned int sgi = (val >> 24) & 0xf;
	bool all_but_self = val & (1UL << 40);
	bool higher_aff = val & 0x00fff0ff00ff0000UL; /* vCPUs have Aff1-3 = 0, RS = 0 */
	uint32_t list = val & 0xffff;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		bool hit = all_but_self ? i != v->id : (!higher_aff && (list & (1u << i)));
		if (hit)
			vgic_inject(d->vcpus[i], sgi);
	}
}
