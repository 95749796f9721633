/*
 * The vCPU scheduler; see arx/sched.h for the policy. All decisions about a
 * CPU are taken on that CPU, on the way back into a guest (sched_schedule)
 * or at its first entry (sched_start); other CPUs only mark a vCPU
 * runnable and poke its CPU with an IPI (sched_wake).
 */
#include <arch/cpu.h>
#include <arx/domain.h>
#include <arx/guest_trap.h>
#include <arx/irq.h>
#include <arx/percpu.h>
#include <arx/sched.h>
#include <arx/timer.h>
#include <arx/vtimer.h>
#include <arx/watchdog.h>

static uint64_t slice_ticks(void)
{
	return timer_freq() / TICK_HZ * SCHED_SLICE_TICKS;
}

static bool runnable(const struct vcpu *v)
{
	return v->dom->state == DOMAIN_RUNNING && v->power != VCPU_OFF && !v->blocked;
}

/* Queues v on cpu; whether another vCPU of its domain was queued there already. */
static bool enqueue(struct vcpu *v, unsigned int cpu)
{
	struct sched_cpu *s = &pcpus[cpu].sched;
	uint64_t flags = spin_lock_irqsave(&s->lock);
	bool had = false;
	for (unsigned int i = 0; i < s->nr_queued; i++)
		had |= s->queue[i]->dom == v->dom;
	v->pcpu = cpu;
	v->vruntime = s->min_vruntime;
	s->queue[s->nr_queued++] = v;
	spin_unlock_irqrestore(&s->lock, flags);
	return had;
}

/*
 * Hands vCPUs asked to move (xl vcpu-pin) to their new CPU: the one loaded
 * here is saved from the frame first. The domain's count of CPUs holding
 * it follows: one more where it was not queued yet, one less here if it
 * was the domain's last vCPU here (which may finish a dying domain).
 */
static void migrate_away(struct pcpu *c, struct trap_frame *f)
{
	struct sched_cpu *s = &c->sched;
	for (;;) {
		struct vcpu *v = NULL;
		bool still_here = false;
		uint64_t flags = spin_lock_irqsave(&s->lock);
		for (unsigned int i = 0; i < s->nr_queued && !v; i++) {
			struct vcpu *q = s->queue[i];
			if (q->move_to >= 0 && q->dom->state != DOMAIN_DYING &&
			    pcpus[q->move_to].sched.nr_queued < SCHED_MAX_PER_CPU) {
				v = q;
				s->queue[i] = s->queue[--s->nr_queued];
			}
		}
		for (unsigned int i = 0; v && i < s->nr_queued; i++)
			still_here |= s->queue[i]->dom == v->dom;
		spin_unlock_irqrestore(&s->lock, flags);
		if (!v)
			return;
		if (c->vcpu == v) {
			vcpu_park(v, f);
			c->vcpu = NULL;
			c->running = false;
		}
		unsigned int to = (unsigned int)v->move_to;
		v->move_to = -1;
		if (!enqueue(v, to))
			__atomic_add_fetch(&v->dom->cpu_refs, 1, __ATOMIC_ACQ_REL);
		sched_kick_cpu(to);
		if (!still_here)
			domain_put(v->dom);
	}
}

int sched_place(struct vcpu *v, uint64_t allowed)
{
	int best = -1;
	for (unsigned int i = 0; i < nr_cpus_online && i < 64; i++) {
		struct sched_cpu *s = &pcpus[i].sched;
		if ((allowed & (1ULL << i)) && s->nr_queued < SCHED_MAX_PER_CPU &&
		    (best < 0 || s->nr_queued < pcpus[best].sched.nr_queued))
			best = (int)i;
	}
	if (best < 0)
		return -1;
	struct sched_cpu *s = &pcpus[best].sched;
	uint64_t flags = spin_lock_irqsave(&s->lock);
	v->pcpu = (unsigned int)best;
	v->vruntime = s->min_vruntime;
	s->queue[s->nr_queued++] = v;
	spin_unlock_irqrestore(&s->lock, flags);
	return best;
}

