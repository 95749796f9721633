/*
 * hostile-front: a misbehaving block front-end, run in a Linux domU against the real
 * blkback of domain 0, to show that what a frontend gets wrong comes back as an error
 * response and never harms dom0 or arx.
 *
 *   hostile-front VDEV      (e.g. 51728 for xvdb; blkfront must be unbound from it first:
 *                            echo vbd-51728 > /sys/bus/xen/drivers/vbd/unbind)
 *
 * It connects to the backend by hand, as blkfront would (a ring page and a data page
 * granted through /dev/xen/gntalloc, an event channel through /dev/xen/evtchn, the
 * frontend keys written through /dev/xen/xenbus), then puts requests on the ring: valid
 * reads, and reads with grant refs that do not exist or are not granted to the backend,
 * a page granted read-only, too many segments, sector ranges outside a page or past the
 * disk's end, an unknown operation, an indirect request larger than allowed; then a
 * producer index far past the ring's end. Each case prints
 *   HOSTILE-FRONT case NAME: status S (expected E) ok|FAILED
 * and the run ends with "N passed, M failed".  The ring layouts (blkif, the shared ring
 * header) and the xenstore wire format are the facts of Xen's public io/ headers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The Xen UAPI headers use these types without defining them. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

#define PAGE 4096u

/* io/xs_wire.h */
enum { XS_READ = 2, XS_WRITE = 11, XS_ERROR = 16 };
struct xs_msg {
	uint32_t type, req_id, tx_id, len;
};

/* io/xenbus.h */
enum { XB_INITIALISING = 1, XB_INITWAIT = 2, XB_INITIALISED = 3, XB_CONNECTED = 4,
       XB_CLOSED = 6 };

/* io/blkif.h, native arm64 layout: 112-byte requests, 16-byte responses. */
enum { BLKIF_OP_READ = 0, BLKIF_OP_INDIRECT = 6 };
enum { BLKIF_RSP_EOPNOTSUPP = -2, BLKIF_RSP_ERROR = -1, BLKIF_RSP_OKAY = 0 };
struct blkif_segment {
	uint32_t gref;
	uint8_t first_sect, last_sect;
	uint16_t pad;
};
struct blkif_request {
	uint8_t operation, nr_segments;
	uint16_t handle;
	uint32_t pad;
	uint64_t id, sector;
	struct blkif_segment seg[11];
};
struct blkif_response {
	uint64_t id;
	uint8_t operation, pad;
	int16_t status;
	uint32_t pad2;
};
/* io/ring.h: producer and consumer indexes, 48 bytes of padding, then the entries. */
struct sring {
	volatile uint32_t req_prod, req_event, rsp_prod, rsp_event;
	uint8_t pad[48];
	union {
		struct blkif_request req;
		struct blkif_response rsp;
	} ring[];
};
#define RING_SIZE 32 /* (4096 - 64) / 112 entries, rounded down to a power of two */

static int xb_fd, ev_fd, ga_fd;
static uint32_t port, req_prod, rsp_cons, next_id = 1;
static struct sring *ring;
static char front[64], back[128];
static uint16_t backend_id;

static void die(const char *what)
{
	fprintf(stderr, "hostile-front: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* One xenstore request; the reply's payload (NUL-terminated) in out, or -1 on XS_ERROR. */
static int xs(uint32_t type, const char *a, const char *b, char *out, size_t outlen)
{
	char buf[4096];
	size_t la = strlen(a) + 1, lb = b ? strlen(b) : 0;
	struct xs_msg m = { .type = type, .req_id = 1, .len = (uint32_t)(la + lb) };
	memcpy(buf, &m, sizeof(m));
	memcpy(buf + sizeof(m), a, la);
	if (b)
		memcpy(buf + sizeof(m) + la, b, lb);
	if (write(xb_fd, buf, sizeof(m) + la + lb) < 0)
		die("xenbus write");
	ssize_t n = read(xb_fd, buf, sizeof(buf) - 1);
	if (n < (ssize_t)sizeof(m))
		die("xenbus read");
	memcpy(&m, buf, sizeof(m));
	buf[n] = 0;
	if (out)
		snprintf(out, outlen, "%s", buf + sizeof(m));
	return m.type == XS_ERROR ? -1 : 0;
}

static void xs_write(const char *dir, const char *key, const char *fmt, unsigned long v)
{
	char path[256], val[32];
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), fmt, v);
	if (xs(XS_WRITE, path, val, NULL, 0))
		fprintf(stderr, "hostile-front: cannot write %s\n", path), exit(2);
}

