/*
 * arx's definition of the Xen PV console ring page (struct
 * xencons_interface), shared between a guest's hvc driver and the console
 * backend; its GFN and event channel are HVM_PARAM_CONSOLE_PFN/_EVTCHN.
 */
#ifndef ARX_PUBLIC_CONSOLE_H
#define ARX_PUBLIC_CONSOLE_H

#include <stdint.h>

/* A free-running ring index; only (index & (ring size - 1)) addresses. */
typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_RING_SIZE 1024  /* backend to guest */
#define XENCONS_OUT_RING_SIZE 2048 /* guest to backend */

/* Byte positions of free-running indices in the in[] and out[] rings. */
#define XENCONS_IN_MASK(idx) ((idx) & (XENCONS_IN_RING_SIZE - 1))
#define XENCONS_OUT_MASK(idx) ((idx) & (XENCONS_OUT_RING_SIZE - 1))
/* The same for any ring array, from its size (a power of two). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

/*
 * The ring page. Producers write data, then (after a barrier) advance their
 * prod index; consumers advance cons. prod - cons never exceeds the size.
 */
struct xencons_interface {
	char in[XENCONS_IN_RING_SIZE];   /* input: backend produces */
	char out[XENCONS_OUT_RING_SIZE]; /* output: guest produces */
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* ARX_PUBLIC_CONSOLE_H */