/*
 * Whether v waits on its CPU while a vCPU further ahead in virtual run time
 * (by more than a millisecond, so two busy vCPUs do not trade the CPU at
 * every interrupt) runs there: then v's interrupt should not wait for the
 * end of that one's slice.
 */
static bool behind_the_running_one(const struct vcpu *v)
{
	const struct pcpu *c = &pcpus[v->pcpu];
	const struct vcpu *cur = c->vcpu;
	return c->running && cur && cur != v && runnable(v) &&
	       v->vruntime + timer_freq() / 1000 < cur->vruntime;
}

/*
 * Locks the queue v is on. v may be on its way to another CPU (balancing
 * moves vCPUs): v->pcpu only changes under the lock of the queue v joins,
 * so once it is seen unchanged under a lock, that is v's queue's.
 */
static struct sched_cpu *lock_queue_of(struct vcpu *v, uint64_t *flags)
{
	for (;;) {
		unsigned int cpu = __atomic_load_n(&v->pcpu, __ATOMIC_ACQUIRE);
		struct sched_cpu *s = &pcpus[cpu].sched;
		*flags = spin_lock_irqsave(&s->lock);
		if (__atomic_load_n(&v->pcpu, __ATOMIC_RELAXED) == cpu)
			return s;
		spin_unlock_irqrestore(&s->lock, *flags);
	}
}

void sched_wake(struct vcpu *v)
{
	uint64_t flags;
	struct sched_cpu *s = lock_queue_of(v, &flags);
	unsigned int cpu = v->pcpu;
	if (v->blocked) {
		v->blocked = false;
		/* A long sleep earns no credit: start no further back than one slice. */
		if (v->vruntime + slice_ticks() < s->min_vruntime)
			v->vruntime = s->min_vruntime - slice_ticks();
		s->resched = true;
	} else if (behind_the_running_one(v)) {
		s->resched = true; /* an interrupt for a waiting vCPU that is due the CPU anyway */
	}
	spin_unlock_irqrestore(&s->lock, flags);
	if (cpu != this_cpu()->id)
		irq_send_sgi(cpu, SGI_KICK); /* here, the way back to a guest decides */
}

void sched_kick_cpu(unsigned int cpu)
{
	pcpus[cpu].sched.resched = true;
	if (cpu != this_cpu()->id)
		irq_send_sgi(cpu, SGI_KICK);
}

void sched_block(struct vcpu *v)
{
	v->blocked = true;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* before looking: an injection clears it after */
	if (vgic_has_pending(v))
		v->blocked = false;
}

void sched_yield(struct vcpu *v)
{
	(void)v;
	this_cpu()->sched.resched = true;
}

/*
 * How much of a CPU a vCPU had lately: weighted run time, halved at each
 * balance period of the boot CPU's tick. Counting periods on one clock for
 * all CPUs makes the figures of vCPUs on different CPUs comparable.
 */
static unsigned int balance_epoch(void)
{
	return (unsigned int)(pcpus[0].timer_ticks / BALANCE_TICKS);
}

static uint64_t recent_of(const struct vcpu *v)
{
	unsigned int age = balance_epoch() - v->recent_epoch;
	return age >= 64 ? 0 : v->recent >> age;
}

/* Charges the running vCPU for the time since its slice (re)started. */
static void charge(struct pcpu *c, uint64_t now)
{
	struct sched_cpu *s = &c->sched;
	if (c->running && c->vcpu) {
		uint64_t delta = now - s->slice_start;
		uint64_t weighted = delta * CONFIG_WEIGHT_DEFAULT / c->vcpu->weight;
		c->vcpu->runtime += delta;
		c->vcpu->vruntime += weighted;
		c->vcpu->recent = recent_of(c->vcpu) + weighted;
		c->vcpu->recent_epoch = balance_epoch();
	}
	s->slice_start = now;
}

