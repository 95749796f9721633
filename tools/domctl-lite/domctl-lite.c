/*
 * domctl-lite: the life-cycle domctls a domain other than dom0 may make under
 * arx's access control policy (a "manager" domain that restarts its app
 * domains), straight through Linux's /dev/xen/privcmd (IOCTL_PRIVCMD_HYPERCALL),
 * without libxc or xenstore; shipped in the guest initramfs as /bin/domctl-lite.
 * In a domU, Linux ("xen/privcmd: restrict usage in unprivileged domU", in
 * Debian's 6.1 too) holds every open of privcmd until xenstore names the
 * domain's device-model target; without a xenstore, load the driver with
 * `modprobe xen-privcmd unrestricted=1` (after `rmmod xenfs xen_privcmd` if
 * the guest's /init loaded it).
 *
 *   domctl-lite list                      the domains this one may see
 *   domctl-lite destroy|pause|unpause ID
 *
 * Output: `list` prints `DOMCTL-LIST <id> ...` (the ids getdomaininfo
 * walks to, in order); the others print `domctl-lite: <op> <id>: ok`, or
 * `domctl-lite: <op> <id>: <strerror> (errno <n>)` and exit 1 (Xen's errno
 * values are Linux's). Bad usage: exit 2.
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

#include <public/domctl.h>

/* Linux's privcmd ABI (include/uapi/xen/privcmd.h, whose own header needs kernel ones). */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define HYPERVISOR_domctl 36

static int privcmd;
static struct xen_domctl *op; /* in a privcmd-buf page: never faults, as libxencall's */

static long domctl(uint32_t cmd, uint16_t domain)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op->domain = domain;
	struct privcmd_hypercall h = { .op = HYPERVISOR_domctl, .arg = { (uintptr_t)op } };
	return ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h) < 0 ? -errno : 0;
}

static int list(void)
{
	printf("DOMCTL-LIST");
	for (unsigned int next = 0; next < DOMID_FIRST_RESERVED; next = op->domain + 1u) {
		long r = domctl(XEN_DOMCTL_getdomaininfo, (uint16_t)next);
		if (r == -ESRCH)
			break; /* none at or above next that this domain may see */
		if (r) {
			printf("\ndomctl-lite: getdomaininfo %u: %s (errno %ld)\n", next, strerror((int)-r),
			       -r);
			return 1;
		}
		printf(" %u", op->domain);
	}
	printf("\n");
	return 0;
}

static const struct {
	const char *name;
	uint32_t cmd;
} ops[] = {
	{ "destroy", XEN_DOMCTL_destroydomain },
	{ "pause", XEN_DOMCTL_pausedomain },
	{ "unpause", XEN_DOMCTL_unpausedomain },
};

static int usage(void)
{
	fprintf(stderr, "usage: domctl-lite list | domctl-lite destroy|pause|unpause DOMID\n");
	return 2;
}

int main(int argc, char **argv)
{
	int which = -1;
	unsigned long id = 0;
	char *end = NULL;
	if (argc == 3) {
		for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (!strcmp(argv[1], ops[i].name))
				which = (int)i;
		id = strtoul(argv[2], &end, 10);
		if (which < 0 || !*argv[2] || *end || id >= DOMID_FIRST_RESERVED)
			return usage();
	} else if (argc != 2 || strcmp(argv[1], "list")) {
		return usage();
	}
	privcmd = open("/dev/xen/privcmd", O_RDWR);
	int hfd = open("/dev/xen/hypercall", O_RDWR);
	op = hfd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, hfd, 0);
	if (privcmd < 0 || op == MAP_FAILED) {
		perror("domctl-lite: /dev/xen/privcmd or /dev/xen/hypercall (is xen-privcmd loaded?)");
		return 1;
	}
	if (which < 0)
		return list();
	long r = domctl(ops[which].cmd, (uint16_t)id);
	if (r) {
		printf("domctl-lite: %s %lu: %s (errno %ld)\n", ops[which].name, id, strerror((int)-r), -r);
		return 1;
	}
	printf("domctl-lite: %s %lu: ok\n", ops[which].name, id);
	return 0;
}
