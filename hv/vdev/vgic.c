/*
 * Virtual GIC core: interrupt state, injection, and the list registers.
 *
 * A virtual interrupt is either "pending" here (not yet in a list
 * register) or held in one of its vCPU's list registers (lr >= 0), where
 * the guest acknowledges and ends it without trapping. Before each entry
 * into the guest, vgic_flush reads back what the guest did with the list
 * registers and fills free ones with pending interrupts. One lock per
 * domain protects all of its interrupt state.
 */
#include <arx/domain.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/sched.h>
#include <arx/vgic.h>
#include <arx/vgic_hw.h>
#include <arx/vtimer.h>


static unsigned int host_version;
static paddr_t host_gicv;

bool vgic_v2_dist_access(struct vcpu *v, struct mmio_access *a, void *dev);
bool vgic_v3_dist_access(struct vcpu *v, struct mmio_access *a, void *dev);
bool vgic_v3_redist_access(struct vcpu *v, struct mmio_access *a, void *dev);

void vgic_global_init(unsigned int gic_version, paddr_t gich_base, paddr_t gicv_base)
{
	host_version = gic_version;
	host_gicv = gicv_base;
	vgic_hw_init(gic_version, gich_base);
}

struct virq *vgic_irq(struct vcpu *v, unsigned int intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return &v->vgic.private[intid];
	if (intid < GUEST_NR_IRQS)
		return &v->dom->vgic.spis[intid - VGIC_NR_PRIVATE];
	return NULL;
}

static void virq_init(struct virq *q, bool level, bool has_line)
{
	*q = (struct virq){ .priority = 0xa0, .targets = 1, .level = level, .has_line = has_line,
			    .lr = -1 };
}

/* The timers' PPIs follow their timer (vtimer.c); the PMU's is re-raised by vpmu.c itself. */
static bool ppi_has_line(unsigned int intid)
{
	return intid == VTIMER_VIRT_INTID || intid == VTIMER_PHYS_INTID;
}

void vgic_vcpu_init(struct vcpu *v)
{
	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) /* SGIs edge, PPIs level */
		virq_init(&v->vgic.private[i], i >= 16, ppi_has_line(i));
	v->vgic.lr_used = 0;
	v->vgic.redist_asleep = true;
}

void vgic_dist_reset(struct domain *d)
{
	d->vgic.version = host_version;
	d->vgic.enabled = false;
	d->vgic.ctlr = 0;
	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++)
		virq_init(&d->vgic.spis[i], true, true);
}

/* The vCPU an interrupt goes to, or NULL if it targets none. */
static struct vcpu *target_of(struct vcpu *v, unsigned int intid, struct virq *q)
{
	if (intid < VGIC_NR_PRIVATE)
		return v;
	return q->target < v->dom->nr_vcpus ? v->dom->vcpus[q->target] : NULL;
}

static bool deliverable(const struct domain *d, const struct virq *q)
{
	return q->pending && q->enabled && d->vgic.enabled;
}

/* Makes the target look at its list registers again, on its own CPU. */
void vgic_kick(struct vcpu *t)
{
	if (!t)
		return;
	t->vgic.dirty = true;
	sched_wake(t); /* also ends a WFI, and pokes its CPU if that is not this one */
}

void vgic_inject(struct vcpu *v, unsigned int intid)
{
	struct domain *d = v->dom;
	spin_lock(&d->vgic.lock);
	struct virq *q = vgic_irq(v, intid);
	struct vcpu *t = NULL;
	if (q) {
		q->pending = true;
		t = deliverable(d, q) ? target_of(v, intid, q) : NULL;
	}
	spin_unlock(&d->vgic.lock);
	vgic_kick(t);
}

void vgic_set_level(struct domain *d, unsigned int intid, bool level)
{
	if (intid < VGIC_NR_PRIVATE || intid >= GUEST_NR_IRQS)
		return;
	struct vcpu *v0 = d->vcpus[0];
	spin_lock(&d->vgic.lock);
	struct virq *q = vgic_irq(v0, intid);
	q->line = level;
	if (q->level) {
		if (level && q->lr < 0)
			q->pending = true;
		else if (!level && q->lr < 0)
			q->pending = false;
	} else if (level) {
		q->pending = true;
	}
	struct vcpu *t = deliverable(d, q) ? target_of(v0, intid, q) : NULL;
	spin_unlock(&d->vgic.lock);
	vgic_kick(t);
}

/*
 * Takes an interrupt whose line dropped back out of v's list register, if
 * the guest has not acknowledged it yet (v is loaded: its registers are live).
 */
