/*
 * A PL011 (ARM DDI 0183) as guests see it. For the domains arx builds,
 * what they write goes to arx's console at once, so the transmit FIFO is
 * always empty; what the person at the console types for this domain waits
 * in a small receive FIFO. For a domain Xen's toolstack built with
 * vuart = "sbsa_uart" the other end is xenconsoled in the control domain,
 * through a console ring in one of the domain's pages and an event channel
 * (Xen's vpl011): the FIFOs are that ring's halves. The interrupt line is
 * the OR of the unmasked raw interrupts, as Linux's amba-pl011 driver
 * expects.
 */
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/heap.h>
#include <arx/vpl011.h>
#include <arx/xen.h>
#include <public/console.h>

#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_ALL 0x7ffu

#define RX_FIFO 32

struct vpl011 {
	spinlock_t lock;
	struct domain *dom;
	unsigned int intid;
	char rx[RX_FIFO];
	unsigned int rx_head, rx_count;
	uint32_t ris, imsc, cr, lcr_h, ibrd, fbrd, ifls, dmacr;
	/* The ring backend: xenconsoled's end of the console ring and our port to it. */
	struct xencons_interface *ring;
	uint32_t port;
	bool kick; /* the ring changed: tell the other end once the access is done */
};

/* The ring's indexes live in guest memory: read once, and nonsense means empty. */
static XENCONS_RING_IDX ring_in_avail(struct vpl011 *u)
{
	XENCONS_RING_IDX n = __atomic_load_n(&u->ring->in_prod, __ATOMIC_ACQUIRE) -
			     __atomic_load_n(&u->ring->in_cons, __ATOMIC_RELAXED);
	return n <= XENCONS_IN_RING_SIZE ? n : 0;
}

static bool ring_out_full(struct vpl011 *u)
{
	XENCONS_RING_IDX n = __atomic_load_n(&u->ring->out_prod, __ATOMIC_RELAXED) -
			     __atomic_load_n(&u->ring->out_cons, __ATOMIC_ACQUIRE);
	return n >= XENCONS_OUT_RING_SIZE;
}

static uint32_t ring_pop(struct vpl011 *u)
{
	if (!ring_in_avail(u))
		return 0;
	XENCONS_RING_IDX cons = __atomic_load_n(&u->ring->in_cons, __ATOMIC_RELAXED);
	uint32_t c = (uint8_t)u->ring->in[XENCONS_IN_MASK(cons)];
	__atomic_store_n(&u->ring->in_cons, cons + 1, __ATOMIC_RELEASE);
	u->kick = true;
	return c;
}

static void ring_push(struct vpl011 *u, char c)
{
	if (ring_out_full(u))
		return; /* the guest did not wait for TXFF to clear: dropped, as by a full FIFO */
	XENCONS_RING_IDX prod = __atomic_load_n(&u->ring->out_prod, __ATOMIC_RELAXED);
	u->ring->out[XENCONS_OUT_MASK(prod)] = c;
	__atomic_store_n(&u->ring->out_prod, prod + 1, __ATOMIC_RELEASE);
	u->kick = true;
}

/* RX and TX state of the ring backend as raw interrupts. */
static void ring_status(struct vpl011 *u)
{
	u->ris &= ~(INT_RX | INT_RT | INT_TX);
	if (ring_in_avail(u))
		u->ris |= INT_RX | INT_RT;
	if (!ring_out_full(u))
		u->ris |= INT_TX;
}

/* PrimeCell identification: peripheral 0x00041011, cell 0xb105f00d. */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void update_line(struct vpl011 *u)
{
	vgic_set_level(u->dom, u->intid, (u->ris & u->imsc) != 0);
}

static uint32_t pop_rx(struct vpl011 *u)
{
	if (u->ring)
		return ring_pop(u);
	if (u->rx_count == 0)
		return 0;
	char c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % RX_FIFO;
	if (--u->rx_count == 0)
		u->ris &= ~(INT_RX | INT_RT);
	if (u->rx_count == RX_FIFO / 2)
		console_input_room(); /* the console stopped feeding us when we were full */
	return (uint8_t)c;
}

