/*
 * The binary form of arx's mandatory access control policy, written by
 * tools/arxpolicy (from the text language of docs/policy.md) and checked
 * field by field by the hypervisor (hv/lib/policy.c) before any decision is
 * taken from it. The text parser stays out of the hypervisor; this format is
 * simple enough to check completely.
 *
 * Layout. Every field is little-endian and fixed-width. The blob starts with
 * struct arx_policy_header (128 bytes) and is followed by eight sections in
 * the order of enum arx_policy_section_id. Each section starts at the first
 * multiple of 4 at or after the end of the one before it (the first right
 * after the header); the blob ends at the first multiple of 4 at or after the
 * end of the last. Padding bytes are zero. So the layout is canonical: the
 * header's offsets are checked against it, and no byte of a valid blob is
 * left unchecked except the string table's unreferenced bytes.
 *
 *   strings         bytes; names are (offset, length) ranges in it, not
 *                   NUL-terminated
 *   types           ntypes x struct arx_policy_type: type names, strictly
 *                   increasing (byte-wise, a prefix before longer names), so
 *                   unique
 *   labels          nlabels x struct arx_policy_label: label names, strictly
 *                   increasing likewise, so the hypervisor finds a label by
 *                   binary search; each takes the next `ntypes` entries of
 *                   label_types (label i's first is the sum of the counts
 *                   before it: the pool is used in order, with nothing left
 *                   over)
 *   label_types     uint16 type indexes, strictly increasing within a label
 *   allow           ntypes x ntypes uint16 op masks: entry [s * ntypes + o]
 *                   has bit i set when a domain of type s (the subject) may
 *                   do operation i (enum policy_op in hv/include/arx/policy.h)
 *                   to a domain of type o (the object)
 *   admin           ntypes uint16 masks: bit i = enum policy_admin i
 *   conflicts       nconflicts x struct arx_policy_conflict: Chinese-wall
 *                   sets, each taking the next `ntypes` entries of
 *                   conflict_types as labels do
 *   conflict_types  uint16 type indexes, strictly increasing within a set
 *
 * Names. Type names are identifiers ([A-Za-z_][A-Za-z0-9_]*); label names
 * are printable ASCII without space, '"' or '\'; the policy's name may also
 * hold spaces and may be empty. All at most ARX_POLICY_MAX_NAME bytes.
 */
#ifndef ARX_PUBLIC_ARX_POLICY_H
#define ARX_PUBLIC_ARX_POLICY_H

#include <stdint.h>

/* "ARXPOL" and CR LF: a blob mangled by text-mode line-ending conversion is refused. */
#define ARX_POLICY_MAGIC "ARXPOL\r\n"
#define ARX_POLICY_MAGIC_LEN 8
#define ARX_POLICY_VERSION 1

/* Limits: small enough that every check and decision is cheap. */
#define ARX_POLICY_MAX_TYPES 256       /* type indexes fit uint16 */
#define ARX_POLICY_MAX_LABELS 1024
#define ARX_POLICY_MAX_LABEL_TYPES 8   /* types carried by one label */
#define ARX_POLICY_MAX_CONFLICTS 64    /* conflict sets */
#define ARX_POLICY_MAX_SET_TYPES 64    /* types in one conflict set */
#define ARX_POLICY_MAX_NAME 127        /* bytes in a type, label or policy name */
#define ARX_POLICY_MAX_SIZE (1024 * 1024)

/* header.flags */
#define ARX_POLICY_ENFORCING 0x1u      /* enforcing at boot (else permissive) */
#define ARX_POLICY_FLAGS_KNOWN 0x1u    /* every other bit must be zero */

/* The number of operations and admin operations the masks' bits cover. */
#define ARX_POLICY_NR_OPS 10   /* enum policy_op */
#define ARX_POLICY_NR_ADMIN 2  /* enum policy_admin */

enum arx_policy_section_id {
	ARX_POLSEC_STRINGS,        /* count: bytes */
	ARX_POLSEC_TYPES,          /* count: ntypes */
	ARX_POLSEC_LABELS,         /* count: nlabels */
	ARX_POLSEC_LABEL_TYPES,    /* count: entries, the sum of the labels' ntypes */
	ARX_POLSEC_ALLOW,          /* count: ntypes * ntypes */
	ARX_POLSEC_ADMIN,          /* count: ntypes */
	ARX_POLSEC_CONFLICTS,      /* count: nconflicts */
	ARX_POLSEC_CONFLICT_TYPES, /* count: entries, the sum of the sets' ntypes */
	ARX_POLSEC_NR
};

/* Where a section is: byte offset from the blob's start, number of entries. */
struct arx_policy_section {
	uint32_t off;
	uint32_t count;
};

struct arx_policy_header {
	uint8_t magic[ARX_POLICY_MAGIC_LEN];
	uint32_t version;     /* ARX_POLICY_VERSION */
	uint32_t size;        /* the whole blob, this header included */
	uint32_t flags;       /* ARX_POLICY_ENFORCING */
	uint32_t dom0_label;  /* label of domain 0 */
	uint32_t domu_label;  /* label of a domain created without one */
	uint32_t name_off;    /* the policy's name: a range of the string table */
	uint32_t name_len;    /* 0: unnamed (and name_off is 0) */
	uint32_t reserved0;   /* zero */
	struct arx_policy_section sec[ARX_POLSEC_NR];
	uint32_t reserved[6]; /* zero: room for later versions */
};

struct arx_policy_type {
	uint32_t name_off;
	uint32_t name_len;
};

struct arx_policy_label {
	uint32_t name_off;
	uint32_t name_len;
	uint32_t first;  /* index of its first entry in label_types */
	uint32_t ntypes; /* 1 to ARX_POLICY_MAX_LABEL_TYPES */
};

struct arx_policy_conflict {
	uint32_t first;  /* index of its first entry in conflict_types */
	uint32_t ntypes; /* 2 to ARX_POLICY_MAX_SET_TYPES */
};

/* Bytes per entry of each section, in enum arx_policy_section_id's order. */
#define ARX_POLICY_ENTRY_SIZES { 1, 8, 16, 2, 2, 2, 8, 2 }

_Static_assert(sizeof(struct arx_policy_header) == 128, "header is 128 bytes");
_Static_assert(sizeof(struct arx_policy_label) == 16, "label entry is 16 bytes");

#endif /* ARX_PUBLIC_ARX_POLICY_H */