static void withdraw(struct vcpu *v, struct virq *q)
{
	struct lr_desc lr;
	unsigned int n = (unsigned int)q->lr;
	vgic_hw_read_lr(n, &lr);
	if (lr.state != LR_PENDING)
		return; /* acknowledged: the end of it looks at the line again */
	vgic_hw_write_lr(n, &(struct lr_desc){ 0 });
	v->vgic.lr_used &= ~(1u << n);
	q->lr = -1;
	q->lr_pending = false;
}

void vgic_set_line(struct vcpu *v, unsigned int intid, bool level)
{
	struct virq *q = &v->vgic.private[intid % VGIC_NR_PRIVATE];
	if (q->line == level)
		return; /* only v's own CPU moves its lines */
	struct domain *d = v->dom;
	struct vcpu *t = NULL;
	spin_lock(&d->vgic.lock);
	q->line = level;
	if (level) {
		v->vgic.timer_raised += intid == VTIMER_VIRT_INTID;
		q->pending = q->lr < 0;
		t = deliverable(d, q) ? v : NULL;
	} else {
		q->pending = false;
		if (q->lr >= 0 && v == current_vcpu())
			withdraw(v, q);
	}
	spin_unlock(&d->vgic.lock);
	vgic_kick(t);
}

static bool timer_line_high(const struct vcpu *v)
{
	return v->vgic.private[VTIMER_VIRT_INTID].line || v->vgic.private[VTIMER_PHYS_INTID].line;
}

/* Reads back one list register: what the guest did with its interrupt. */
static void sync_lr(struct vcpu *v, unsigned int n)
{
	struct lr_desc lr;
	struct virq *q = vgic_irq(v, v->vgic.lr_irq[n]);
	vgic_hw_read_lr(n, &lr);
	q->active = lr.state & LR_ACTIVE;
	q->lr_pending = lr.state & LR_PENDING;
	if (!q->lr_pending && v->vgic.lr_irq[n] == VTIMER_VIRT_INTID)
		v->vgic.timer_taken++;
	if (lr.state != 0)
		return;
	/* Ended by the guest: free the register; a level line still high pends again. */
	vgic_hw_write_lr(n, &(struct lr_desc){ 0 });
	v->vgic.lr_used &= ~(1u << n);
	q->lr = -1;
	if (q->level && q->line)
		q->pending = true;
	if (q->pending)
		v->vgic.dirty = true; /* pended again while it was in the register */
}

static void sync_all(struct vcpu *v)
{
	for (unsigned int n = 0; n < vgic_hw_nr_lrs(); n++)
		if (v->vgic.lr_used & (1u << n))
			sync_lr(v, n);
}

static int free_lr(const struct vcpu *v)
{
	for (unsigned int n = 0; n < vgic_hw_nr_lrs(); n++)
		if (!(v->vgic.lr_used & (1u << n)))
			return (int)n;
	return -1;
}

/* GICv2 SGIs carry their sender; each sender's SGI is delivered separately. */
static uint8_t take_sgi_source(struct virq *q)
{
	uint8_t src = (uint8_t)__builtin_ctz(q->sgi_sources | 0x100);
	q->sgi_sources &= (uint8_t)~(1u << src);
	q->pending = q->sgi_sources != 0;
	return src & 7;
}

static void load_lr(struct vcpu *v, unsigned int n, unsigned int intid, struct virq *q)
{
	struct lr_desc lr = {
		.intid = intid, .priority = q->priority, .state = LR_PENDING,
		.group1 = v->dom->vgic.version == 3, .eoi_maint = q->level && q->has_line,
	};
	if (intid < VGIC_NR_PRIVATE && q->has_line)
		v->vgic.trap_acks = true;
	if (intid < 16 && v->dom->vgic.version == 2)
		lr.source = q->lr_source = take_sgi_source(q);
	else
		q->pending = false;
	vgic_hw_write_lr(n, &lr);
	v->vgic.lr_used |= 1u << n;
	v->vgic.lr_irq[n] = (uint16_t)intid;
	q->lr = (int8_t)n;
	q->lr_pending = true;
}

/* The most urgent deliverable interrupt not yet in a list register, or -1. */
static int most_urgent(struct vcpu *v)
{
	int best = -1;
	unsigned int best_prio = 0x100;
	for (unsigned int intid = 0; intid < GUEST_NR_IRQS; intid++) {
		struct virq *q = vgic_irq(v, intid);
		if (!deliverable(v->dom, q) || q->lr >= 0 || target_of(v, intid, q) != v)
			continue;
		if (q->priority < best_prio) { /* lower value = more urgent */
			best = (int)intid;
			best_prio = q->priority;
		}
	}
	return best;
}

/*
 * Puts deliverable interrupts into free list registers, most urgent first;
 * returns true if some did not fit (then an underflow maintenance interrupt
 * brings the CPU back to load them once the guest has ended some).
 */
