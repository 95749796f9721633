/*
 * Builds a flattened device tree (v17) into a caller-supplied buffer.
 * Running out of space is remembered and reported by fdt_w_finish, so the
 * caller can emit the whole tree and check once.
 */
#ifndef ARX_FDT_WRITE_H
#define ARX_FDT_WRITE_H

#include "types.h"

/*
 * The structure block grows up from just after the header and the empty
 * memory-reservation map; the strings block grows down from the end of buf
 * and is moved next to the structure block by fdt_w_finish. So the writer
 * itself is small enough for any stack and only buf limits the tree.
 */
struct fdt_writer {
	uint8_t *buf;
	size_t size;
	size_t struct_len; /* structure block grows up from the header */
	size_t strings_len; /* strings block is kept apart until finish */
	int depth;
	bool overflow;
	/* implementation-private fields may follow */
	bool misuse; /* unbalanced nodes, a property outside any node, a second root */
	bool root_done;
	bool finished;
};

void fdt_w_init(struct fdt_writer *w, void *buf, size_t size);
void fdt_w_begin_node(struct fdt_writer *w, const char *name); /* "" for the root */
void fdt_w_end_node(struct fdt_writer *w);
void fdt_w_prop(struct fdt_writer *w, const char *name, const void *val, size_t len);
void fdt_w_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
void fdt_w_prop_u64(struct fdt_writer *w, const char *name, uint64_t v); /* two cells */
void fdt_w_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t n);
void fdt_w_prop_string(struct fdt_writer *w, const char *name, const char *s);
/* A string list: strs separated by '\0' in one buffer of total length len. */
void fdt_w_prop_strings(struct fdt_writer *w, const char *name, const char *strs, size_t len);
void fdt_w_prop_empty(struct fdt_writer *w, const char *name);
/* Closes the tree; returns its total size, or -1 (overflow or unbalanced nodes). */
long fdt_w_finish(struct fdt_writer *w);

#endif
