/*
 * xchan: move data between two Xen (or arx) domains through grant-shared
 * pages and an event channel, from Linux userspace.  See tools/xchan/README
 * for the usage and the protocol; the short version:
 *
 *   xchan listen PEER_DOMID [--bytes N] [--pages P] [--timeout S] [--ping N]
 *   xchan connect PEER_DOMID PORT GREF [--bytes N] [--timeout S] [--ping N]
 *   xchan selftest
 *
 * The listener grants P pages (one header page, then the data pages) to the
 * peer through /dev/xen/gntalloc, allocates an unbound event channel port
 * for it through /dev/xen/evtchn, and prints "XCHAN-LISTEN port=.. gref=..".
 * The connector binds that port, maps the pages through /dev/xen/gntdev, and
 * both sides then stream a checked pseudo-random byte stream in each
 * direction at once, through two rings.
 *
 * Exit status: 0 success, 1 usage or system call error, 2 the peer stopped
 * responding, 3 received data did not match the expected stream.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <signal.h>
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
#include <xen/gntdev.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "xchan assumes a little-endian CPU (the stream's bytes are words in LE order)"
#endif

#define XEN_PAGE 4096u

/* ------------------------------------------------------------------ protocol */

#define XCHAN_MAGIC 0x4e484358u         /* "XCHN" in little-endian memory */
#define XCHAN_VERSION 1u

#define MODE_DATA 0u
#define MODE_PING 1u

/* connect_state, written by the connector */
#define CONN_NONE 0u
#define CONN_CONNECTED 1u
#define CONN_REJECTED 2u
#define CONN_DONE 3u
/* listen_state, written by the listener */
#define LISTEN_WAITING 0u
#define LISTEN_ACCEPTED 1u

/* One direction's indices: free-running byte counts, each on its own line. */
struct ring_idx {
    uint64_t prod;                      /* written by the producer only */
    uint8_t pad0[56];
    uint64_t cons;                      /* written by the consumer only */
    uint8_t pad1[56];
};

/* The header page (page 0 of the grant).  Little-endian, fixed offsets. */
struct header {
    uint32_t magic;                     /*   0  XCHAN_MAGIC, stored last by the listener */
    uint32_t version;                   /*   4  XCHAN_VERSION */
    uint32_t data_pages;                /*   8  D: data pages after this one (even) */
    uint32_t ring_bytes;                /*  12  bytes of each ring = D / 2 * 4096 */
    uint32_t mode;                      /*  16  MODE_DATA or MODE_PING */
    uint32_t pad0;                      /*  20 */
    uint64_t ping_count;                /*  24  round trips in MODE_PING */
    uint64_t listen_bytes;              /*  32  bytes the listener sends */
    uint64_t connect_bytes;             /*  40  bytes the connector sends */
    uint32_t connect_state;             /*  48  CONN_* (connector) */
    uint32_t listen_state;              /*  52  LISTEN_* (listener) */
    uint64_t ping_seq;                  /*  56  last ping sent (connector) */
    uint64_t pong_seq;                  /*  64  last ping answered (listener) */
    uint8_t pad1[56];                   /*  72 */
    uint32_t listen_waiting;            /* 128  listener is about to sleep: notify it */
    uint8_t pad2[60];
    uint32_t connect_waiting;           /* 192  connector is about to sleep: notify it */
    uint8_t pad3[60];
    struct ring_idx lc;                 /* 256  ring listener -> connector */
    struct ring_idx cl;                 /* 384  ring connector -> listener */
    uint32_t grefs[(XEN_PAGE - 512) / 4]; /* 512  grant refs of the data pages */
};
_Static_assert(sizeof(struct header) == XEN_PAGE, "header is one page");
_Static_assert(__builtin_offsetof(struct header, listen_waiting) == 128, "listen_waiting at 128");
_Static_assert(__builtin_offsetof(struct header, connect_waiting) == 192, "connect_waiting at 192");
_Static_assert(__builtin_offsetof(struct header, lc) == 256, "lc at 256");
_Static_assert(__builtin_offsetof(struct header, cl.cons) == 448, "cl.cons at 448");
_Static_assert(__builtin_offsetof(struct header, grefs) == 512, "grefs at 512");
#define MAX_DATA_PAGES ((unsigned)(sizeof(((struct header *)0)->grefs) / 4))

/* Stream seeds, one per direction. */
#define SEED_LC 0x243f6a8885a308d3ull   /* listener -> connector */
#define SEED_CL 0x13198a2e03707344ull   /* connector -> listener */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

#define EXIT_SYS 1
#define EXIT_STALLED 2
#define EXIT_MISMATCH 3

/* ------------------------------------------------------------------ stream and checksum */

/*
 * The stream of a direction: xorshift64 (shifts 13, 7, 17) from the seed;
 * each step's new state gives the next 8 bytes, least significant first.
 * The checksum is FNV-1a 64 over the bytes.  Both are kept per direction
 * with a position, so any split of the stream into pieces gives the same.
 */
struct stream {
    uint64_t state;
    uint64_t word;                      /* current word's value */
    unsigned used;                      /* bytes of word already taken (8: none left) */
    uint64_t sum;                       /* FNV-1a 64 of the bytes so far */
    uint64_t pos;                       /* bytes so far */
};

