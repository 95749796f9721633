/*
 * Lexical path resolution for the boot package. Nothing here looks at the
 * archive: ".." simply removes the previous component, which is what
 * scripts/mkbootpkg's os.path.normpath does on the host, so both sides
 * agree on where a file is stored.
 */
#include <arx/path.h>
#include <arx/string.h>

/* The path being built: components separated by one '/', no leading '/'. */
struct path_buf {
	char *out;
	size_t size;
	size_t len;
};

/* Drops the last component; -1 if there is none (".." at the root). */
static int pop_component(struct path_buf *p)
{
	if (p->len == 0)
		return -1;
	while (p->len > 0 && p->out[p->len - 1] != '/')
		p->len--;
	if (p->len > 0)
		p->len--; /* the separator before the dropped component */
	return 0;
}

static int push_component(struct path_buf *p, const char *c, size_t n)
{
	size_t sep = p->len ? 1 : 0;

	/* Room for the separator, the component and the final NUL. */
	if (p->size - p->len <= sep + n)
		return -1;
	if (sep)
		p->out[p->len++] = '/';
	memcpy(p->out + p->len, c, n);
	p->len += n;
	return 0;
}

/* Applies the components of s[0..n) to the path. */
static int walk(struct path_buf *p, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start = i;
		int err = 0;

		while (i < n && s[i] != '/')
			i++;
		if (i - start == 2 && s[start] == '.' && s[start + 1] == '.')
			err = pop_component(p);
		else if (i - start > 1 || (i - start == 1 && s[start] != '.'))
			err = push_component(p, s + start, i - start);
		if (err)
			return -1;
		i++; /* past the '/' (or the end) */
	}
	return 0;
}

/* Length of the directory part of a path: everything before its last '/'. */
static size_t dir_len(const char *path)
{
	size_t n = strlen(path);

	while (n > 0 && path[n - 1] != '/')
		n--;
	return n;
}

int path_resolve(const char *config_path, const char *file, char *out, size_t out_size)
{
	struct path_buf p = { .out = out, .size = out_size, .len = 0 };
	int err = 0;

	if (out_size == 0)
		return -1;
	if (file[0] == '\0')
		err = -1; /* would name the config's directory, never a file */
	else if (file[0] != '/')
		err = walk(&p, config_path, dir_len(config_path));
	if (!err)
		err = walk(&p, file, strlen(file));
	if (err || p.len == 0) {
		out[0] = '\0'; /* no half-built path for a caller that ignores -1 */
		return -1;
	}
	out[p.len] = '\0';
	return 0;
}
