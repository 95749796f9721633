/*
 * A small, bounds-checked reader for flattened device trees (DTB, v16/v17).
 *
 * The blob is hostile: every offset and length is checked against the
 * header's sizes before use, so a truncated or corrupted blob yields an
 * error, never an out-of-bounds read. Nodes are identified by their byte
 * offset into the structure block (>= 0); negative values are errors.
 */
#ifndef ARX_FDT_H
#define ARX_FDT_H

#include "types.h"

#define FDT_MAGIC 0xd00dfeedu

enum fdt_err {
	FDT_ERR_NOTFOUND = -1, /* no such node or property */
	FDT_ERR_BADMAGIC = -2,
	FDT_ERR_BADVERSION = -3,
	FDT_ERR_TRUNCATED = -4, /* header sizes exceed the buffer, or data exceeds a block */
	FDT_ERR_BADSTRUCTURE = -5, /* unknown token, bad nesting, unterminated name */
	FDT_ERR_BADVALUE = -6, /* property too short for what was asked */
};

struct fdt {
	const uint8_t *blob;
	uint32_t total_size;
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
};

/* Validates the header of the blob at `blob` (at most max_size bytes readable). */
int fdt_open(struct fdt *fdt, const void *blob, size_t max_size);

/* Reads only the header's totalsize (0 if the magic is wrong); for sizing a mapping. */
uint32_t fdt_peek_size(const void *header16);

/* The root node, or an error. */
int fdt_root(const struct fdt *fdt);

/* Node at an absolute path such as "/chosen" or "/cpus"; unit addresses must match exactly. */
int fdt_path(const struct fdt *fdt, const char *path);

/* The next node after `node` in depth-first order (any depth); FDT_ERR_NOTFOUND at the end. */
int fdt_next_node(const struct fdt *fdt, int node);

/* First direct child of `node` / next sibling; FDT_ERR_NOTFOUND when none. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);

/* Parent of `node` (root has none: FDT_ERR_NOTFOUND). */
int fdt_parent(const struct fdt *fdt, int node);

/* The node's name including any unit address ("uart@9000000"), NUL-terminated inside the blob. */
const char *fdt_name(const struct fdt *fdt, int node);

/* Property value and length (NULL and *len = error when missing or malformed). */
const void *fdt_prop(const struct fdt *fdt, int node, const char *name, int *len);

/* True when the node's "compatible" string list contains `compat`. */
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* First node after `from` (or from the start when from < 0) compatible with `compat`. */
int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat);

/* First node after `from` whose "device_type" equals `type` (e.g. "memory", "cpu"). */
int fdt_find_device_type(const struct fdt *fdt, int from, const char *type);

/* A big-endian u32 / u64 property ("u64" accepts 1 or 2 cells). */
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);
int fdt_prop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out);

/* Cell at index `idx` of a property made of u32 cells. */
int fdt_prop_cell(const struct fdt *fdt, int node, const char *name, int idx, uint32_t *out);

/* True when the string property `name` equals `value`. */
bool fdt_prop_is(const struct fdt *fdt, int node, const char *name, const char *value);

/*
 * Entry `idx` of the node's "reg", decoded with the parent's #address-cells
 * and #size-cells (defaults 2 and 1 when absent; cells > 2 are rejected).
 */
int fdt_reg(const struct fdt *fdt, int node, int idx, uint64_t *addr, uint64_t *size);

/* True when the node has no "status" or status is "okay"/"ok". */
bool fdt_node_enabled(const struct fdt *fdt, int node);

#endif