static bool fill(struct vcpu *v)
{
	for (;;) {
		int intid = most_urgent(v);
		if (intid < 0)
			return false;
		int n = free_lr(v);
		if (n < 0)
			return true;
		load_lr(v, (unsigned int)n, (unsigned int)intid, vgic_irq(v, (unsigned int)intid));
	}
}

/* Reads the list registers back and fills them again. */
static NOINLINE void refill(struct vcpu *v)
{
	spin_lock(&v->dom->vgic.lock);
	sync_all(v);
	v->vgic.dirty = false;
	bool overflow = fill(v);
	v->vgic.dirty = overflow;
	spin_unlock(&v->dom->vgic.lock);
	vgic_hw_set_control(overflow, v->vgic.trap_acks && v->dom->vgic.version == 3);
}

/* A flush with something to do: a timer line to look at, list registers to refill. */
static NOINLINE void flush_slow(struct vcpu *v)
{
	if (timer_line_high(v))
		vtimer_sync(v); /* the guest may have withdrawn it since */
	if (v->vgic.dirty || v->vgic.lr_used)
		refill(v);
}

/*
 * Most exits change nothing in the vGIC; then there is nothing to read back
 * and no interrupt to look for, and the flush costs a couple of loads.
 */
void vgic_flush(struct vcpu *v)
{
	if (timer_line_high(v) || v->vgic.dirty || v->vgic.lr_used)
		flush_slow(v);
}

/*
 * A GICv3 guest reads its acknowledge (or another group 1) register right
 * after arx offered it a timer interrupt: the guest may have withdrawn the
 * timer since, without trapping. Sampling the line now (which takes such an
 * interrupt back) and stopping the trap lets the retried access see the
 * truth. One trap per offered timer interrupt; GICv2's CPU interface cannot
 * be trapped this way, so there the check happens at the next exit.
 */
void vgic_ack_trapped(struct vcpu *v)
{
	vtimer_sync(v);
	v->vgic.trap_acks = false;
	v->vgic.dirty = true;
}

void vgic_sync_current(struct vcpu *v)
{
	if (v != current_vcpu())
		return;
	if (timer_line_high(v))
		vtimer_sync(v);
	spin_lock(&v->dom->vgic.lock);
	sync_all(v);
	spin_unlock(&v->dom->vgic.lock);
}

/*
 * The maintenance interrupt is level-triggered: it stays asserted while a
 * list register holds an ended level interrupt (EOI) or too few are in use
 * (underflow). Reading the list registers back clears the first; the refill
 * on the way back into the guest decides about the second.
 */
static void maintenance(unsigned int intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	struct vcpu *v = current_vcpu();
	vgic_hw_set_control(false, false);
	if (!v) {
		vgic_hw_cpu_init(); /* nobody's list registers: just empty them */
		return;
	}
	spin_lock(&v->dom->vgic.lock);
	sync_all(v);
	spin_unlock(&v->dom->vgic.lock);
}

void vgic_cpu_init(unsigned int maint_irq)
{
	vgic_hw_cpu_init();
	irq_register(maint_irq, maintenance, NULL);
	irq_enable(maint_irq);
}

bool vgic_has_pending(struct vcpu *v)
{
	struct domain *d = v->dom;
	bool found = false;
	if (timer_line_high(v))
		vtimer_sync(v);
	spin_lock(&d->vgic.lock);
	sync_all(v);
	for (unsigned int intid = 0; intid < GUEST_NR_IRQS && !found; intid++) {
		struct virq *q = vgic_irq(v, intid);
		if (target_of(v, intid, q) != v || !q->enabled)
			continue;
		found = q->pending || (q->lr >= 0 && q->lr_pending);
	}
	spin_unlock(&d->vgic.lock);
	return found;
}

int vgic_domain_init(struct domain *d)
{
	vgic_dist_reset(d);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		vgic_vcpu_init(d->vcpus[i]);
	if (host_version == 2) {
		if (mmio_register(&d->mmio, d->map.gicd, GUEST_GICD_SIZE, vgic_v2_dist_access, NULL))
			return -1;
		/* The guest's GICC is the real virtual CPU interface. */
		return stage2_map(&d->s2, d->map.gicc, host_gicv, GUEST_GICC_SIZE, S2_DEVICE);
	}
	if (mmio_register(&d->mmio, d->map.gicd, GUEST_GICD_SIZE, vgic_v3_dist_access, NULL))
		return -1;
	return mmio_register(&d->mmio, d->map.gicr, d->nr_vcpus * GUEST_GICR_STRIDE,
			     vgic_v3_redist_access, NULL);
}

unsigned int vgic_host_version(void)
{
	return host_version;
}