static void stream_init(struct stream *s, uint64_t seed)
{
    s->state = seed;
    s->word = 0;
    s->used = 8;
    s->sum = FNV_OFFSET;
    s->pos = 0;
}

static inline uint64_t xorshift_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

static inline uint64_t fnv_word(uint64_t h, uint64_t w)
{
    for (int i = 0; i < 8; i++) {
        h ^= (w >> (8 * i)) & 0xff;
        h *= FNV_PRIME;
    }
    return h;
}

static inline uint64_t fnv_byte(uint64_t h, uint8_t b)
{
    return (h ^ b) * FNV_PRIME;
}

/* Next byte of the stream (slow path, for pieces not on a word boundary). */
static inline uint8_t stream_byte(struct stream *s)
{
    if (s->used == 8) {
        s->word = xorshift_next(&s->state);
        s->used = 0;
    }
    return (uint8_t)(s->word >> (8 * s->used++));
}

/* Writes the next len bytes of the stream to dst (shared memory) and sums them. */
static void stream_fill(struct stream *s, uint8_t *dst, size_t len)
{
    uint64_t h = s->sum;
    size_t i = 0;

    s->pos += len;
    while (i < len && s->used != 8) {
        uint8_t b = stream_byte(s);
        dst[i++] = b;
        h = fnv_byte(h, b);
    }
    for (; len - i >= 8; i += 8) {
        uint64_t w = xorshift_next(&s->state);
        memcpy(dst + i, &w, 8);
        h = fnv_word(h, w);
    }
    while (i < len) {
        uint8_t b = stream_byte(s);
        dst[i++] = b;
        h = fnv_byte(h, b);
    }
    s->sum = h;
}

/*
 * Checks the next len bytes of the stream against src (shared memory, each
 * byte read once) and sums what was read.  Returns the stream offset of the
 * first byte that differs, or UINT64_MAX when all match.
 */
static uint64_t stream_check(struct stream *s, const uint8_t *src, size_t len)
{
    uint64_t h = s->sum, bad = UINT64_MAX, base = s->pos;
    size_t i = 0;

    s->pos += len;
    while (i < len && s->used != 8) {
        uint8_t b = src[i], e = stream_byte(s);
        if (b != e && bad == UINT64_MAX)
            bad = base + i;
        h = fnv_byte(h, b);
        i++;
    }
    for (; len - i >= 8; i += 8) {
        uint64_t w, e = xorshift_next(&s->state);
        memcpy(&w, src + i, 8);
        if (w != e && bad == UINT64_MAX)
            bad = base + i + (unsigned)__builtin_ctzll(w ^ e) / 8;
        h = fnv_word(h, w);
    }
    while (i < len) {
        uint8_t b = src[i], e = stream_byte(s);
        if (b != e && bad == UINT64_MAX)
            bad = base + i;
        h = fnv_byte(h, b);
        i++;
    }
    s->sum = h;
    return bad;
}

/* ------------------------------------------------------------------ errors and cleanup */

struct chan {
    /* options */
    int listener;                       /* 1: listen role, 0: connect role */
    unsigned peer;
    uint64_t send_bytes;
    unsigned pages;                     /* listener: header + data pages */
    double timeout;                     /* seconds without progress */
    uint64_t ping;                      /* 0: data mode */
    unsigned remote_port;               /* connector */
    unsigned header_gref;               /* connector */
    /* resources, released by cleanup() */
    int evtchn_fd;
    int port;                           /* local port, -1 when none */
    int gntalloc_fd;
    uint64_t alloc_index;               /* gntalloc: mmap offset of all pages */
    int alloc_done;
    int gntdev_fd;
    uint64_t hdr_index, data_index;     /* gntdev: mmap offsets */
    int hdr_mapped, data_mapped;        /* gntdev: grant maps made */
    void *area;                         /* listener: all pages; connector: data pages */
    size_t area_len;
    volatile struct header *hdr;
    uint8_t *data;
    unsigned data_pages;
    unsigned ring_bytes;
};

static struct chan ch = {
    .evtchn_fd = -1, .port = -1, .gntalloc_fd = -1, .gntdev_fd = -1,
};
static int cleaning;

static void cleanup(void);

static void vsay(const char *fmt, va_list ap)
{
    fflush(stdout);
    fputs("xchan: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static void __attribute__((format(printf, 1, 2))) warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
}

/* Prints "xchan: <what>" and exits with status after releasing what was set up. */
static void __attribute__((noreturn, format(printf, 2, 3))) fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
    if (!cleaning)
        cleanup();
    exit(status);
}

/* A system call failed: "xchan: <what>: <strerror>", exit 1. */
#define sys_fail(what) fail(EXIT_SYS, "%s: %s", (what), strerror(errno))

static void usage(void)
{
    fputs("usage: xchan listen PEER_DOMID [--bytes N] [--pages P] [--timeout S] [--ping N]\n"
          "       xchan connect PEER_DOMID PORT GREF [--bytes N] [--timeout S] [--ping N]\n"
          "       xchan selftest\n"
          "N may end in K, M or G (powers of 1024); defaults: --bytes 64M --pages 17\n"
          "--timeout 5 (seconds without progress from the peer)\n", stderr);
    exit(EXIT_SYS);
}