static int backend_state(void)
{
	char path[160], val[32];
	snprintf(path, sizeof(path), "%s/state", back);
	return xs(XS_READ, path, NULL, val, sizeof(val)) ? -1 : atoi(val);
}

static void wait_backend(int state)
{
	for (int i = 0; i < 300; i++) {
		if (backend_state() == state)
			return;
		usleep(100000);
	}
	fprintf(stderr, "hostile-front: the backend never reached state %d (it is %d)\n", state,
		backend_state());
	exit(2);
}

/* count pages granted to the backend (writable or not), mapped here; their refs in refs. */
static void *grant(unsigned int count, int writable, uint32_t *refs)
{
	struct ioctl_gntalloc_alloc_gref *a = calloc(1, sizeof(*a) + count * sizeof(uint32_t));
	a->domid = backend_id;
	a->flags = writable ? GNTALLOC_FLAG_WRITABLE : 0;
	a->count = count;
	if (ioctl(ga_fd, IOCTL_GNTALLOC_ALLOC_GREF, a))
		die("gntalloc");
	void *p = mmap(NULL, count * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga_fd, a->index);
	if (p == MAP_FAILED)
		die("mmap of the granted pages");
	memcpy(refs, a->gref_ids, count * sizeof(uint32_t));
	free(a);
	return p;
}

static void notify(void)
{
	struct ioctl_evtchn_notify n = { .port = port };
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (ioctl(ev_fd, IOCTL_EVTCHN_NOTIFY, &n))
		die("evtchn notify");
}

/* The status of the response to request id, or 1 if none came within ms milliseconds. */
static int response(uint64_t id, int ms)
{
	for (int waited = 0; waited <= ms; waited += 100) {
		while (rsp_cons != __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE)) {
			struct blkif_response r = ring->ring[rsp_cons++ % RING_SIZE].rsp;
			ring->rsp_event = rsp_cons + 1;
			if (r.id == id)
				return r.status;
		}
		struct pollfd p = { .fd = ev_fd, .events = POLLIN };
		uint32_t fired;
		if (poll(&p, 1, 100) > 0 && read(ev_fd, &fired, sizeof(fired)) == sizeof(fired))
			if (write(ev_fd, &fired, sizeof(fired)) != sizeof(fired)) /* unmask */
				die("evtchn unmask");
	}
	return 1;
}

static int passed, failed;

/* Puts req on the ring and checks the backend's answer. */
static void check(const char *name, struct blkif_request *req, int expected)
{
	req->id = next_id++;
	ring->ring[req_prod % RING_SIZE].req = *req;
	__atomic_store_n(&ring->req_prod, ++req_prod, __ATOMIC_RELEASE);
	notify();
	int status = response(req->id, 10000);
	int ok = status == expected;
	printf("HOSTILE-FRONT case %s: status %d (expected %d) %s\n", name, status, expected,
	       ok ? "ok" : "FAILED");
	fflush(stdout);
	ok ? passed++ : failed++;
}

static struct blkif_request read_of(uint32_t gref, uint64_t sector)
{
	return (struct blkif_request){ .operation = BLKIF_OP_READ, .nr_segments = 1,
				       .sector = sector,
				       .seg[0] = { .gref = gref, .first_sect = 0, .last_sect = 7 } };
}

