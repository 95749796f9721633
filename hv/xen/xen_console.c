/*
 * The PV console (hvc0 in Linux): a ring page arx gives each Xen domain it
 * builds (but a Linux one whose console is its PL011: linux_console.c) at
 * GUEST_XENCONS_BASE and a port whose other end is arx. Output the guest
 * puts in the ring goes to arx's console mux under the domain's tag, as
 * PL011 output does. Input goes to both the ring and the PL011 until the
 * guest has taken some from the ring, and from then on to the ring only
 * (console_input.c): arx cannot tell which one the guest's console is
 * (console=hvc0 or ttyAMA0) until it reads. The indexes
 * live in guest memory, so they are read once, checked, and never trusted
 * to stay put.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/heap.h>
#include <arx/page_alloc.h>
#include <arx/string.h>
#include <arx/xen.h>
#include <public/console.h>
#include <public/event_channel.h>

static struct xencons_interface *ring_of(struct domain *d)
{
	return (struct xencons_interface *)d->xen.console_ring;
}

int xen_console_init(struct domain *d)
{
	paddr_t pa = palloc_alloc(1, PAGE_SIZE);
	if (!pa)
		return -1;
	memset((void *)pa, 0, PAGE_SIZE);
	d->xen.console_ring = pa;
	if (stage2_map_page(&d->s2, GUEST_XENCONS_BASE, pa, S2_RAM))
		return -1;
	d->xen.console_port = evtchn_alloc_arx_port(d);
	return d->xen.console_port ? 0 : -1;
}

/*
 * The control domain's console is arx's: it writes with console_io, and
 * what is typed for it waits here until it reads with console_io, told by
 * VIRQ_CONSOLE (Linux's hvc0 on the initial domain works this way).
 */
#define CONTROL_INPUT 1024

int xen_console_control_init(struct domain *d)
{
	d->xen.cons_in = heap_alloc(CONTROL_INPUT);
	return d->xen.cons_in ? 0 : -1;
}

size_t xen_console_control_read(struct domain *d, char *buf, size_t len)
{
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	size_t n = 0;
	for (; d->xen.cons_in && n < len && d->xen.cons_in_count; n++) {
		buf[n] = d->xen.cons_in[d->xen.cons_in_head];
		d->xen.cons_in_head = (d->xen.cons_in_head + 1) % CONTROL_INPUT;
		d->xen.cons_in_count--;
	}
	spin_unlock_irqrestore(&xen_lock, flags);
	if (n)
		console_input_room();
	return n;
}

void xen_console_destroy(struct domain *d)
{
	heap_free(d->xen.cons_in);
	d->xen.cons_in = NULL;
	if (d->xen.console_ring)
		palloc_free(d->xen.console_ring, 1);
	d->xen.console_ring = 0;
	d->xen.console_port = 0;
}

void xen_console_kick(struct domain *d)
{
	struct xencons_interface *r = ring_of(d);
	if (!r)
		return;
	XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_RELAXED);
	XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > XENCONS_OUT_RING_SIZE)
		cons = prod; /* indexes that cannot be: drop what is there */
	for (; cons != prod; cons++)
		console_guest_putc(d->id, r->out[XENCONS_OUT_MASK(cons)]);
	__atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
	evtchn_raise(d, d->xen.console_port); /* room again; and it may have read input */
	console_input_room();
}

bool xen_console_reads(struct domain *d)
{
	if (d->xen.cons_in)
		return true; /* the control domain reads with console_io only */
	struct xencons_interface *r = ring_of(d);
	if (r && !d->xen.console_reads && __atomic_load_n(&r->in_cons, __ATOMIC_RELAXED))
		d->xen.console_reads = true;
	return d->xen.console_reads;
}

bool xen_console_has_room(struct domain *d)
{
	if (d->xen.cons_in)
		return d->xen.cons_in_count < CONTROL_INPUT;
	struct xencons_interface *r = ring_of(d);
	if (!r || !d->xen.console_port)
		return false;
	XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_RELAXED);
	return prod - cons < XENCONS_IN_RING_SIZE;
}

void xen_console_receive(struct domain *d, char c)
{
	uint64_t flags = spin_lock_irqsave(&xen_lock);
	struct xencons_interface *r = ring_of(d);
	if (d->xen.cons_in && d->xen.cons_in_count < CONTROL_INPUT) {
		d->xen.cons_in[(d->xen.cons_in_head + d->xen.cons_in_count++) % CONTROL_INPUT] = c;
		evtchn_raise_virq(d, VIRQ_CONSOLE);
	} else if (r) {
		XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_RELAXED);
		r->in[XENCONS_IN_MASK(prod)] = c;
		__atomic_store_n(&r->in_prod, prod + 1, __ATOMIC_RELEASE);
		evtchn_raise(d, d->xen.console_port);
	}
	spin_unlock_irqrestore(&xen_lock, flags);
}
