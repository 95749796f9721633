/*
 * Xen-style hypercalls, as arx offers them (issue 6): HVC #0xEA1 with the
 * hypercall number in x16, arguments in x0..x4 and the result in x0.
 * Natively there is no hypervisor; QEMU's PSCI emulation answers the HVC
 * (with -1, NOT_SUPPORTED, for anything that is not a PSCI function ID).
 */
#ifndef TESTOS_HYPERCALL_H
#define TESTOS_HYPERCALL_H

#include <arx/types.h>

int64_t hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		  uint64_t a4);

#endif
