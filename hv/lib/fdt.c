/*
 * Bounds-checked reader for flattened device trees.
 *
 * The DTB comes from whoever loaded us, so nothing in it is trusted. All
 * access to the structure block goes through read_token(), which checks
 * every offset and length against the block sizes that fdt_open() checked
 * against the blob size. fdt_open() also walks the whole tree once, so a
 * truncated or badly nested blob is rejected up front; the accessors still
 * check everything because node handles come from callers.
 *
 * Every walk advances by at least one 4-byte token per step and never goes
 * backwards, so all loops end within struct_size / 4 steps on any input.
 */
#include <arx/fdt.h>
#include <arx/string.h>

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

#define FDT_HDR_V16 36u /* up to size_dt_strings */
#define FDT_HDR_V17 40u /* adds size_dt_struct */
#define FDT_MAX_DEPTH 64 /* nesting levels, the root being level 1 */
#define FDT_MAX_BLOB 0x7fffffffu /* node handles are ints */

/* Header field offsets (the header is big-endian 32-bit words). */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP = 24,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36,
};

/* One decoded structure-block token. */
struct token {
	uint32_t tag;
	uint32_t off; /* of the tag, within the structure block */
	uint32_t next; /* offset of the token that follows */
	const char *name; /* FDT_BEGIN_NODE: node name; FDT_PROP: property name */
	const uint8_t *val; /* FDT_PROP only */
	uint32_t len; /* FDT_PROP only */
};

/* Byte by byte: the blob may sit at any alignment. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t sword(const struct fdt *fdt, uint32_t off)
{
	return be32(fdt->blob + fdt->struct_off + off);
}

static int read_begin(const struct fdt *fdt, struct token *t)
{
	uint32_t start = t->off + 4;
	uint32_t room = fdt->struct_size - start;
	const char *name = (const char *)fdt->blob + fdt->struct_off + start;
	size_t n = strnlen(name, room);

	if (n == room)
		return FDT_ERR_BADSTRUCTURE; /* unterminated name */
	t->name = name;
	/* Cannot overflow: start + n + 1 <= struct_size <= FDT_MAX_BLOB. */
	t->next = ALIGN_UP(start + (uint32_t)n + 1, 4u);
	return 0;
}

static int read_prop(const struct fdt *fdt, struct token *t)
{
	uint32_t room = fdt->struct_size - t->off;
	uint32_t len, nameoff;

	if (room < 12)
		return FDT_ERR_TRUNCATED;
	len = sword(fdt, t->off + 4);
	nameoff = sword(fdt, t->off + 8);
	if (len > room - 12 || nameoff >= fdt->strings_size)
		return FDT_ERR_TRUNCATED;
	t->name = (const char *)fdt->blob + fdt->strings_off + nameoff;
	if (strnlen(t->name, fdt->strings_size - nameoff) == fdt->strings_size - nameoff)
		return FDT_ERR_BADSTRUCTURE;
	t->val = fdt->blob + fdt->struct_off + t->off + 12;
	t->len = len;
	t->next = ALIGN_UP(t->off + 12 + len, 4u);
	return 0;
}

/* Decodes the token at `off`, checking that all of it lies in the block. */
static int read_token(const struct fdt *fdt, uint32_t off, struct token *t)
{
	if ((off & 3) || fdt->struct_size < 4 || off > fdt->struct_size - 4)
		return FDT_ERR_TRUNCATED;
	t->tag = sword(fdt, off);
	t->off = off;
	t->next = off + 4;
	t->name = NULL;
	t->val = NULL;
	t->len = 0;
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		return read_begin(fdt, t);
	case FDT_PROP:
		return read_prop(fdt, t);
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		return 0;
	default:
		return FDT_ERR_BADSTRUCTURE;
	}
}

/* Checks that a caller's handle points at a FDT_BEGIN_NODE token. */
static int node_token(const struct fdt *fdt, int node, struct token *t)
{
	int err;

	if (node < 0)
		return node >= FDT_ERR_BADVALUE ? node : FDT_ERR_BADVALUE;
	err = read_token(fdt, (uint32_t)node, t);
	if (err)
		return err;
	return t->tag == FDT_BEGIN_NODE ? 0 : FDT_ERR_BADVALUE;
}

/* Moves past properties and NOPs; the first other token lands in t. */
static int skip_props(const struct fdt *fdt, uint32_t off, struct token *t)
{
	for (;;) {
		int err = read_token(fdt, off, t);

		if (err)
			return err;
		if (t->tag != FDT_PROP && t->tag != FDT_NOP)
			return 0;
		off = t->next;
	}
}