/*
 * Gives back everything, in the order the drivers want: munmap before
 * IOCTL_GNTDEV_UNMAP_GRANT_REF and IOCTL_GNTALLOC_DEALLOC_GREF, the event
 * channel unbound last.  Failures are reported and the rest still released.
 */
static void release_grants(void)
{
    if (ch.listener) {
        if (ch.area && munmap(ch.area, ch.area_len) != 0)
            warn("munmap of granted pages: %s", strerror(errno));
        ch.area = NULL;
        ch.hdr = NULL;
        if (ch.alloc_done) {
            struct ioctl_gntalloc_dealloc_gref d = { .index = ch.alloc_index, .count = ch.pages };
            if (ioctl(ch.gntalloc_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d) != 0)
                warn("IOCTL_GNTALLOC_DEALLOC_GREF: %s", strerror(errno));
            ch.alloc_done = 0;
        }
    } else {
        if (ch.area && munmap(ch.area, ch.area_len) != 0)
            warn("munmap of data pages: %s", strerror(errno));
        ch.area = NULL;
        if (ch.hdr && munmap((void *)ch.hdr, XEN_PAGE) != 0)
            warn("munmap of header page: %s", strerror(errno));
        ch.hdr = NULL;
        if (ch.data_mapped) {
            struct ioctl_gntdev_unmap_grant_ref u = { .index = ch.data_index, .count = ch.data_pages };
            if (ioctl(ch.gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) != 0)
                warn("IOCTL_GNTDEV_UNMAP_GRANT_REF (data pages): %s", strerror(errno));
            ch.data_mapped = 0;
        }
        if (ch.hdr_mapped) {
            struct ioctl_gntdev_unmap_grant_ref u = { .index = ch.hdr_index, .count = 1 };
            if (ioctl(ch.gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) != 0)
                warn("IOCTL_GNTDEV_UNMAP_GRANT_REF (header page): %s", strerror(errno));
            ch.hdr_mapped = 0;
        }
    }
    if (ch.gntalloc_fd >= 0)
        close(ch.gntalloc_fd);
    if (ch.gntdev_fd >= 0)
        close(ch.gntdev_fd);
    ch.gntalloc_fd = ch.gntdev_fd = -1;
}

static void release_evtchn(void)
{
    if (ch.port >= 0) {
        struct ioctl_evtchn_unbind u = { .port = (unsigned)ch.port };
        if (ioctl(ch.evtchn_fd, IOCTL_EVTCHN_UNBIND, &u) != 0)
            warn("IOCTL_EVTCHN_UNBIND: %s", strerror(errno));
        ch.port = -1;
    }
    if (ch.evtchn_fd >= 0)
        close(ch.evtchn_fd);
    ch.evtchn_fd = -1;
}

static void cleanup(void)
{
    cleaning = 1;
    release_grants();
    release_evtchn();
    cleaning = 0;
}

/* ------------------------------------------------------------------ arguments */

/* Parses a decimal count with an optional K/M/G suffix; 0 on error. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    uint64_t v, mul = 1;

    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return 0;
    switch (*end) {
    case 'K': case 'k': mul = 1ull << 10; end++; break;
    case 'M': case 'm': mul = 1ull << 20; end++; break;
    case 'G': case 'g': mul = 1ull << 30; end++; break;
    }
    if (*end || (v && mul > UINT64_MAX / v))
        return 0;
    *out = v * mul;
    return 1;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return !errno && !*end && *out <= max;
}

static int parse_seconds(const char *s, double *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    *out = strtod(s, &end);
    return !errno && !*end && *out > 0 && *out <= 86400;
}

/* Domain ids below DOMID_FIRST_RESERVED (0x7ff0) name domains. */
#define MAX_DOMID 0x7fefu

