/*
 * GICv2 distributor for guests (GIC architecture v2, GICD_* at
 * GUEST_GICD_BASE). The CPU interface is the host's GICV page, mapped into
 * the guest at GUEST_GICC_BASE, so only the distributor is emulated.
 */
#include <arx/domain.h>
#include <arx/vgic.h>
#include <arx/vgic_regs.h>

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_SPENDSGIR_END 0xf30
#define GICD_PIDR2 0xfe8

#define ARX_IIDR 0x61000000 /* product 0x61 ("a"), no JEP106 implementer claimed */

/* GICD_SGIR: target filter [25:24], CPU target list [23:16], SGI number [3:0]. */
static void send_sgi(struct vcpu *v, uint32_t val)
{
	struct domain *d = v->dom;
	unsigned int sgi = val & 0xf, filter = (val >> 24) & 3;
	uint32_t targets = (val >> 16) & 0xff;
	if (filter == 1)
		targets = ~(1u << v->id);
	else if (filter == 2)
		targets = 1u << v->id;
	else if (filter == 3)
		return; /* reserved */
	targets &= (1u << d->nr_vcpus) - 1; /* only this domain's own vCPUs */
	spin_lock(&d->vgic.lock);
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		if (!(targets & (1u << i)))
			continue;
		struct virq *q = &d->vcpus[i]->vgic.private[sgi];
		q->sgi_sources |= (uint8_t)(1u << v->id);
		q->pending = true;
	}
	spin_unlock(&d->vgic.lock);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (targets & (1u << i))
			vgic_kick(d->vcpus[i]);
}

/* The vCPUs an SGI of this vCPU is pending from, in a list register or not. */
static uint8_t sgi_senders(const struct virq *q)
{
	bool in_lr = q->lr >= 0 && q->lr_pending;
	return (uint8_t)(q->sgi_sources | (in_lr ? 1u << q->lr_source : 0));
}

/*
 * GICD_CPENDSGIR<n>/SPENDSGIR<n> (bytes or words): byte k of register n is
 * SGI 4n + k on the accessing vCPU, a bit per sending vCPU. Clearing leaves
 * an SGI already in a list register alone: the guest acknowledges it there.
 */
static void sgi_pending_access(struct vcpu *v, struct mmio_access *a)
{
	struct domain *d = v->dom;
	unsigned int first = (unsigned int)(a->offset & 0xf);
	uint8_t senders = (uint8_t)((1u << d->nr_vcpus) - 1);
	uint64_t out = 0;
	spin_lock(&d->vgic.lock);
	for (unsigned int i = 0; i < a->size; i++) {
		struct virq *q = &v->vgic.private[first + i];
		uint8_t bits = (uint8_t)(a->value >> (8 * i)) & senders;
		if (!a->write) {
			out |= (uint64_t)sgi_senders(q) << (8 * i);
		} else if (a->offset < GICD_SPENDSGIR) {
			q->sgi_sources &= (uint8_t)~bits;
			q->pending = q->sgi_sources != 0;
		} else if (bits) {
			q->sgi_sources |= bits;
			q->pending = true;
		}
	}
	spin_unlock(&d->vgic.lock);
	if (!a->write)
		a->value = out;
	else
		vgic_kick(v);
}

static bool misc_read(struct vcpu *v, struct mmio_access *a)
{
	struct domain *d = v->dom;
	switch (a->offset) {
	case GICD_CTLR: a->value = d->vgic.ctlr; return true;
	case GICD_TYPER:
		a->value = (GUEST_NR_IRQS / 32 - 1) | ((d->nr_vcpus - 1) << 5);
		return true;
	case GICD_IIDR: a->value = ARX_IIDR; return true;
	case GICD_PIDR2: a->value = 0x20; return true; /* architecture version 2 */
	}
	a->value = 0; /* reserved and unimplemented registers read as zero */
	return true;
}

static bool misc_write(struct vcpu *v, struct mmio_access *a)
{
	struct domain *d = v->dom;
	if (a->offset == GICD_CTLR) {
		spin_lock(&d->vgic.lock);
		d->vgic.ctlr = (uint32_t)a->value & 1;
		d->vgic.enabled = d->vgic.ctlr != 0;
		spin_unlock(&d->vgic.lock);
		vgic_kick_all(d);
	} else if (a->offset == GICD_SGIR) {
		send_sgi(v, (uint32_t)a->value);
	}
	return true; /* everything else: writes ignored */
}

bool vgic_v2_dist_access(struct vcpu *v, struct mmio_access *a, void *dev)
{
	(void)dev;
	int r = vgic_bank_access(v, (uint32_t)a->offset, a, 0, GUEST_NR_IRQS);
	if (r != VGIC_NOT_MINE)
		return r == VGIC_HANDLED;
	bool byte_ok = a->offset >= GICD_CPENDSGIR && a->offset < GICD_SPENDSGIR_END;
	if (a->size != 4 && !(byte_ok && a->size == 1))
		return false; /* bytes only for the SGI pending registers (GICv2 spec, 4.1.4) */
	if (byte_ok) {
		sgi_pending_access(v, a);
		return true;
	}
	return a->write ? misc_write(v, a) : misc_read(v, a);
}
