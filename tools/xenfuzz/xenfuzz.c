/*
 * xenfuzz: random control-interface hypercalls from domain 0, to show that
 * nothing the control domain passes can crash the hypervisor or reach its
 * memory. Runs in dom0 as root, through Linux's /dev/xen/privcmd
 * (IOCTL_PRIVCMD_HYPERCALL), as Xen's own tools do:
 *
 *   xenfuzz [-n CALLS] [-s SEED]       (default 100000 calls, seed 1)
 *
 * Each call is domctl, sysctl or memory_op with a random sub-op (mostly the
 * ones that exist, some that do not), a random interface version (mostly
 * the right one), random domain ids (the live ones, DOMID_SELF, reserved
 * ids and garbage), and a 4 KiB argument of random bytes whose nested
 * handles point into the argument, at unmapped or kernel addresses, or at
 * garbage. What is left out: the sub-ops whose whole purpose is to end,
 * stop or rebuild a domain (destroy, pause, createdomain, setvcpucontext)
 * and the memory ops that take dom0's own pages or map others' pages into
 * its holes; called with valid arguments, those would do their job, not
 * find a bug. Prints a histogram of the results and exits 0 if every call
 * returned (the ioctl itself never failed for a reason other than the
 * hypercall's own error).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux's privcmd ABI (include/uapi/xen/privcmd.h, whose own header needs kernel ones). */
typedef struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
} privcmd_hypercall_t;
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(privcmd_hypercall_t))

#define HYPERVISOR_memory_op 12
#define HYPERVISOR_sysctl 35
#define HYPERVISOR_domctl 36
#define DOMCTL_VERSION 0x15
#define SYSCTL_VERSION 0x15
#define ARG_SIZE 4096

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: plenty for choosing arguments, and the seed repeats a run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t pick(const uint64_t *set, size_t n)
{
	return set[rnd() % n];
}

/* domctl sub-ops tried (destroy 2, pause 3, createdomain 1, setvcpucontext 12 left out). */
static const uint64_t domctls[] = { 4, 5, 9, 10, 11, 13, 14, 15, 16, 17, 25, 35, 68, 71, 81,
				    86, 0, 999, 0xffffffff };
static const uint64_t sysctls[] = { 1, 2, 3, 4, 6, 16, 17, 18, 0, 99, 0xffffffff };
/* memory_op commands tried (1 decrease, 7 add_to_physmap, 15, 23, 28 left out). */
static const uint64_t memops[] = { 0, 6, 18, 19, 2, 3, 4, 5, 8, 9, 10, 20, 64, 0x7ff0 };

static uint8_t *arg, *spare;

/* A pointer a nested handle might hold: into the argument, elsewhere, or nonsense. */
static uint64_t random_pointer(void)
{
	/* Not dom0's own kernel addresses: writing there is dom0 hurting itself. */
	static const uint64_t odd[] = { 0, 1, 0xfff, 0x1000, 0x0000ffffffff0000ULL, ~0ULL,
					~0xfffULL, 0x40000000, 0x7fffffffe000ULL,
					0x0001000000000000ULL };
	switch (rnd() % 4) {
	case 0:
		return (uint64_t)(uintptr_t)(spare + rnd() % ARG_SIZE);
	case 1:
		return (uint64_t)(uintptr_t)(arg + rnd() % ARG_SIZE);
	case 2:
		return pick(odd, sizeof(odd) / sizeof(odd[0]));
	default:
		return rnd();
	}
}

static uint16_t random_domid(void)
{
	static const uint64_t ids[] = { 0, 1, 2, 3, 0x7ff0, 0x7ff1, 0x7ff2, 0x7ff4, 0xffff };
	return (uint16_t)(rnd() % 4 ? pick(ids, sizeof(ids) / sizeof(ids[0])) : rnd());
}

/* The argument: random bytes, then pointers sprinkled where handles may be. */
static void fill_argument(void)
{
	for (size_t i = 0; i < ARG_SIZE; i += 8) {
		uint64_t v = rnd();
		memcpy(arg + i, &v, 8);
	}
	for (size_t off = 8; off < 160; off += 8) {
		if (rnd() % 3 == 0) {
			uint64_t p = random_pointer();
			memcpy(arg + off, &p, 8);
		}
	}
	for (size_t i = 0; i < ARG_SIZE; i += 8) {
		uint64_t v = rnd() % 2 ? rnd() % 4096 : rnd();
		memcpy(spare + i, &v, 8);
	}
}