/* The runnable vCPU furthest behind in virtual run time, or NULL. */
static struct vcpu *furthest_behind(struct sched_cpu *s)
{
	struct vcpu *best = NULL;
	for (unsigned int i = 0; i < s->nr_queued; i++) {
		struct vcpu *v = s->queue[i];
		if (runnable(v) && (!best || v->vruntime < best->vruntime))
			best = v;
	}
	return best;
}

/* The vCPU to run: the current one until its slice ends, else the one furthest behind. */
static struct vcpu *pick(struct pcpu *c)
{
	struct sched_cpu *s = &c->sched;
	uint64_t flags = spin_lock_irqsave(&s->lock);
	struct vcpu *best = NULL;
	if (c->vcpu && c->running && runnable(c->vcpu) && !s->resched)
		best = c->vcpu;
	else
		best = furthest_behind(s);
	if (best && best->vruntime > s->min_vruntime)
		s->min_vruntime = best->vruntime;
	s->resched = false;
	spin_unlock_irqrestore(&s->lock, flags);
	return best;
}

/*
 * Drops the vCPUs of dying domains from this CPU: unloads the one in the
 * hardware, and gives each such domain back its hold on this CPU. The
 * last CPU to let go finishes the domain (frees or restarts it).
 */
static void reap(struct pcpu *c)
{
	struct sched_cpu *s = &c->sched;
	struct domain *gone[SCHED_MAX_PER_CPU];
	unsigned int nr_gone = 0;
	if (c->vcpu && c->vcpu->dom->state == DOMAIN_DYING) {
		vcpu_unload(c->vcpu);
		c->vcpu = NULL;
		c->running = false;
	}
	uint64_t flags = spin_lock_irqsave(&s->lock);
	for (unsigned int i = 0; i < s->nr_queued;) {
		struct domain *d = s->queue[i]->dom;
		if (d->state != DOMAIN_DYING) {
			i++;
			continue;
		}
		s->queue[i] = s->queue[--s->nr_queued];
		bool seen = false;
		for (unsigned int j = 0; j < nr_gone; j++)
			seen |= gone[j] == d;
		if (!seen)
			gone[nr_gone++] = d;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	for (unsigned int j = 0; j < nr_gone; j++)
		domain_put(gone[j]);
}

/* Puts a vCPU that is due for PSCI CPU_ON at its start address. */
static void start_if_pending(struct vcpu *v, struct trap_frame *f)
{
	if (v->power != VCPU_ON_PENDING)
		return;
	if (f)
		vcpu_restart(v, f, v->start_pc, v->start_ctx);
	else
		vcpu_reset(v, v->start_pc, v->start_ctx);
	v->power = VCPU_ON;
}

/*
 * Guest timers due on this CPU: those of vCPUs not loaded (arx watches
 * them), and the loaded vCPU's emulated physical timer.
 */
static void fire_guest_timers(struct pcpu *c, uint64_t now)
{
	struct sched_cpu *s = &c->sched;
	if (c->vcpu)
		vtimer_sync(c->vcpu);
	for (unsigned int i = 0; i < s->nr_queued; i++) {
		struct vcpu *v = s->queue[i];
		if (v != c->vcpu && v->timer_deadline && v->timer_deadline <= now)
			v->timer_deadline = vtimer_expire(v, now);
	}
}

/*
 * Asks for a timer event at the first guest timer deadline on this CPU, so
 * a vCPU that is not running gets its interrupt (and, if it is due, the
 * CPU) at its deadline rather than at the next tick.
 */
static void rearm(struct pcpu *c)
{
	struct sched_cpu *s = &c->sched;
	uint64_t first = c->vcpu ? vtimer_phys_deadline(c->vcpu) : 0;
	uint64_t flags = spin_lock_irqsave(&s->lock);
	for (unsigned int i = 0; i < s->nr_queued; i++) {
		uint64_t t = s->queue[i]->timer_deadline;
		if (s->queue[i] != c->vcpu && t && (!first || t < first))
			first = t;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	timer_set_event(first);
}

void sched_timers_changed(void)
{
	rearm(this_cpu());
}

static unsigned int count_runnable(struct sched_cpu *s)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < s->nr_queued; i++)
		n += runnable(s->queue[i]);
	return n;
}

