/*
 * Reader for cpio "newc" archives ("070701", and "070702" whose header
 * carries a byte sum of the data).
 *
 * Each entry is a 110-byte header of 6 magic characters and 13 fields of
 * exactly 8 hex digits, then the name (namesize bytes, NUL included),
 * padding to a multiple of 4, the data (filesize bytes) and padding to a
 * multiple of 4 again; offsets count from the start of the archive. A
 * "TRAILER!!!" entry ends it.
 *
 * The archive comes from whoever started us, so every field is checked
 * before it is used, and all arithmetic on offsets is done as "is there
 * room for this many more bytes" so it cannot wrap. Every successful step
 * moves the cursor forward by at least the 110-byte header, so iterating
 * ends after at most size / 110 entries on any input.
 *
 * Hard links are not supported: newc stores a hard-linked file's data with
 * its last link only, and the boot package never contains any.
 */
#include <arx/cpio.h>
#include <arx/string.h>

#define CPIO_HDR_SIZE 110u
#define CPIO_NR_FIELDS 13
#define CPIO_S_IFMT 0170000u
#define CPIO_S_IFREG 0100000u

/* Field indexes, in header order after the magic. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
};

struct cpio_hdr {
	uint32_t field[CPIO_NR_FIELDS];
	bool has_sum; /* "070702": F_CHECK is the byte sum of the data */
};

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly 8 hex digits: no sign, no spaces, no "0x", so 32 bits always fit. */
static int parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return CPIO_ERR_HEADER;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* The caller has checked that CPIO_HDR_SIZE bytes are readable at p. */
static int parse_header(const uint8_t *p, struct cpio_hdr *h)
{
	int i;

	if (memcmp(p, "07070", 5) != 0 || (p[5] != '1' && p[5] != '2'))
		return CPIO_ERR_MAGIC;
	h->has_sum = p[5] == '2';
	/* Unused fields are checked too: a bad digit anywhere means garbage. */
	for (i = 0; i < CPIO_NR_FIELDS; i++) {
		if (parse_hex8(p + 6 + 8 * i, &h->field[i]))
			return CPIO_ERR_HEADER;
	}
	return 0;
}

/* The name without any leading "./" or "/", which archivers add freely. */
static const char *strip_prefix(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

/* Bytes needed to pad `off` to a multiple of 4. */
static size_t pad4(size_t off)
{
	return (4 - (off & 3)) & 3;
}

static uint32_t byte_sum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	while (n--)
		sum += *p++;
	return sum;
}

/* Checks the name that follows the header at `pos` (header already known to fit). */
static int check_name(const uint8_t *a, size_t size, size_t pos, const struct cpio_hdr *h)
{
	size_t name_off = pos + CPIO_HDR_SIZE;
	uint32_t namesize = h->field[F_NAMESIZE];

	if (namesize > size - name_off)
		return CPIO_ERR_TRUNCATED;
	/* At least one character, and the only NUL is the last byte. */
	if (namesize < 2 || strnlen((const char *)a + name_off, namesize) != namesize - 1)
		return CPIO_ERR_HEADER;
	return 0;
}

/*
 * Checks the padding and data of a non-trailer entry, fills *e and returns
 * through *next where the following entry starts.
 */
static int take_data(const uint8_t *a, size_t size, size_t pos, const struct cpio_hdr *h,
		     struct cpio_entry *e, size_t *next)
{
	size_t name_end = pos + CPIO_HDR_SIZE + h->field[F_NAMESIZE];
	uint32_t filesize = h->field[F_FILESIZE];
	size_t data_off, end;

	if (pad4(name_end) > size - name_end)
		return CPIO_ERR_TRUNCATED;
	data_off = name_end + pad4(name_end);
	if (filesize > size - data_off)
		return CPIO_ERR_TRUNCATED;
	if (h->has_sum && byte_sum(a + data_off, filesize) != h->field[F_CHECK])
		return CPIO_ERR_CHECKSUM;
	e->data = a + data_off;
	e->size = filesize;
	e->mode = h->field[F_MODE];
	/* The last entry's padding may be missing: the next call then sees the end. */
	end = data_off + filesize;
	*next = pad4(end) > size - end ? size : end + pad4(end);
	return 0;
}

int cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_entry *e)
{
	const uint8_t *a = archive;
	size_t pos = *cursor;
	struct cpio_hdr h;
	const char *name;
	int err;

	if (pos >= size)
		return 0;
	if (pos & 3)
		return CPIO_ERR_HEADER; /* not a cursor we handed out */
	if (size - pos < CPIO_HDR_SIZE)
		return CPIO_ERR_TRUNCATED;
	err = parse_header(a + pos, &h);
	if (!err)
		err = check_name(a, size, pos, &h);
	if (err)
		return err;
	name = (const char *)a + pos + CPIO_HDR_SIZE;
	if (strcmp(name, "TRAILER!!!") == 0) {
		*cursor = size; /* stays at the end however often it is called */
		return 0;
	}
	err = take_data(a, size, pos, &h, e, cursor);
	if (err)
		return err;
	e->name = strip_prefix(name);
	return 1;
}

int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *e)
{
	struct cpio_entry cur;
	size_t cursor = 0;

	path = strip_prefix(path);
	/* The first entry of that name wins; the boot package stores each once. */
	while (cpio_next(archive, size, &cursor, &cur) == 1) {
		if ((cur.mode & CPIO_S_IFMT) == CPIO_S_IFREG && strcmp(cur.name, path) == 0) {
			*e = cur;
			return 0;
		}
	}
	return -1;
}

const char *cpio_strerror(int err)
{
	switch (err) {
	case CPIO_ERR_MAGIC:
		return "bad magic (not a cpio newc archive)";
	case CPIO_ERR_TRUNCATED:
		return "truncated";
	case CPIO_ERR_HEADER:
		return "malformed header";
	case CPIO_ERR_CHECKSUM:
		return "checksum mismatch";
	default:
		return err < 0 ? "malformed archive" : "no error";
	}
}