static void connect(void)
{
	uint32_t refs[2], ro_ref;
	ring = grant(2, 1, refs);
	memset(ring, 0, PAGE);
	ring->rsp_event = 1;
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = backend_id };
	int p = ioctl(ev_fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
	if (p < 0)
		die("evtchn bind");
	port = (uint32_t)p;
	xs_write(front, "state", "%lu", XB_INITIALISING);
	wait_backend(XB_INITWAIT);
	xs_write(front, "ring-ref", "%lu", refs[0]);
	xs_write(front, "event-channel", "%lu", port);
	xs_write(front, "state", "%lu", XB_INITIALISED);
	wait_backend(XB_CONNECTED);
	grant(1, 0, &ro_ref);

	struct blkif_request r = read_of(refs[1], 0);
	check("valid-read", &r, BLKIF_RSP_OKAY);
	r = read_of(0x7fffffff, 0);
	check("gref-beyond-table", &r, BLKIF_RSP_ERROR);
	r = read_of(refs[1] + 4000, 0);
	check("gref-not-granted", &r, BLKIF_RSP_ERROR);
	r = read_of(ro_ref, 0);
	check("read-into-read-only-grant", &r, BLKIF_RSP_ERROR);
	r = read_of(refs[1], 0);
	r.nr_segments = 200;
	check("too-many-segments", &r, BLKIF_RSP_ERROR);
	r = read_of(refs[1], 0);
	r.seg[0].last_sect = 9;
	check("sector-past-page", &r, BLKIF_RSP_ERROR);
	r = read_of(refs[1], 0);
	r.seg[0].first_sect = 5, r.seg[0].last_sect = 2;
	check("first-after-last", &r, BLKIF_RSP_ERROR);
	r = read_of(refs[1], ~0ull >> 1);
	check("past-disk-end", &r, BLKIF_RSP_ERROR);
	r = read_of(refs[1], 0);
	r.operation = 0x77;
	check("unknown-operation", &r, BLKIF_RSP_EOPNOTSUPP);
	r = read_of(refs[1], 0); /* indirect: indirect_op, then a 16-bit count of 5000 */
	r.operation = BLKIF_OP_INDIRECT, r.nr_segments = BLKIF_OP_READ, r.handle = 5000;
	check("indirect-too-large", &r, BLKIF_RSP_ERROR);
	r = read_of(refs[1], 8);
	check("valid-read-after", &r, BLKIF_RSP_OKAY);

	/* A producer index far past the ring: the backend must stop reading it, not run off. */
	r = read_of(refs[1], 0);
	r.id = next_id++;
	ring->ring[req_prod % RING_SIZE].req = r;
	req_prod += 1000;
	__atomic_store_n(&ring->req_prod, req_prod, __ATOMIC_RELEASE);
	notify();
	int status = response(r.id, 3000);
	printf("HOSTILE-FRONT case ring-index-overrun: %s\n",
	       status == 1 ? "no response (ring halted) ok" : "answered FAILED");
	status == 1 ? passed++ : failed++;
}

int main(int argc, char **argv)
{
	char *end, val[64];
	unsigned long vdev = argc == 2 ? strtoul(argv[1], &end, 10) : 0;
	if (!vdev || *end) {
		fprintf(stderr, "usage: hostile-front VDEV   (e.g. 51728 for xvdb, with blkfront "
				"unbound from it)\n");
		return 2;
	}
	if ((xb_fd = open("/dev/xen/xenbus", O_RDWR)) < 0)
		die("/dev/xen/xenbus");
	if ((ev_fd = open("/dev/xen/evtchn", O_RDWR)) < 0)
		die("/dev/xen/evtchn");
	if ((ga_fd = open("/dev/xen/gntalloc", O_RDWR)) < 0)
		die("/dev/xen/gntalloc");
	snprintf(front, sizeof(front), "device/vbd/%lu", vdev);
	char path[96];
	snprintf(path, sizeof(path), "%s/backend", front);
	if (xs(XS_READ, path, NULL, back, sizeof(back)))
		fprintf(stderr, "hostile-front: no %s\n", path), exit(2);
	snprintf(path, sizeof(path), "%s/backend-id", front);
	if (xs(XS_READ, path, NULL, val, sizeof(val)))
		fprintf(stderr, "hostile-front: no %s\n", path), exit(2);
	backend_id = (uint16_t)atoi(val);
	connect();
	/* Closing: the backend unmaps the ring; our grants and port go with the process. */
	xs_write(front, "state", "%lu", XB_CLOSED);
	wait_backend(XB_CLOSED);
	printf("hostile-front: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