static bool may_move(const struct vcpu *v, unsigned int to)
{
	return runnable(v) && v->move_to < 0 && (v->affinity & (1ULL << to));
}

/*
 * The vCPU of CPU `from` waiting for its turn there (not running) that may
 * run on `to` and had the least of a CPU lately, or NULL.
 */
static struct vcpu *waiting_for(unsigned int from, unsigned int to)
{
	struct pcpu *c = &pcpus[from];
	struct vcpu *best = NULL;
	for (unsigned int i = 0; i < c->sched.nr_queued; i++) {
		struct vcpu *v = c->sched.queue[i];
		if (may_move(v, to) && !(c->vcpu == v && c->running) &&
		    (!best || recent_of(v) < recent_of(best)))
			best = v;
	}
	return best;
}

/* This CPU's runnable vCPU that may run on `to` and had the most of a CPU lately. */
static struct vcpu *most_served(struct pcpu *c, unsigned int to)
{
	struct vcpu *best = NULL;
	uint64_t flags = spin_lock_irqsave(&c->sched.lock);
	for (unsigned int i = 0; i < c->sched.nr_queued; i++) {
		struct vcpu *v = c->sched.queue[i];
		if (may_move(v, to) && (!best || recent_of(v) > recent_of(best)))
			best = v;
	}
	spin_unlock_irqrestore(&c->sched.lock, flags);
	return best;
}

/*
 * Weights across CPUs. With one runnable vCPU more on another CPU than
 * here (which the count rule leaves alone), the vCPUs there get less of a
 * CPU than those here. So every balance period this CPU trades its vCPU
 * that had the most of a CPU lately (recent_of) for the one waiting there
 * that had the least, if they differ by more than a slice: over time each
 * gets its weight's share of the CPUs.
 */
static void trade(struct pcpu *c, unsigned int here)
{
	struct vcpu *take = NULL;
	for (unsigned int i = 0; i < nr_cpus_online && i < 64 && !take; i++) {
		struct sched_cpu *s = &pcpus[i].sched;
		if (i == c->id)
			continue;
		uint64_t flags = spin_lock_irqsave(&s->lock);
		if (count_runnable(s) == here + 1)
			take = waiting_for(i, c->id);
		spin_unlock_irqrestore(&s->lock, flags);
	}
	unsigned int there = take ? take->pcpu : 0;
	struct vcpu *give = most_served(c, there);
	if (!take || !give || recent_of(give) < recent_of(take) + slice_ticks())
		return;
	take->move_to = (int)c->id;
	give->move_to = (int)there;
	sched_kick_cpu(there);
	sched_kick_cpu(c->id);
}

/*
 * Load balancing: this CPU takes a waiting vCPU from the CPU with the most
 * runnable ones, when that has at least two more than this one (so an idle
 * CPU takes work from any CPU where a vCPU waits). The vCPU's own CPU lets
 * it go on its way back into a guest, as for xl vcpu-pin. `periodic` (the
 * tick's call, not the idle loop's) may also trade vCPUs for their weights.
 */
static void balance(struct pcpu *c, bool periodic)
{
	struct vcpu *take = NULL;
	unsigned int here = count_runnable(&c->sched), most = here + 1;
	for (unsigned int i = 0; i < nr_cpus_online && i < 64; i++) {
		struct sched_cpu *s = &pcpus[i].sched;
		if (i == c->id)
			continue;
		uint64_t flags = spin_lock_irqsave(&s->lock);
		unsigned int n = count_runnable(s);
		struct vcpu *v = n > most ? waiting_for(i, c->id) : NULL;
		spin_unlock_irqrestore(&s->lock, flags);
		if (v) {
			take = v;
			most = n;
		}
	}
	if (take) {
		take->move_to = (int)c->id;
		sched_kick_cpu(take->pcpu);
	} else if (periodic) {
		trade(c, here);
	}
}

/* Waits for an interrupt with nothing to run, counting the time as idle. */
static void idle_once(struct pcpu *c)
{
	uint64_t start = timer_now();
	c->running = false;
	local_irq_enable();
	cpu_wait_for_interrupt();
	local_irq_disable();
	c->sched.idle_ticks += timer_now() - start;
}

