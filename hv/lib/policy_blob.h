/*
 * Private to hv/lib/policy*.c: reading a validated binary policy
 * (include/public/arx_policy.h) in place. The loader requires the blob to be
 * 4-byte aligned and every section to start at a multiple of 4, so fields
 * are read with single typed loads (decisions run on the grant-copy and
 * event-send paths, and -fno-builtin would make memcpy a call); may_alias
 * keeps those loads defined whatever type wrote the bytes.
 */
#ifndef ARX_POLICY_BLOB_H
#define ARX_POLICY_BLOB_H

#include <arx/policy.h>
#include <public/arx_policy.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the binary policy is little-endian and read in place"
#endif

_Static_assert(ARX_POLICY_NR_OPS == POL_NR_OPS, "op mask bits follow enum policy_op");
_Static_assert(ARX_POLICY_NR_ADMIN == POL_NR_ADMIN, "admin bits follow enum policy_admin");

typedef uint16_t __attribute__((may_alias, aligned(2))) pol16_t;
typedef uint32_t __attribute__((may_alias, aligned(4))) pol32_t;

static inline uint32_t pol_rd32(const uint8_t *at)
{
	return *(const pol32_t *)at;
}

static inline uint16_t pol_rd16(const uint8_t *at)
{
	return *(const pol16_t *)at;
}

/* Entry i of a section of e-byte entries. */
static inline const uint8_t *pol_entry(const uint8_t *sec, uint32_t i, uint32_t e)
{
	return sec + (size_t)i * e;
}

/* Points *p at the sections of a blob that policy_check has accepted. */
void policy_fill(struct policy *p, const uint8_t *blob);

#endif