/* From the FDT_BEGIN_NODE at `off`, finds the offset just past its END_NODE. */
static int skip_subtree(const struct fdt *fdt, uint32_t off, uint32_t *after)
{
	struct token t;
	int depth = 0;

	do {
		int err = read_token(fdt, off, &t);

		if (err)
			return err;
		if (t.tag == FDT_BEGIN_NODE && ++depth > FDT_MAX_DEPTH)
			return FDT_ERR_BADSTRUCTURE;
		if (t.tag == FDT_END_NODE)
			depth--;
		if (t.tag == FDT_END)
			return FDT_ERR_BADSTRUCTURE;
		off = t.next;
	} while (depth > 0);
	*after = off;
	return 0;
}

/* The whole tree: one root, balanced nesting, then FDT_END. */
static int check_tree(const struct fdt *fdt)
{
	struct token t;
	uint32_t off;
	int root = fdt_root(fdt);
	int err;

	if (root < 0)
		return root;
	err = skip_subtree(fdt, (uint32_t)root, &off);
	for (; !err; off = t.next) {
		err = read_token(fdt, off, &t);
		if (!err && t.tag == FDT_END)
			return 0;
		if (!err && t.tag != FDT_NOP)
			return FDT_ERR_BADSTRUCTURE;
	}
	return err;
}

static int check_block(uint32_t off, uint32_t size, uint32_t hdr, uint32_t total)
{
	if (off < hdr || off > total || size > total - off)
		return FDT_ERR_TRUNCATED;
	return 0;
}

/* Fills the block fields from a header already known to be readable. */
static int read_blocks(struct fdt *f, uint32_t version, uint32_t hdr)
{
	const uint8_t *b = f->blob;
	int err;

	f->struct_off = be32(b + HDR_OFF_STRUCT);
	f->strings_off = be32(b + HDR_OFF_STRINGS);
	f->strings_size = be32(b + HDR_SIZE_STRINGS);
	if (version >= 17) {
		f->struct_size = be32(b + HDR_SIZE_STRUCT);
	} else if (f->struct_off <= f->total_size) {
		/* v16 has no struct size: the block runs to strings or the end. */
		uint32_t end = f->strings_off > f->struct_off ? f->strings_off : f->total_size;

		f->struct_size = MIN(end, f->total_size) - f->struct_off;
	}
	err = check_block(f->struct_off, f->struct_size, hdr, f->total_size);
	if (!err)
		err = check_block(f->strings_off, f->strings_size, hdr, f->total_size);
	if (!err)
		err = check_block(be32(b + HDR_OFF_RSVMAP), 0, hdr, f->total_size);
	if (!err && (f->struct_off & 3))
		err = FDT_ERR_BADSTRUCTURE;
	return err;
}

int fdt_open(struct fdt *fdt, const void *blob, size_t max_size)
{
	struct fdt f = { .blob = blob };
	uint32_t version, hdr;
	int err;

	if (!blob || max_size < 4)
		return FDT_ERR_TRUNCATED;
	if (be32(f.blob + HDR_MAGIC) != FDT_MAGIC)
		return FDT_ERR_BADMAGIC;
	if (max_size < FDT_HDR_V16)
		return FDT_ERR_TRUNCATED;
	version = be32(f.blob + HDR_VERSION);
	if (version < 16 || be32(f.blob + HDR_LAST_COMP) > 17)
		return FDT_ERR_BADVERSION;
	hdr = version >= 17 ? FDT_HDR_V17 : FDT_HDR_V16;
	f.total_size = be32(f.blob + HDR_TOTALSIZE);
	if (max_size < hdr || f.total_size < hdr || f.total_size > max_size ||
	    f.total_size > FDT_MAX_BLOB)
		return FDT_ERR_TRUNCATED;
	err = read_blocks(&f, version, hdr);
	if (!err)
		err = check_tree(&f);
	if (!err)
		*fdt = f;
	return err;
}

uint32_t fdt_peek_size(const void *header16)
{
	const uint8_t *b = header16;

	if (!b || be32(b + HDR_MAGIC) != FDT_MAGIC)
		return 0;
	return be32(b + HDR_TOTALSIZE);
}

int fdt_root(const struct fdt *fdt)
{
	struct token t;
	uint32_t off = 0;

	for (;;) {
		int err = read_token(fdt, off, &t);

		if (err)
			return err;
		if (t.tag == FDT_BEGIN_NODE)
			return (int)off;
		if (t.tag != FDT_NOP)
			return FDT_ERR_BADSTRUCTURE;
		off = t.next;
	}
}

