/*
 * arx-store-ready DOMID: in the control domain, after Debian's init-dom0less has given
 * DOMID (a domain arx built from its boot package, with disks or vifs) its xenstore,
 * tells arx that the store is ready to use, so the guest is woken to use it.
 *
 * It sets HVM_PARAM_STORE_PFN of DOMID again, to the page init-dom0less gave it. arx
 * wakes the guest only then, once xenstored has bound the store port: xenstored 4.17
 * clears the ring's indexes after binding, so a guest woken earlier could lose its first
 * request (docs/xen-abi.md, "Disks and networks"). Run by /usr/lib/arx/arx-dom0less.
 * Exit status 0 when arx took it, 1 when not (the message says why), 2 on bad usage.
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
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

/* Xen's public hvm_op.h and params.h. */
#define HYPERVISOR_hvm_op 34
#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVM_PARAM_STORE_PFN 1
struct xen_hvm_param {
	uint16_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};

static int fd;

static long hvm_param(struct xen_hvm_param *p, uint64_t op)
{
	struct privcmd_hypercall h = { .op = HYPERVISOR_hvm_op, .arg = { op, (uintptr_t)p } };
	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long domid = argc == 2 ? strtoul(argv[1], &end, 10) : 0;
	if (argc != 2 || *end || !domid || domid >= 0x7ff0) {
		fprintf(stderr, "usage: arx-store-ready DOMID\n");
		return 2;
	}
	if ((fd = open("/dev/xen/privcmd", O_RDWR)) < 0) {
		perror("arx-store-ready: /dev/xen/privcmd");
		return 1;
	}
	/* Hypercall arguments in a privcmd-buf page, which never faults (as libxencall). */
	int hfd = open("/dev/xen/hypercall", O_RDWR);
	struct xen_hvm_param *p = hfd < 0 ? MAP_FAILED
		: mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, hfd, 0);
	if (p == MAP_FAILED) {
		perror("arx-store-ready: /dev/xen/hypercall");
		return 1;
	}
	*p = (struct xen_hvm_param){ .domid = (uint16_t)domid, .index = HVM_PARAM_STORE_PFN };
	if (hvm_param(p, HVMOP_get_param) < 0 || !p->value || p->value == ~0ULL) {
		fprintf(stderr, "arx-store-ready: domain %lu has no xenstore page yet (%s)\n", domid,
			errno ? strerror(errno) : "init-dom0less has not run");
		return 1;
	}
	if (hvm_param(p, HVMOP_set_param) < 0) {
		fprintf(stderr, "arx-store-ready: domain %lu: %s\n", domid, strerror(errno));
		return 1;
	}
	return 0;
}
