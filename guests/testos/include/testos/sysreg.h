/* System registers, barriers and interrupt masking at EL1. */
#ifndef TESTOS_SYSREG_H
#define TESTOS_SYSREG_H

#include <arx/types.h>

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")
#define cpu_relax() __asm__ volatile("yield" : : : "memory")

/* PSTATE.I: IRQs are taken only while it is clear. */
static inline void irq_unmask(void) { __asm__ volatile("msr daifclr, #2" : : : "memory"); }
static inline void irq_mask(void) { __asm__ volatile("msr daifset, #2" : : : "memory"); }

/*
 * The state cases start from: IRQ, FIQ and debug masked, SError unmasked so
 * that an asynchronous abort shows up as an unexpected exception.
 */
static inline void daif_default(void)
{
	__asm__ volatile("msr daifset, #0xb\n\tmsr daifclr, #4" : : : "memory");
}

static inline unsigned int current_el(void)
{
	return (unsigned int)(read_sysreg(CurrentEL) >> 2) & 3;
}

/* Aff3..Aff0 of an MPIDR, without the U and MT flags. */
#define MPIDR_AFFINITY_MASK 0xff00ffffffUL

/* testos keeps its CPU number (0 = the boot CPU) in TPIDR_EL1. */
static inline unsigned int this_cpu_id(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

/*
 * Flags shared between CPUs. The MMU is off, so all data is Device memory,
 * where exclusive accesses (atomic read-modify-write) are not guaranteed to
 * work: every shared word has one writer, published with a store-release
 * and read with a load-acquire (STLR/LDAR are plain accesses).
 */
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)

#endif
