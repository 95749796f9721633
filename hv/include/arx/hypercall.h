/*
 * Xen-compatible hypercalls: HVC #0xEA1, number in x16, arguments x0-x4,
 * result in x0. Implemented with issue 6; until then every call answers
 * -ENOSYS, which is what Xen answers for an unknown hypercall.
 */
#ifndef ARX_HYPERCALL_H
#define ARX_HYPERCALL_H

#include "vcpu.h"

#define XEN_HYPERCALL_TAG 0xea1
#define XEN_ENOSYS 38

void hypercall_dispatch(struct vcpu *v, struct trap_frame *f);

#endif