static uint32_t read_reg(struct vpl011 *u, uint64_t off)
{
	switch (off) {
	case DR: return pop_rx(u);
	case FR:
		if (u->ring)
			return (ring_in_avail(u) ? 0 : FR_RXFE) | (ring_out_full(u) ? FR_TXFF : FR_TXFE);
		return FR_TXFE | (u->rx_count ? 0 : FR_RXFE) | (u->rx_count == RX_FIFO ? FR_RXFF : 0);
	case IBRD: return u->ibrd;
	case FBRD: return u->fbrd;
	case LCR_H: return u->lcr_h;
	case CR: return u->cr;
	case IFLS: return u->ifls;
	case IMSC: return u->imsc;
	case RIS: return u->ris;
	case MIS: return u->ris & u->imsc;
	case DMACR: return u->dmacr;
	}
	if (off >= 0xfe0 && off < 0x1000)
		return id_regs[(off - 0xfe0) / 4];
	return 0;
}

static void write_reg(struct vpl011 *u, uint64_t off, uint32_t val)
{
	switch (off) {
	case DR:
		if (u->ring)
			ring_push(u, (char)val);
		else
			console_guest_putc(u->dom->id, (char)val);
		u->ris |= INT_TX;
		break;
	case IBRD: u->ibrd = val & 0xffff; break;
	case FBRD: u->fbrd = val & 0x3f; break;
	case LCR_H: u->lcr_h = val & 0xff; break;
	case CR: u->cr = val & 0xffff; break;
	case IFLS: u->ifls = val & 0x3f; break;
	case IMSC: u->imsc = val & INT_ALL; break;
	case ICR: u->ris &= ~val; break;
	case DMACR: u->dmacr = val & 7; break;
	}
}

static bool vpl011_access(struct vcpu *v, struct mmio_access *a, void *dev)
{
	(void)v;
	struct vpl011 *u = dev;
	if ((a->offset & 3) || a->size > 4)
		return false;
	spin_lock(&u->lock);
	uint32_t before = u->ris & u->imsc;
	if (a->write)
		write_reg(u, a->offset, (uint32_t)a->value);
	else
		a->value = read_reg(u, a->offset);
	if (u->ring)
		ring_status(u);
	if ((u->ris & u->imsc) != before) /* most accesses leave the line as it was */
		update_line(u);
	bool kick = u->kick;
	u->kick = false;
	spin_unlock(&u->lock);
	if (kick) /* outside our lock: xen_lock comes first */
		xen_notify_port(u->dom, u->port);
	return true;
}

void vpl011_ring_event(struct domain *d)
{
	struct vpl011 *u = d->uart;
	if (!u || !u->ring)
		return;
	spin_lock(&u->lock);
	ring_status(u);
	update_line(u);
	spin_unlock(&u->lock);
}

bool vpl011_has_room(struct domain *d)
{
	return d->uart && !d->uart->ring && d->uart->rx_count < RX_FIFO;
}

void vpl011_receive(struct domain *d, char c)
{
	struct vpl011 *u = d->uart;
	if (!u)
		return;
	spin_lock(&u->lock);
	if (u->rx_count < RX_FIFO) {
		u->rx[(u->rx_head + u->rx_count) % RX_FIFO] = c;
		u->rx_count++;
		u->ris |= INT_RX | INT_RT;
	}
	update_line(u);
	spin_unlock(&u->lock);
}

static struct vpl011 *new_uart(struct domain *d, unsigned int intid)
{
	struct vpl011 *u = heap_alloc(sizeof(*u));
	if (!u)
		return NULL;
	u->dom = d;
	u->intid = intid;
	u->cr = 0x300; /* TXE | RXE, the reset value */
	u->ifls = 0x12;
	return u;
}

int vpl011_init(struct domain *d)
{
	if (!d->map.uart)
		return 0; /* none in its map (a domain the toolstack builds) */
	d->uart = new_uart(d, 32 + GUEST_UART_SPI);
	if (!d->uart)
		return -1;
	return mmio_register(&d->mmio, d->map.uart, GUEST_UART_SIZE, vpl011_access, d->uart);
}

int vpl011_init_ring(struct domain *d, paddr_t base, unsigned int intid, paddr_t ring,
		     uint32_t port)
{
	if (d->uart)
		return -1;
	struct vpl011 *u = new_uart(d, intid);
	if (!u)
		return -1;
	u->ring = (struct xencons_interface *)ring;
	u->port = port;
	if (mmio_register(&d->mmio, base, GUEST_UART_SIZE, vpl011_access, u)) {
		heap_free(u);
		return -1;
	}
	d->map.uart = base;
	d->uart = u;
	return 0;
}