/* Fills *c from argv; returns 0 with a message on stderr if they are wrong. */
static int parse_args(struct chan *c, int argc, char **argv)
{
    int i, positional;
    uint64_t v;

    c->send_bytes = 64ull << 20;
    c->pages = 17;
    c->timeout = 5;
    c->ping = 0;
    if (argc < 2)
        return 0;
    if (strcmp(argv[1], "listen") == 0) {
        c->listener = 1;
        positional = 1;
    } else if (strcmp(argv[1], "connect") == 0) {
        c->listener = 0;
        positional = 3;
    } else {
        return 0;
    }
    if (argc < 2 + positional) {
        fprintf(stderr, "xchan: %s needs %d arguments\n", argv[1], positional);
        return 0;
    }
    if (!parse_uint(argv[2], MAX_DOMID, &v)) {
        fprintf(stderr, "xchan: bad domain id '%s'\n", argv[2]);
        return 0;
    }
    c->peer = (unsigned)v;
    if (!c->listener) {
        if (!parse_uint(argv[3], UINT32_MAX, &v)) {
            fprintf(stderr, "xchan: bad port '%s'\n", argv[3]);
            return 0;
        }
        c->remote_port = (unsigned)v;
        if (!parse_uint(argv[4], UINT32_MAX, &v)) {
            fprintf(stderr, "xchan: bad grant ref '%s'\n", argv[4]);
            return 0;
        }
        c->header_gref = (unsigned)v;
    }
    for (i = 2 + positional; i < argc; i += 2) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) {
            fprintf(stderr, "xchan: %s needs a value\n", opt);
            return 0;
        }
        if (strcmp(opt, "--bytes") == 0) {
            if (!parse_size(val, &c->send_bytes)) {
                fprintf(stderr, "xchan: bad --bytes '%s'\n", val);
                return 0;
            }
        } else if (strcmp(opt, "--pages") == 0 && c->listener) {
            if (!parse_uint(val, 1 + MAX_DATA_PAGES, &v) || v < 3 || (v - 1) % 2) {
                fprintf(stderr, "xchan: --pages must be 1 + an even number of data pages,"
                        " 3 to %u\n", 1 + MAX_DATA_PAGES);
                return 0;
            }
            c->pages = (unsigned)v;
        } else if (strcmp(opt, "--timeout") == 0) {
            if (!parse_seconds(val, &c->timeout)) {
                fprintf(stderr, "xchan: bad --timeout '%s'\n", val);
                return 0;
            }
        } else if (strcmp(opt, "--ping") == 0) {
            if (!parse_uint(val, UINT32_MAX, &c->ping) || c->ping == 0) {
                fprintf(stderr, "xchan: bad --ping '%s'\n", val);
                return 0;
            }
        } else {
            fprintf(stderr, "xchan: unknown option '%s'\n", opt);
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------ event channel */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void notify_peer(void)
{
    struct ioctl_evtchn_notify n = { .port = (unsigned)ch.port };
    if (ioctl(ch.evtchn_fd, IOCTL_EVTCHN_NOTIFY, &n) != 0)
        sys_fail("IOCTL_EVTCHN_NOTIFY");
}

/*
 * Waits up to `seconds` (< 0: forever) for an event on our port.  A port the
 * driver reports stays masked until its number is written back, so it is
 * written back (unmasked) here, before the caller looks at the shared state
 * again: a notification sent after that look cannot be lost.
 */
static void wait_event(double seconds)
{
    struct pollfd p = { .fd = ch.evtchn_fd, .events = POLLIN };
    uint32_t ports[16];
    int ms = seconds < 0 ? -1 : (int)(seconds * 1000) + 1;
    ssize_t n;

    n = poll(&p, 1, ms);
    if (n < 0) {
        if (errno == EINTR)
            return;
        sys_fail("poll /dev/xen/evtchn");
    }
    if (n == 0)
        return;
    if (p.revents & POLLERR) {
        /* The driver's event ring overflowed: reset it; the state is re-read anyway. */
        if (ioctl(ch.evtchn_fd, IOCTL_EVTCHN_RESET) != 0)
            sys_fail("IOCTL_EVTCHN_RESET");
    }
    n = read(ch.evtchn_fd, ports, sizeof(ports));
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        sys_fail("read /dev/xen/evtchn");
    }
    if (n > 0 && write(ch.evtchn_fd, ports, (size_t)n) != n)
        sys_fail("write /dev/xen/evtchn (unmask)");
}

/* ------------------------------------------------------------------ shared state access */

