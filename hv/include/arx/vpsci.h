/*
 * PSCI 1.0 and the SMCCC discovery calls for guests (hv/core/vpsci.c),
 * through HVC #0 or SMC #0. Function ID in x0, arguments x1-x3, result x0.
 */
#ifndef ARX_VPSCI_H
#define ARX_VPSCI_H

#include "vcpu.h"

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u

void vpsci_call(struct vcpu *v, struct trap_frame *f);

#endif