int fdt_next_node(const struct fdt *fdt, int node)
{
	struct token t;
	int err = node_token(fdt, node, &t);

	/* The next BEGIN_NODE in the stream is the depth-first successor. */
	while (!err) {
		err = read_token(fdt, t.next, &t);
		if (!err && t.tag == FDT_BEGIN_NODE)
			return (int)t.off;
		if (!err && t.tag == FDT_END)
			return FDT_ERR_NOTFOUND;
	}
	return err;
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	struct token t;
	int err = node_token(fdt, node, &t);

	if (!err)
		err = skip_props(fdt, t.next, &t);
	if (err)
		return err;
	if (t.tag == FDT_BEGIN_NODE)
		return (int)t.off;
	return t.tag == FDT_END_NODE ? FDT_ERR_NOTFOUND : FDT_ERR_BADSTRUCTURE;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	struct token t;
	uint32_t after;
	int err = node_token(fdt, node, &t);

	if (!err)
		err = skip_subtree(fdt, (uint32_t)node, &after);
	if (!err)
		err = skip_props(fdt, after, &t);
	if (err)
		return err;
	if (t.tag == FDT_BEGIN_NODE)
		return (int)t.off;
	/* END_NODE closes the parent; END follows the root, which has no siblings. */
	return FDT_ERR_NOTFOUND;
}

/* Walks from the start keeping the chain of open nodes, until `node` opens. */
int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0;
	struct token t;
	uint32_t off = 0;
	int err = node_token(fdt, node, &t);

	while (!err && off <= (uint32_t)node) {
		err = read_token(fdt, off, &t);
		if (err || t.tag == FDT_END)
			break;
		if (t.tag == FDT_BEGIN_NODE && t.off == (uint32_t)node)
			return depth ? stack[depth - 1] : FDT_ERR_NOTFOUND;
		if (t.tag == FDT_BEGIN_NODE && depth == FDT_MAX_DEPTH)
			return FDT_ERR_BADSTRUCTURE;
		if (t.tag == FDT_BEGIN_NODE)
			stack[depth++] = (int)t.off;
		if (t.tag == FDT_END_NODE && depth-- == 0)
			return FDT_ERR_BADSTRUCTURE;
		off = t.next;
	}
	/* Not reached as a node: the handle pointed inside some other token. */
	return err ? err : FDT_ERR_NOTFOUND;
}

const char *fdt_name(const struct fdt *fdt, int node)
{
	struct token t;

	return node_token(fdt, node, &t) ? NULL : t.name;
}

static const void *fail_prop(int *len, int err)
{
	if (len)
		*len = err;
	return NULL;
}

/* Properties precede child nodes, so the search stops at the first child. */
const void *fdt_prop(const struct fdt *fdt, int node, const char *name, int *len)
{
	struct token t;
	int err = node_token(fdt, node, &t);

	while (!err) {
		err = read_token(fdt, t.next, &t);
		if (err)
			break;
		if (t.tag == FDT_NOP)
			continue;
		if (t.tag != FDT_PROP)
			return fail_prop(len, FDT_ERR_NOTFOUND);
		if (!strcmp(t.name, name)) {
			if (len)
				*len = (int)t.len;
			return t.val;
		}
	}
	return fail_prop(len, err);
}

/* A string list is NUL-separated; a hostile last entry may lack its NUL. */
static bool strlist_has(const char *list, size_t len, const char *s)
{
	size_t want = strlen(s) + 1, pos = 0;

	while (pos < len) {
		size_t n = strnlen(list + pos, len - pos);

		if (n == len - pos)
			return false;
		if (n + 1 == want && !memcmp(list + pos, s, want))
			return true;
		pos += n + 1;
	}
	return false;
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	int len;
	const char *list = fdt_prop(fdt, node, "compatible", &len);

	return list && strlist_has(list, (size_t)len, compat);
}

int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat)
{
	int node = from < 0 ? fdt_root(fdt) : fdt_next_node(fdt, from);

	while (node >= 0 && !fdt_is_compatible(fdt, node, compat))
		node = fdt_next_node(fdt, node);
	return node;
}

int fdt_find_device_type(const struct fdt *fdt, int from, const char *type)
{
	int node = from < 0 ? fdt_root(fdt) : fdt_next_node(fdt, from);

	while (node >= 0 && !fdt_prop_is(fdt, node, "device_type", type))
		node = fdt_next_node(fdt, node);
	return node;
}

