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

/*
 * Iterates: *cursor starts at 0. Returns 1 and fills *e for the next entry,
 * 0 at the "TRAILER!!!" entry or the end, or a negative value for a
 * malformed archive.
 */
int cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_entry *e);

/* Finds a regular file by exact path (after dropping a leading "./" or "/"); 0 or -1. */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *e);

#endif
