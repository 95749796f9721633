/*
 * Reader for cpio "newc" archives (the boot package). The archive is
 * untrusted: every header field is parsed as bounded hex, names must be
 * NUL-terminated inside the archive, data must lie inside it.
 */
#ifndef ARX_CPIO_H
#define ARX_CPIO_H

#include "types.h"

struct cpio_entry {
	const char *name; /* NUL-terminated, inside the archive; no leading "./" or "/" */
	const void *data;
	size_t size;
	uint32_t mode; /* st_mode: file type and permissions */
};

/* What cpio_next returns for a malformed archive (all negative). */
enum cpio_err {
	CPIO_ERR_MAGIC = -1, /* an entry does not start with "070701" or "070702" */
	CPIO_ERR_TRUNCATED = -2, /* a header, name or data runs past the archive */
	CPIO_ERR_HEADER = -3, /* a field is not 8 hex digits, or the name is malformed */
	CPIO_ERR_CHECKSUM = -4, /* "070702" entry whose data does not match its sum */
};

/*
 * Iterates: *cursor starts at 0. Returns 1 and fills *e for the next entry,
 * 0 at the "TRAILER!!!" entry or the end, or a negative value for a
 * malformed archive.
 */
int cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_entry *e);

/* Finds a regular file by exact path (after dropping a leading "./" or "/"); 0 or -1. */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *e);

/* A short description of a cpio_next error code, for messages. */
const char *cpio_strerror(int err);

#endif