/* The child of `node` whose full name is the `len` bytes at `comp`. */
static int find_child(const struct fdt *fdt, int node, const char *comp, size_t len)
{
	int child = fdt_first_child(fdt, node);

	for (; child >= 0; child = fdt_next_sibling(fdt, child)) {
		const char *name = fdt_name(fdt, child);

		if (name && !strncmp(name, comp, len) && name[len] == '\0')
			return child;
	}
	return child;
}

/* Components compare with the whole node name, unit address included. */
int fdt_path(const struct fdt *fdt, const char *path)
{
	int node;

	if (!path || path[0] != '/')
		return FDT_ERR_NOTFOUND; /* aliases are not supported */
	node = fdt_root(fdt);
	while (node >= 0) {
		size_t len = 0;

		while (*path == '/')
			path++;
		if (!*path)
			return node;
		while (path[len] && path[len] != '/')
			len++;
		node = find_child(fdt, node, path, len);
		path += len;
	}
	return node;
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const uint8_t *v = fdt_prop(fdt, node, name, &len);

	if (!v)
		return len;
	if (len != 4)
		return FDT_ERR_BADVALUE;
	*out = be32(v);
	return 0;
}

int fdt_prop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const uint8_t *v = fdt_prop(fdt, node, name, &len);

	if (!v)
		return len;
	if (len == 4)
		*out = be32(v);
	else if (len == 8)
		*out = (uint64_t)be32(v) << 32 | be32(v + 4);
	else
		return FDT_ERR_BADVALUE;
	return 0;
}

int fdt_prop_cell(const struct fdt *fdt, int node, const char *name, int idx, uint32_t *out)
{
	int len;
	const uint8_t *v = fdt_prop(fdt, node, name, &len);

	if (!v)
		return len;
	if (idx < 0 || (uint64_t)idx * 4 + 4 > (uint64_t)len)
		return FDT_ERR_BADVALUE;
	*out = be32(v + (size_t)idx * 4);
	return 0;
}

bool fdt_prop_is(const struct fdt *fdt, int node, const char *name, const char *value)
{
	int len;
	const char *v = fdt_prop(fdt, node, name, &len);
	size_t want = strlen(value) + 1;

	return v && (size_t)len == want && !memcmp(v, value, want);
}

/* One of the parent's #address-cells / #size-cells, or its default. */
static int cells_of(const struct fdt *fdt, int parent, const char *name, uint32_t dflt,
		    uint32_t *out)
{
	int err = parent < 0 ? FDT_ERR_NOTFOUND : fdt_prop_u32(fdt, parent, name, out);

	if (err == FDT_ERR_NOTFOUND) {
		*out = dflt;
		err = 0;
	}
	/* Values wider than 64 bits cannot be represented; refuse them. */
	if (!err && *out > 2)
		err = FDT_ERR_BADVALUE;
	return err;
}

static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 32 | be32(p);
		p += 4;
	}
	return v;
}

/* An index past the last entry is FDT_ERR_NOTFOUND, so callers can loop. */
int fdt_reg(const struct fdt *fdt, int node, int idx, uint64_t *addr, uint64_t *size)
{
	int len, parent = fdt_parent(fdt, node);
	uint32_t ac = 0, sc = 0;
	size_t entry;
	const uint8_t *v;
	/* The root has no parent; its own reg (rare) uses the defaults. */
	int err = parent < 0 && parent != FDT_ERR_NOTFOUND ? parent : 0;

	if (!err)
		err = cells_of(fdt, parent, "#address-cells", 2, &ac);
	if (!err)
		err = cells_of(fdt, parent, "#size-cells", 1, &sc);
	if (!err && ac == 0)
		err = FDT_ERR_BADVALUE;
	if (err)
		return err;
	v = fdt_prop(fdt, node, "reg", &len);
	if (!v)
		return len;
	entry = (size_t)(ac + sc) * 4;
	if ((size_t)len % entry || idx < 0)
		return FDT_ERR_BADVALUE;
	if ((size_t)idx >= (size_t)len / entry)
		return FDT_ERR_NOTFOUND;
	v += (size_t)idx * entry;
	*addr = read_cells(v, ac);
	*size = read_cells(v + ac * 4, sc);
	return 0;
}

bool fdt_node_enabled(const struct fdt *fdt, int node)
{
	int len;

	/* A failed lookup's FDT_ERR_NOTFOUND must not read as "no status". */
	if (node < 0)
		return false;
	if (!fdt_prop(fdt, node, "status", &len))
		return len == FDT_ERR_NOTFOUND;
	return fdt_prop_is(fdt, node, "status", "okay") || fdt_prop_is(fdt, node, "status", "ok");
}
