/* Basic types shared by all hypervisor code (freestanding: no libc). */
#ifndef ARX_TYPES_H
#define ARX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* a physical (or intermediate-physical) address */
typedef uint64_t vaddr_t; /* a hypervisor virtual address */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define BIT(n) (1UL << (n))

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

#define KiB (1024UL)
#define MiB (1024UL * KiB)
#define GiB (1024UL * MiB)

#define UNUSED __attribute__((unused))
#define NORETURN __attribute__((noreturn))
/* Keeps a rare slow path out of its caller, whose fast path then needs no stack frame. */
#define NOINLINE __attribute__((noinline))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

#endif