static inline uint32_t ld32(volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline uint64_t ld64(volatile uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void st32(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline void st64(volatile uint64_t *p, uint64_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void __attribute__((noreturn)) stalled(const char *what, uint64_t count)
{
    fail(EXIT_STALLED, "peer domain %u stopped responding after %" PRIu64 " %s",
         ch.peer, count, what);
}

/*
 * The connector's view of a destroyed listener: its pages read as zeros, so
 * the magic is gone.  (The listener's pages are its own and never change.)
 */
static int peer_gone(void)
{
    return !ch.listener && ch.hdr && ld32(&ch.hdr->magic) != XCHAN_MAGIC;
}

/*
 * A write to the peer's pages after its domain ended: the hypervisor took
 * them back (arx leaves a read-only zero page), so the store faults. That is
 * the peer gone, said as a stall is; the message is made before any fault,
 * as a signal handler may only write it.
 */
static char gone_msg[160];

static void on_sigbus(int sig)
{
    (void)sig;
    ssize_t ignored = write(STDERR_FILENO, gone_msg, strlen(gone_msg));
    (void)ignored;
    _exit(EXIT_STALLED);
}

static void catch_revoked_pages(void)
{
    snprintf(gone_msg, sizeof(gone_msg),
             "xchan: peer domain %u stopped responding: its pages were taken back\n", ch.peer);
    struct sigaction sa = { .sa_handler = on_sigbus };
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGBUS, &sa, NULL) != 0)
        sys_fail("sigaction SIGBUS");
}

/* ------------------------------------------------------------------ setup */

/* Opens /dev/xen/evtchn and binds this side's port with the given ioctl. */
static void bind_port(unsigned long request, void *arg, const char *name)
{
    ch.evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (ch.evtchn_fd < 0)
        sys_fail("open /dev/xen/evtchn");
    int rc = ioctl(ch.evtchn_fd, request, arg);
    if (rc < 0)
        sys_fail(name);
    ch.port = rc;
}

static void setup_listener(void)
{
    size_t sz = sizeof(struct ioctl_gntalloc_alloc_gref) + (ch.pages - 1) * sizeof(uint32_t);
    struct ioctl_gntalloc_alloc_gref *a = calloc(1, sz);
    struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = ch.peer };
    volatile struct header *h;
    unsigned i;

    if (!a)
        sys_fail("calloc");
    ch.data_pages = ch.pages - 1;
    ch.ring_bytes = ch.data_pages / 2 * XEN_PAGE;

    ch.gntalloc_fd = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
    if (ch.gntalloc_fd < 0)
        sys_fail("open /dev/xen/gntalloc");
    a->domid = (uint16_t)ch.peer;
    a->flags = GNTALLOC_FLAG_WRITABLE;
    a->count = ch.pages;
    if (ioctl(ch.gntalloc_fd, IOCTL_GNTALLOC_ALLOC_GREF, a) != 0)
        sys_fail("IOCTL_GNTALLOC_ALLOC_GREF");
    ch.alloc_index = a->index;
    ch.alloc_done = 1;
    /* The mmap offset is the index the ioctl returned (a byte offset). */
    ch.area_len = (size_t)ch.pages * XEN_PAGE;
    ch.area = mmap(NULL, ch.area_len, PROT_READ | PROT_WRITE, MAP_SHARED, ch.gntalloc_fd,
                   (off_t)ch.alloc_index);
    if (ch.area == MAP_FAILED) {
        ch.area = NULL;
        sys_fail("mmap /dev/xen/gntalloc");
    }
    h = ch.hdr = ch.area;
    ch.data = (uint8_t *)ch.area + XEN_PAGE;
    memset(ch.area, 0, ch.area_len);

    bind_port(IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b, "IOCTL_EVTCHN_BIND_UNBOUND_PORT");

    h->version = XCHAN_VERSION;
    h->data_pages = ch.data_pages;
    h->ring_bytes = ch.ring_bytes;
    h->mode = ch.ping ? MODE_PING : MODE_DATA;
    h->ping_count = ch.ping;
    h->listen_bytes = ch.ping ? 0 : ch.send_bytes;
    for (i = 0; i < ch.data_pages; i++)
        h->grefs[i] = a->gref_ids[1 + i];
    st32(&h->magic, XCHAN_MAGIC);       /* release: everything above is visible first */

    printf("XCHAN-LISTEN port=%d gref=%u\n", ch.port, a->gref_ids[0]);
    if (fflush(stdout) != 0)
        sys_fail("write stdout");
    free(a);

    /* Wait (as long as it takes) for the connector. */
    while (ld32(&h->connect_state) == CONN_NONE)
        wait_event(-1);
    if (ld32(&h->connect_state) == CONN_REJECTED)
        fail(EXIT_SYS, "peer domain %u rejected the channel (different --ping?)", ch.peer);
    st32(&h->listen_state, LISTEN_ACCEPTED);
    notify_peer();
}

/* Maps count grants of the peer through gntdev; returns the address, sets *index. */
static void *gntdev_map(const uint32_t *refs, unsigned count, uint64_t *index, int *mapped,
                        const char *what)
{
    size_t sz = sizeof(struct ioctl_gntdev_map_grant_ref) +
                (count - 1) * sizeof(struct ioctl_gntdev_grant_ref);
    struct ioctl_gntdev_map_grant_ref *m = calloc(1, sz);
    char msg[80];
    void *p;
    unsigned i;

    if (!m)
        sys_fail("calloc");
    m->count = count;
    for (i = 0; i < count; i++) {
        m->refs[i].domid = ch.peer;
        m->refs[i].ref = refs[i];
    }
    if (ioctl(ch.gntdev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, m) != 0) {
        snprintf(msg, sizeof(msg), "IOCTL_GNTDEV_MAP_GRANT_REF (%s)", what);
        sys_fail(msg);
    }
    *index = m->index;
    *mapped = 1;
    free(m);
    /* One mmap of exactly the pages of that map, at the offset it returned. */
    p = mmap(NULL, (size_t)count * XEN_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ch.gntdev_fd,
             (off_t)*index);
    if (p == MAP_FAILED) {
        snprintf(msg, sizeof(msg), "mmap /dev/xen/gntdev (%s)", what);
        sys_fail(msg);
    }
    return p;
}

static void setup_connector(void)
{
    struct ioctl_evtchn_bind_interdomain b = {
        .remote_domain = ch.peer, .remote_port = ch.remote_port,
    };
    volatile struct header *h;
    uint32_t refs[MAX_DATA_PAGES];
    uint32_t hdr_ref = ch.header_gref;
    unsigned i;

    bind_port(IOCTL_EVTCHN_BIND_INTERDOMAIN, &b, "IOCTL_EVTCHN_BIND_INTERDOMAIN");

    ch.gntdev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
    if (ch.gntdev_fd < 0)
        sys_fail("open /dev/xen/gntdev");
    h = gntdev_map(&hdr_ref, 1, &ch.hdr_index, &ch.hdr_mapped, "header page");
    ch.hdr = h;

    if (ld32(&h->magic) != XCHAN_MAGIC)
        fail(EXIT_SYS, "grant %u of domain %u is not an xchan header (magic %#x)",
             hdr_ref, ch.peer, h->magic);
    if (h->version != XCHAN_VERSION)
        fail(EXIT_SYS, "peer speaks xchan protocol %u, not %u", h->version, XCHAN_VERSION);
    ch.data_pages = h->data_pages;
    ch.ring_bytes = h->ring_bytes;
    if (ch.data_pages < 2 || ch.data_pages > MAX_DATA_PAGES || ch.data_pages % 2 ||
        ch.ring_bytes != ch.data_pages / 2 * XEN_PAGE)
        fail(EXIT_SYS, "bad header: %u data pages, rings of %u bytes", ch.data_pages,
             ch.ring_bytes);
    for (i = 0; i < ch.data_pages; i++)
        refs[i] = h->grefs[i];

    if (h->mode != (ch.ping ? MODE_PING : MODE_DATA) || h->ping_count != ch.ping) {
        st32(&h->connect_state, CONN_REJECTED);
        notify_peer();
        fail(EXIT_SYS, "the listener uses --ping %" PRIu64 ", we use --ping %" PRIu64,
             h->mode == MODE_PING ? h->ping_count : 0, ch.ping);
    }

    ch.area_len = (size_t)ch.data_pages * XEN_PAGE;
    ch.area = gntdev_map(refs, ch.data_pages, &ch.data_index, &ch.data_mapped, "data pages");
    ch.data = ch.area;

    h->connect_bytes = ch.ping ? 0 : ch.send_bytes;
    st32(&h->connect_state, CONN_CONNECTED);
    notify_peer();

    /* The listener acknowledges, so neither side starts before the other is there. */
    double deadline = now() + ch.timeout;
    while (ld32(&h->listen_state) != LISTEN_ACCEPTED) {
        double left = deadline - now();
        if (peer_gone() || left <= 0)
            stalled("bytes", 0);
        wait_event(left);
    }
}

/*
 * The end: the connector says it is done and lets go of the pages (then
 * notifies); the listener waits for that before taking its grants back, so
 * it never ends a grant the connector still maps.  Not hearing from the peer
 * here is reported but not an error: all data had already moved.
 */
static void close_channel(void)
{
    volatile struct header *h = ch.hdr;

    if (ch.listener) {
        double deadline = now() + ch.timeout;
        while (ld32(&h->connect_state) != CONN_DONE) {
            double left = deadline - now();
            if (left <= 0) {
                warn("peer domain %u did not close the channel", ch.peer);
                break;
            }
            wait_event(left);
        }
        cleanup();
    } else {
        st32(&h->connect_state, CONN_DONE);
        cleaning = 1;
        release_grants();               /* the port stays bound until the peer is told */
        cleaning = 0;
        notify_peer();
        cleanup();
    }
}

/* ------------------------------------------------------------------ data transfer */

struct dir {
    volatile struct ring_idx *idx;
    uint8_t *buf;                       /* ring_bytes of data */
    uint64_t total;                     /* bytes in this direction */
    uint64_t mine;                      /* my index: prod (tx) or cons (rx), kept privately */
    struct stream s;
};

/* Produces what fits; returns whether anything was written. */
static int tx_step(struct dir *d)
{
    uint64_t cons = ld64(&d->idx->cons), used = d->mine - cons, n, off, first;

    if (d->mine >= d->total || used > ch.ring_bytes)
        return 0;                       /* done, or an impossible index: no progress */
    n = ch.ring_bytes - used;
    if (n > d->total - d->mine)
        n = d->total - d->mine;
    if (!n)
        return 0;
    off = d->mine % ch.ring_bytes;
    first = ch.ring_bytes - off < n ? ch.ring_bytes - off : n;
    stream_fill(&d->s, d->buf + off, first);
    if (n > first)
        stream_fill(&d->s, d->buf, n - first);
    d->mine += n;
    st64(&d->idx->prod, d->mine);       /* release: the data is visible first */
    return 1;
}

/* Consumes what is there; returns whether anything was read. */
static int rx_step(struct dir *d, uint64_t *bad)
{
    uint64_t prod = ld64(&d->idx->prod), n = prod - d->mine, off, first, b;

    if (n == 0 || n > ch.ring_bytes || prod > d->total)
        return 0;                       /* nothing, or an impossible index */
    off = d->mine % ch.ring_bytes;
    first = ch.ring_bytes - off < n ? ch.ring_bytes - off : n;
    b = stream_check(&d->s, d->buf + off, first);
    if (b < *bad)
        *bad = b;
    if (n > first) {
        b = stream_check(&d->s, d->buf, n - first);
        if (b < *bad)
            *bad = b;
    }
    d->mine += n;
    st64(&d->idx->cons, d->mine);       /* release: our reads are done first */
    return 1;
}

static int run_data(void)
{
    volatile struct header *h = ch.hdr;
    uint8_t *lc_buf = ch.data, *cl_buf = ch.data + ch.ring_bytes;
    struct dir tx, rx;
    volatile uint32_t *my_wait, *peer_wait;
    uint64_t bad = UINT64_MAX;
    int waiting = 0;
    double t0, last, secs;

    memset(&tx, 0, sizeof(tx));
    memset(&rx, 0, sizeof(rx));
    if (ch.listener) {
        tx.idx = &h->lc; tx.buf = lc_buf; tx.total = h->listen_bytes;
        rx.idx = &h->cl; rx.buf = cl_buf; rx.total = h->connect_bytes;
        stream_init(&tx.s, SEED_LC);
        stream_init(&rx.s, SEED_CL);
        my_wait = &h->listen_waiting;
        peer_wait = &h->connect_waiting;
    } else {
        tx.idx = &h->cl; tx.buf = cl_buf; tx.total = h->connect_bytes;
        rx.idx = &h->lc; rx.buf = lc_buf; rx.total = h->listen_bytes;
        stream_init(&tx.s, SEED_CL);
        stream_init(&rx.s, SEED_LC);
        my_wait = &h->connect_waiting;
        peer_wait = &h->listen_waiting;
    }

    t0 = last = now();
    for (;;) {
        int moved = tx_step(&tx);
        moved |= rx_step(&rx, &bad);
        if (moved) {
            last = now();
            if (waiting) {
                st32(my_wait, 0);
                waiting = 0;
            }
            /* Pairs with the peer's fence below: either it sees our index, or we its flag. */
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (ld32(peer_wait))
                notify_peer();
            continue;
        }
        if (tx.mine == tx.total && ld64(&tx.idx->cons) == tx.total && rx.mine == rx.total)
            break;
        if (!waiting) {
            /* Say we are about to sleep, then look once more before sleeping. */
            st32(my_wait, 1);
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            waiting = 1;
            continue;
        }
        double left = last + ch.timeout - now();
        if (peer_gone() || left <= 0)
            stalled("bytes", rx.mine);
        wait_event(left);
    }
    secs = now() - t0;
    if (waiting)
        st32(my_wait, 0);

    printf("XCHAN-DONE sent=%" PRIu64 " sent_sum=%016" PRIx64 " received=%" PRIu64
           " received_sum=%016" PRIx64 " %s", tx.mine, tx.s.sum, rx.mine, rx.s.sum,
           bad == UINT64_MAX ? "ok" : "MISMATCH");
    if (bad != UINT64_MAX)
        printf(" first_bad_byte=%" PRIu64, bad);
    printf(" secs=%.3f mib_per_s=%.1f\n", secs,
           secs > 0 ? (double)(tx.mine + rx.mine) / (1 << 20) / secs : 0.0);
    if (fflush(stdout) != 0)
        sys_fail("write stdout");
    close_channel();
    return bad == UINT64_MAX ? 0 : EXIT_MISMATCH;
}

/* ------------------------------------------------------------------ ping-pong */

/*
 * Round trip i: the connector stores ping_seq = i and notifies; the listener
 * waits for it, stores pong_seq = i and notifies; the connector waits for
 * that.  The sequence numbers, not the count of events, tell what happened,
 * so coalesced or stale notifications do no harm.  The connector times all N
 * round trips; the listener from its accept notification to ping N, which
 * is also N round trips.
 */
static int run_ping(void)
{
    volatile struct header *h = ch.hdr;
    volatile uint64_t *in = ch.listener ? &h->ping_seq : &h->pong_seq;
    volatile uint64_t *out = ch.listener ? &h->pong_seq : &h->ping_seq;
    double t0 = now(), secs = 0;
    uint64_t i;

    for (i = 1; i <= ch.ping; i++) {
        if (!ch.listener) {
            st64(out, i);
            notify_peer();
        }
        double deadline = now() + ch.timeout;
        while (ld64(in) < i) {
            double left = deadline - now();
            if (peer_gone() || left <= 0)
                stalled("round trips", i - 1);
            wait_event(left);
        }
        if (ch.listener) {
            if (i == ch.ping)
                secs = now() - t0;
            st64(out, i);
            notify_peer();
        }
    }
    if (!ch.listener)
        secs = now() - t0;
    printf("XCHAN-PING n=%" PRIu64 " usec_per_roundtrip=%.2f\n", ch.ping, secs * 1e6 / (double)ch.ping);
    if (fflush(stdout) != 0)
        sys_fail("write stdout");
    close_channel();
    return 0;
}

/* ------------------------------------------------------------------ selftest */

static int check_u64(const char *what, uint64_t got, uint64_t want)
{
    if (got == want)
        return 0;
    fprintf(stderr, "xchan selftest: %s: got %016" PRIx64 ", want %016" PRIx64 "\n",
            what, got, want);
    return 1;
}

/*
 * Known values computed independently (tools/xchan/README shows the Python
 * that gives them): FNV-1a 64 test vectors, the first word of each stream,
 * and the checksum of each stream's first 1 MiB.
 */
static int selftest(void)
{
    static uint8_t buf[1 << 20], other[1 << 20];
    struct stream s, r;
    struct chan c;
    uint64_t v;
    int bad = 0;
    size_t i, off;

    stream_init(&s, 0);
    bad |= check_u64("fnv1a64(\"\")", s.sum, 0xcbf29ce484222325ull);
    s.sum = FNV_OFFSET;
    s.sum = fnv_byte(s.sum, 'a');
    bad |= check_u64("fnv1a64(\"a\")", s.sum, 0xaf63dc4c8601ec8cull);
    s.sum = FNV_OFFSET;
    for (i = 0; i < 6; i++)
        s.sum = fnv_byte(s.sum, (uint8_t)"foobar"[i]);
    bad |= check_u64("fnv1a64(\"foobar\")", s.sum, 0x85944171f73967e8ull);
    uint64_t w;
    memcpy(&w, "foobar\0\0", 8);
    bad |= check_u64("fnv word = 8 bytes", fnv_word(FNV_OFFSET, w),
                     fnv_byte(fnv_byte(s.sum, 0), 0));

    stream_init(&s, SEED_LC);
    stream_fill(&s, buf, 8);
    memcpy(&v, buf, 8);
    bad |= check_u64("first word of stream l->c", v, 0x856d9c28a9741a02ull);
    stream_init(&s, SEED_LC);
    stream_fill(&s, buf, sizeof(buf));
    bad |= check_u64("fnv1a64 of 1 MiB of stream l->c", s.sum, 0x0a0dab1002889f03ull);
    stream_init(&s, SEED_CL);
    stream_fill(&s, buf, sizeof(buf));
    bad |= check_u64("fnv1a64 of 1 MiB of stream c->l", s.sum, 0xcfd447081b758b56ull);

    /* Pieces of odd sizes give the same bytes and sum; the checker agrees. */
    stream_init(&r, SEED_CL);
    for (off = 0, i = 1; off < sizeof(other); off += i, i = i * 7 % 4099 + 1) {
        size_t n = i < sizeof(other) - off ? i : sizeof(other) - off;
        stream_fill(&r, other + off, n);
    }
    bad |= check_u64("stream in pieces", (uint64_t)memcmp(buf, other, sizeof(buf)), 0);
    bad |= check_u64("sum in pieces", r.sum, s.sum);
    stream_init(&r, SEED_CL);
    bad |= check_u64("check of 3 bytes", stream_check(&r, buf, 3), UINT64_MAX);
    bad |= check_u64("check of the rest", stream_check(&r, buf + 3, sizeof(buf) - 3), UINT64_MAX);
    bad |= check_u64("checker's sum", r.sum, s.sum);
    buf[12345] ^= 0x40;
    stream_init(&r, SEED_CL);
    bad |= check_u64("mismatch found", stream_check(&r, buf, sizeof(buf)), 12345);

    /* Arguments. */
    char *a1[] = { "xchan", "connect", "2", "7", "16", "--bytes", "3M", "--timeout", "1.5", NULL };
    memset(&c, 0, sizeof(c));
    bad |= check_u64("parse connect", (uint64_t)parse_args(&c, 9, a1), 1);
    bad |= check_u64("peer", c.peer, 2);
    bad |= check_u64("port", c.remote_port, 7);
    bad |= check_u64("gref", c.header_gref, 16);
    bad |= check_u64("bytes", c.send_bytes, 3u << 20);
    bad |= check_u64("timeout", (uint64_t)(c.timeout * 10), 15);
    char *a2[] = { "xchan", "listen", "1", "--pages", "9", "--ping", "100", NULL };
    memset(&c, 0, sizeof(c));
    bad |= check_u64("parse listen", (uint64_t)parse_args(&c, 7, a2), 1);
    bad |= check_u64("listen defaults", c.send_bytes, 64u << 20);
    bad |= check_u64("pages", c.pages, 9);
    bad |= check_u64("ping", c.ping, 100);
    fputs("xchan selftest: (four messages about bad arguments expected)\n", stderr);
    char *a3[] = { "xchan", "listen", "1", "--pages", "4", NULL };
    bad |= check_u64("even --pages refused", (uint64_t)parse_args(&c, 5, a3), 0);
    char *a4[] = { "xchan", "listen", "40000", NULL };
    bad |= check_u64("reserved domid refused", (uint64_t)parse_args(&c, 3, a4), 0);
    char *a5[] = { "xchan", "connect", "1", "5", NULL };
    bad |= check_u64("missing gref refused", (uint64_t)parse_args(&c, 4, a5), 0);
    char *a6[] = { "xchan", "listen", "1", "--bytes", "12X", NULL };
    bad |= check_u64("bad size refused", (uint64_t)parse_args(&c, 5, a6), 0);

    puts(bad ? "XCHAN-SELFTEST failed" : "XCHAN-SELFTEST ok");
    return bad ? 1 : 0;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "selftest") == 0)
        return selftest();
    if (!parse_args(&ch, argc, argv))
        usage();
    if (sysconf(_SC_PAGESIZE) != XEN_PAGE)
        fail(EXIT_SYS, "needs 4 KiB pages (this kernel uses %ld)", sysconf(_SC_PAGESIZE));

    if (ch.listener)
        setup_listener();
    else {
        catch_revoked_pages();
        setup_connector();
    }
    return ch.ping ? run_ping() : run_data();
}
