/*
 * Writer for flattened device trees (v17), used to build each domain's
 * tree. Layout of the finished blob: the 40-byte header, one empty
 * memory-reservation entry (16 zero bytes; the map must end with one), the
 * structure block, then the strings block. Everything is big-endian.
 *
 * While building, property names are kept at the end of buf, newest first,
 * so a property token records its name as "distance from the end of buf";
 * fdt_w_finish turns those into real offsets once the strings block's size
 * is known. Names are shared: a name that already appears in the strings
 * block (also as the tail of a longer one) is not stored again.
 *
 * Running out of room, or a call that would make the tree invalid, only
 * sets a flag; the calls that follow do nothing and fdt_w_finish reports
 * -1. So a builder can emit the whole tree and check once.
 */
#include <arx/fdt_write.h>
#include <arx/string.h>

#define FDT_MAGIC_VALUE 0xd00dfeedu
#define FDT_VERSION 17u
#define FDT_LAST_COMP_VERSION 16u
#define FDT_HDR_SIZE 40u
#define FDT_RSVMAP_SIZE 16u /* the terminating (0, 0) entry */
#define FDT_STRUCT_OFF (FDT_HDR_SIZE + FDT_RSVMAP_SIZE)
#define FDT_MAX_TOTAL 0xffffffffu /* totalsize is a 32-bit field */

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_END 9u

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static size_t pad4(size_t n)
{
	return (4 - (n & 3)) & 3;
}

void fdt_w_init(struct fdt_writer *w, void *buf, size_t size)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	/* Room beyond what totalsize can describe is of no use. */
	w->size = MIN(size, (size_t)FDT_MAX_TOTAL);
	if (w->size < FDT_STRUCT_OFF)
		w->overflow = true;
}

/* True when nothing more may be written. */
static bool stopped(const struct fdt_writer *w)
{
	return w->overflow || w->misuse || w->finished;
}

static size_t room(const struct fdt_writer *w)
{
	return w->size - FDT_STRUCT_OFF - w->struct_len - w->strings_len;
}

/*
 * Claims n bytes (n <= limit keeps n plus padding from wrapping) at the
 * end of the structure block; zero padding to a 4-byte boundary follows.
 */
static uint8_t *claim(struct fdt_writer *w, size_t n)
{
	uint8_t *p;

	if (stopped(w))
		return NULL;
	if (n > room(w) || pad4(n) > room(w) - n) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + FDT_STRUCT_OFF + w->struct_len;
	memset(p + n, 0, pad4(n));
	w->struct_len += n + pad4(n);
	return p;
}

static void put_token(struct fdt_writer *w, uint32_t tag)
{
	uint8_t *p = claim(w, 4);

	if (p)
		put_be32(p, tag);
}

void fdt_w_begin_node(struct fdt_writer *w, const char *name)
{
	size_t n;
	uint8_t *p;

	/* One root, named "", and every other node below it with a name. */
	if (!name || (w->depth == 0) != (name[0] == '\0') || (w->depth == 0 && w->root_done)) {
		w->misuse = true;
		return;
	}
	n = strlen(name);
	p = claim(w, 4 + n + 1);
	if (!p)
		return;
	put_be32(p, FDT_BEGIN_NODE);
	memcpy(p + 4, name, n + 1);
	w->depth++;
}

void fdt_w_end_node(struct fdt_writer *w)
{
	if (w->depth == 0) {
		w->misuse = true;
		return;
	}
	put_token(w, FDT_END_NODE);
	if (stopped(w))
		return;
	if (--w->depth == 0)
		w->root_done = true;
}

/*
 * Stores a property name in the strings block unless it is already there,
 * and gives its distance from the end of buf (the final offset is only
 * known at finish).
 */
static bool intern_name(struct fdt_writer *w, const char *name, uint32_t *dist)
{
	size_t n = strlen(name) + 1;
	const uint8_t *strings = w->buf + w->size - w->strings_len;
	size_t i;

	for (i = 0; i + n <= w->strings_len; i++) {
		if (memcmp(strings + i, name, n) == 0) {
			*dist = (uint32_t)(w->strings_len - i);
			return true;
		}
	}
	if (n > room(w)) {
		w->overflow = true;
		return false;
	}
	w->strings_len += n;
	memcpy(w->buf + w->size - w->strings_len, name, n);
	*dist = (uint32_t)w->strings_len;
	return true;
}

