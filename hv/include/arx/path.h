/*
 * Paths inside the boot package (hv/lib/path.c). Files are stored under
 * their absolute host path without the leading "/", so a config's kernel
 * or ramdisk path resolves as xl would resolve it on the host: absolute as
 * given, relative to the directory of the config file.
 */
#ifndef ARX_PATH_H
#define ARX_PATH_H

#include "types.h"

/*
 * Resolves `file`, named in the config stored at `config_path`, into the
 * archive path of that file: an absolute `file` loses its leading "/", a
 * relative one is put after the config's directory. "." components and
 * repeated "/" are dropped and ".." removes the component before it.
 * Returns 0, or -1 if the result does not fit in out_size bytes (NUL
 * included), is empty, or ".." would climb above the root.
 */
int path_resolve(const char *config_path, const char *file, char *out, size_t out_size);

#endif
