/*
 * The register frame the exception vectors save on the stack. Offsets are
 * shared with vectors.S and checked against the struct at compile time.
 */
#ifndef ARCH_TRAP_FRAME_H
#define ARCH_TRAP_FRAME_H

#define FRAME_X30 (30 * 8)
#define FRAME_SP (31 * 8) /* stack pointer before the exception */
#define FRAME_ELR (32 * 8)
#define FRAME_SPSR (33 * 8)
#define FRAME_ESR (34 * 8)
#define FRAME_FAR (35 * 8)
#define FRAME_SIZE (36 * 8)

/* Which vector was taken (second argument of the C handlers). */
#define VEC_SYNC 0
#define VEC_IRQ 1
#define VEC_FIQ 2
#define VEC_SERROR 3
#define VEC_FROM_SP0 0x10 /* current EL using SP_EL0: never used by arx */
#define VEC_FROM_LOWER64 0x20
#define VEC_FROM_LOWER32 0x30

#ifndef __ASSEMBLY__
#include <arx/types.h>

struct trap_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, elr) == FRAME_ELR, "frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, far) == FRAME_FAR, "frame layout");

void trap_dispatch(struct trap_frame *f, unsigned int vector);
#endif
#endif
