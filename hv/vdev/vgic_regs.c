/*
 * The banks of per-interrupt registers that GICv2's distributor, GICv3's
 * distributor and GICv3's redistributor SGI frame share: set/clear enable,
 * pending and active bits, priorities, targets and configuration. Each
 * bank gives every interrupt the same number of bits; interrupts outside
 * the range a frame serves read as zero and ignore writes.
 */
#include <arx/domain.h>
#include <arx/vgic.h>
#include <arx/vgic_hw.h>
#include <arx/vgic_regs.h>

enum bank_kind { GROUP, SET_ENABLE, CLEAR_ENABLE, SET_PENDING, CLEAR_PENDING, SET_ACTIVE,
		 CLEAR_ACTIVE, PRIORITY, TARGET, CONFIG };

struct bank {
	uint32_t start, end; /* offsets of the bank in the frame */
	uint8_t kind, bits; /* bits per interrupt */
};

static const struct bank banks[] = {
	{ 0x080, 0x100, GROUP, 1 },	    { 0x100, 0x180, SET_ENABLE, 1 },
	{ 0x180, 0x200, CLEAR_ENABLE, 1 },  { 0x200, 0x280, SET_PENDING, 1 },
	{ 0x280, 0x300, CLEAR_PENDING, 1 }, { 0x300, 0x380, SET_ACTIVE, 1 },
	{ 0x380, 0x400, CLEAR_ACTIVE, 1 },  { 0x400, 0x800, PRIORITY, 8 },
	{ 0x800, 0xc00, TARGET, 8 },	    { 0xc00, 0xd00, CONFIG, 2 },
};

/*
 * GICD_ITARGETSR is RAZ/WI with affinity routing (GICv3) and on a
 * uniprocessor GICv2, where every interrupt goes to the one CPU anyway.
 */
static bool has_targets(const struct vcpu *v)
{
	return v->dom->vgic.version == 2 && v->dom->nr_vcpus > 1;
}

static uint32_t read_field(struct vcpu *v, const struct bank *b, unsigned int intid, struct virq *q)
{
	switch (b->kind) {
	case GROUP: return v->dom->vgic.version == 3;
	case SET_ENABLE: case CLEAR_ENABLE: return q->enabled;
	case SET_PENDING: case CLEAR_PENDING: return q->pending || (q->lr >= 0 && q->lr_pending);
	case SET_ACTIVE: case CLEAR_ACTIVE: return q->active;
	case PRIORITY: return q->priority;
	case TARGET:
		if (!has_targets(v))
			return 0;
		return intid < VGIC_NR_PRIVATE ? 1u << v->id : q->targets;
	case CONFIG: return q->level ? 0 : 2;
	}
	return 0;
}

/* Bits of CPUs the domain lacks do not stick; delivery goes to the lowest CPU named. */
static void write_targets(struct vcpu *v, struct virq *q, uint32_t val)
{
	uint8_t mask = (uint8_t)(val & ((1u << v->dom->nr_vcpus) - 1));
	q->targets = mask;
	q->target = mask ? (uint8_t)__builtin_ctz(mask) : 0xff;
}

static void write_field(struct vcpu *v, const struct bank *b, unsigned int intid, struct virq *q,
			uint32_t val)
{
	bool set = val != 0;
	switch (b->kind) {
	case SET_ENABLE: q->enabled |= set; break;
	case CLEAR_ENABLE: q->enabled &= !set; break;
	case SET_PENDING: if (intid >= 16) q->pending |= set; break; /* SGIs pend via SGIR */
	case CLEAR_PENDING: if (set) q->pending = false; break;
	case SET_ACTIVE: q->active |= set; break;
	case CLEAR_ACTIVE: if (set) q->active = false; break;
	case PRIORITY: q->priority = (uint8_t)val & vgic_hw_prio_mask(); break;
	case TARGET: if (intid >= VGIC_NR_PRIVATE && has_targets(v)) write_targets(v, q, val); break;
	case CONFIG: if (intid >= VGIC_NR_PRIVATE) q->level = !(val & 2); break;
	}
}

#define NR_BANKS (sizeof(banks) / sizeof(banks[0]))

static const struct bank *find_bank(uint32_t offset)
{
	/* The banks are contiguous: the control and ID registers are out at once. */
	if (offset < banks[0].start || offset >= banks[NR_BANKS - 1].end)
		return NULL;
	for (unsigned int i = 0; i < NR_BANKS; i++)
		if (offset >= banks[i].start && offset < banks[i].end)
			return &banks[i];
	return NULL;
}

int vgic_bank_access(struct vcpu *v, uint32_t offset, struct mmio_access *a, unsigned int first,
		     unsigned int limit)
{
	const struct bank *b = find_bank(offset);
	if (!b)
		return VGIC_NOT_MINE;
	if (a->size != 4 && !(b->bits == 8 && a->size == 1))
		return VGIC_BAD_ACCESS; /* word access, or bytes for byte-per-interrupt banks */
	unsigned int intid = (offset - b->start) * 8 / b->bits;
	unsigned int count = a->size * 8 / b->bits;
	uint32_t mask = b->bits == 32 ? ~0u : (1u << b->bits) - 1, out = 0;
	struct domain *d = v->dom;
	if (!a->write)
		vgic_sync_current(v); /* pending and active bits as the guest left them */
	spin_lock(&d->vgic.lock);
	for (unsigned int i = 0; i < count; i++, intid++) {
		struct virq *q = (intid >= first && intid < limit) ? vgic_irq(v, intid) : NULL;
		if (!q)
			continue; /* beyond what this frame implements: RAZ/WI */
		if (a->write)
			write_field(v, b, intid, q, (uint32_t)(a->value >> (i * b->bits)) & mask);
		else
			out |= (read_field(v, b, intid, q) & mask) << (i * b->bits);
	}
	spin_unlock(&d->vgic.lock);
	if (!a->write)
		a->value = out;
	else if (b->kind == SET_ENABLE || b->kind == SET_PENDING || b->kind == TARGET)
		vgic_kick_all(d);
	return VGIC_HANDLED;
}

/* After a register write, every vCPU refreshes its list registers. */
void vgic_kick_all(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		vgic_kick(d->vcpus[i]);
}