/* Charges the slice that ends, then loads whatever runs next (idling until there is one). */
static NOINLINE void reschedule(struct pcpu *c, struct trap_frame *f)
{
	for (;;) {
		charge(c, timer_now());
		reap(c);
		migrate_away(c, f);
		struct vcpu *next = pick(c);
		if (next) {
			if (next != c->vcpu) {
				vcpu_switch(c->vcpu, next, f);
				c->vcpu = next;
			}
			start_if_pending(next, f);
			c->running = true;
			c->sched.slice_start = timer_now();
			rearm(c);
			vgic_flush(next);
			return;
		}
		rearm(c);
		balance(c, false);
		idle_once(c);
	}
}

void sched_schedule(struct trap_frame *f)
{
	struct pcpu *c = this_cpu();
	/*
	 * Most exits change nothing: the vCPU goes on with its slice. Anything
	 * that could change the choice (the tick ending a slice, a yield, a domain
	 * ending, a kick from another CPU) sets resched, so this is safe; the time
	 * is charged when the slow path runs, from the same slice_start.
	 */
	struct vcpu *v = c->vcpu;
	if (v && c->running && !c->sched.resched && v->power == VCPU_ON && runnable(v)) {
		vgic_flush(v);
		return;
	}
	reschedule(c, f);
}

void sched_start(void)
{
	struct pcpu *c = this_cpu();
	for (;;) {
		reap(c);
		migrate_away(c, NULL); /* nothing is loaded yet at a CPU's first entry */
		struct vcpu *next = pick(c);
		if (next) {
			start_if_pending(next, NULL);
			c->running = true;
			c->sched.slice_start = timer_now();
			rearm(c);
			vcpu_enter_first(next); /* loads it and enters: no return */
		}
		balance(c, false);
		idle_once(c);
	}
}


/* Is anyone else on this CPU waiting to run? */
static bool others_runnable(struct pcpu *c)
{
	struct sched_cpu *s = &c->sched;
	for (unsigned int i = 0; i < s->nr_queued; i++)
		if (s->queue[i] != c->vcpu && runnable(s->queue[i]))
			return true;
	return false;
}

void sched_timer_expired(bool tick)
{
	struct pcpu *c = this_cpu();
	uint64_t now = timer_now();
	charge(c, now);
	fire_guest_timers(c, now);
	if (tick) {
		if (c->running && others_runnable(c))
			c->sched.resched = true; /* the slice is over */
		if (c->timer_ticks % BALANCE_TICKS == 0)
			balance(c, true);
		watchdog_check(c);
	}
	rearm(c);
}

uint64_t sched_runtime_us(const struct vcpu *v)
{
	return v->runtime * 1000000 / timer_freq();
}

uint64_t sched_runtime_ns(const struct vcpu *v)
{
	uint64_t f = timer_freq(), t = v->runtime;
	return t / f * 1000000000UL + t % f * 1000000000UL / f; /* no overflow for centuries */
}

bool sched_vcpu_running(const struct vcpu *v)
{
	const struct pcpu *c = &pcpus[v->pcpu];
	return c->vcpu == v && c->running;
}

int sched_set_affinity(struct vcpu *v, uint64_t allowed)
{
	int best = -1;
	for (unsigned int i = 0; i < nr_cpus_online && i < 64; i++) {
		if ((allowed & (1ULL << i)) && pcpus[i].sched.nr_queued < SCHED_MAX_PER_CPU &&
		    (best < 0 || pcpus[i].sched.nr_queued < pcpus[best].sched.nr_queued))
			best = (int)i;
	}
	if (best < 0)
		return -1;
	v->affinity = allowed;
	if ((unsigned int)best != v->pcpu && !(allowed & (1ULL << v->pcpu))) {
		v->move_to = best; /* its CPU lets it go, on its way back to a guest */
		sched_kick_cpu(v->pcpu);
	}
	return 0;
}