static void set_u32(size_t off, uint32_t v)
{
	memcpy(arg + off, &v, 4);
}

static void set_u16(size_t off, uint16_t v)
{
	memcpy(arg + off, &v, 2);
}

/* Fills in one call; returns the hypercall number. */
static uint64_t make_call(privcmd_hypercall_t *h)
{
	fill_argument();
	memset(h, 0, sizeof(*h));
	switch (rnd() % 3) {
	case 0: /* struct xen_domctl: cmd, interface_version, domain */
		set_u32(0, (uint32_t)pick(domctls, sizeof(domctls) / sizeof(domctls[0])));
		set_u32(4, rnd() % 8 ? DOMCTL_VERSION : (uint32_t)rnd());
		set_u16(8, random_domid());
		h->op = HYPERVISOR_domctl;
		h->arg[0] = rnd() % 16 ? (uint64_t)(uintptr_t)arg : random_pointer();
		break;
	case 1: /* struct xen_sysctl: cmd, interface_version */
		set_u32(0, (uint32_t)pick(sysctls, sizeof(sysctls) / sizeof(sysctls[0])));
		set_u32(4, rnd() % 8 ? SYSCTL_VERSION : (uint32_t)rnd());
		h->op = HYPERVISOR_sysctl;
		h->arg[0] = rnd() % 16 ? (uint64_t)(uintptr_t)arg : random_pointer();
		break;
	default: /* memory_op(cmd, arg): reservations name a domain at offset 24 */
		set_u16(24, random_domid() == 0 ? 0x7ff0 : random_domid());
		if (rnd() % 2) { /* a small extent list of random frames */
			uint64_t list = (uint64_t)(uintptr_t)spare;
			memcpy(arg, &list, 8);
			uint64_t n = rnd() % 600;
			memcpy(arg + 8, &n, 8);
		}
		h->op = HYPERVISOR_memory_op;
		h->arg[0] = pick(memops, sizeof(memops) / sizeof(memops[0]));
		h->arg[1] = rnd() % 16 ? (uint64_t)(uintptr_t)arg : random_pointer();
		break;
	}
	return h->op;
}

static uint8_t *buffer(int hfd)
{
	void *p = MAP_FAILED;
	if (hfd >= 0) /* privcmd-buf pages never fault, as libxencall uses them */
		p = mmap(NULL, ARG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, hfd, 0);
	if (p == MAP_FAILED) {
		p = mmap(NULL, ARG_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			mlock(p, ARG_SIZE);
	}
	if (p == MAP_FAILED) {
		perror("xenfuzz: mmap");
		exit(2);
	}
	return p;
}

int main(int argc, char **argv)
{
	unsigned long calls = 100000, seed = 1, by_errno[140] = { 0 }, ok = 0, other = 0;
	int opt;
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		if (opt == 'n')
			calls = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: xenfuzz [-n CALLS] [-s SEED]\n");
			return 2;
		}
	}
	rng_state = seed ? seed : 1;
	int fd = open("/dev/xen/privcmd", O_RDWR);
	if (fd < 0) {
		perror("xenfuzz: /dev/xen/privcmd");
		return 2;
	}
	int hfd = open("/dev/xen/hypercall", O_RDWR);
	arg = buffer(hfd);
	spare = buffer(hfd);
	for (unsigned long i = 0; i < calls; i++) {
		privcmd_hypercall_t h;
		make_call(&h);
		long r = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
		if (r >= 0)
			ok++;
		else if (errno > 0 && errno < 140)
			by_errno[errno]++;
		else
			other++;
	}
	printf("xenfuzz: %lu calls (seed %lu): %lu succeeded", calls, seed, ok);
	for (int e = 1; e < 140; e++)
		if (by_errno[e])
			printf(", %lu %s", by_errno[e], strerror(e));
	printf("%s\n", other ? ", some with odd errors" : "");
	printf("xenfuzz: done\n");
	return 0;
}