void fdt_w_prop(struct fdt_writer *w, const char *name, const void *val, size_t len)
{
	uint32_t dist;
	uint8_t *p;

	if (!name || name[0] == '\0' || (len && !val) || w->depth == 0) {
		w->misuse = true;
		return;
	}
	if (stopped(w))
		return;
	if (len > room(w)) { /* checked first so 12 + len cannot wrap */
		w->overflow = true;
		return;
	}
	if (!intern_name(w, name, &dist))
		return;
	p = claim(w, 12 + len);
	if (!p)
		return;
	put_be32(p, FDT_PROP);
	put_be32(p + 4, (uint32_t)len);
	put_be32(p + 8, dist);
	if (len)
		memcpy(p + 12, val, len);
}

void fdt_w_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	uint8_t cell[4];

	put_be32(cell, v);
	fdt_w_prop(w, name, cell, sizeof(cell));
}

void fdt_w_prop_u64(struct fdt_writer *w, const char *name, uint64_t v)
{
	uint8_t cells[8];

	put_be32(cells, (uint32_t)(v >> 32));
	put_be32(cells + 4, (uint32_t)v);
	fdt_w_prop(w, name, cells, sizeof(cells));
}

/* Converted four bytes at a time straight into the claimed space. */
void fdt_w_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t n)
{
	uint32_t dist;
	uint8_t *p;
	size_t i;

	if (!name || name[0] == '\0' || (n && !cells) || w->depth == 0) {
		w->misuse = true;
		return;
	}
	if (stopped(w))
		return;
	if (n > room(w) / 4) {
		w->overflow = true;
		return;
	}
	if (!intern_name(w, name, &dist))
		return;
	p = claim(w, 12 + 4 * n);
	if (!p)
		return;
	put_be32(p, FDT_PROP);
	put_be32(p + 4, (uint32_t)(4 * n));
	put_be32(p + 8, dist);
	for (i = 0; i < n; i++)
		put_be32(p + 12 + 4 * i, cells[i]);
}

void fdt_w_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	if (!s) {
		w->misuse = true;
		return;
	}
	fdt_w_prop(w, name, s, strlen(s) + 1);
}

void fdt_w_prop_strings(struct fdt_writer *w, const char *name, const char *strs, size_t len)
{
	/* A string list is a run of NUL-terminated strings: it must end in one. */
	if (!strs || len == 0 || strs[len - 1] != '\0') {
		w->misuse = true;
		return;
	}
	fdt_w_prop(w, name, strs, len);
}

void fdt_w_prop_empty(struct fdt_writer *w, const char *name)
{
	fdt_w_prop(w, name, NULL, 0);
}

/* Turns each property's "distance from the end" into a strings-block offset. */
static void fix_name_offsets(struct fdt_writer *w)
{
	uint8_t *base = w->buf + FDT_STRUCT_OFF;
	size_t off = 0;

	while (off < w->struct_len) {
		uint32_t tag = get_be32(base + off);

		if (tag == FDT_BEGIN_NODE) {
			size_t n = strlen((const char *)base + off + 4) + 1;

			off += 4 + n + pad4(n);
		} else if (tag == FDT_PROP) {
			uint32_t len = get_be32(base + off + 4);
			uint32_t dist = get_be32(base + off + 8);

			put_be32(base + off + 8, (uint32_t)w->strings_len - dist);
			off += 12 + len + pad4(len);
		} else {
			off += 4;
		}
	}
}

static void write_header(struct fdt_writer *w, size_t total)
{
	uint8_t *h = w->buf;

	put_be32(h + 0, FDT_MAGIC_VALUE);
	put_be32(h + 4, (uint32_t)total);
	put_be32(h + 8, FDT_STRUCT_OFF);
	put_be32(h + 12, (uint32_t)(FDT_STRUCT_OFF + w->struct_len));
	put_be32(h + 16, FDT_HDR_SIZE);
	put_be32(h + 20, FDT_VERSION);
	put_be32(h + 24, FDT_LAST_COMP_VERSION);
	put_be32(h + 28, 0); /* boot_cpuid_phys: vCPU 0 boots */
	put_be32(h + 32, (uint32_t)w->strings_len);
	put_be32(h + 36, (uint32_t)w->struct_len);
	memset(h + FDT_HDR_SIZE, 0, FDT_RSVMAP_SIZE);
}

long fdt_w_finish(struct fdt_writer *w)
{
	size_t total;

	if (w->depth != 0 || !w->root_done)
		w->misuse = true;
	put_token(w, FDT_END);
	if (stopped(w))
		return -1;
	w->finished = true;
	fix_name_offsets(w);
	/* The strings may overlap their new place only from above: memmove. */
	memmove(w->buf + FDT_STRUCT_OFF + w->struct_len, w->buf + w->size - w->strings_len,
		w->strings_len);
	total = FDT_STRUCT_OFF + w->struct_len + w->strings_len;
	write_header(w, total);
	return (long)total;
}
