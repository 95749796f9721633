/*
 * Words of a kernel command line, split at spaces as Linux and arx's own
 * option parser split them. Quotes are not special: no option arx reads
 * ever needs a space in its value.
 */
#include <arx/cmdline.h>
#include <arx/string.h>

const char *cmdline_next_word(const char **pos, size_t *len)
{
	const char *s = *pos;
	while (*s == ' ')
		s++;
	const char *w = s;
	while (*s && *s != ' ')
		s++;
	*pos = s;
	*len = (size_t)(s - w);
	return *len ? w : NULL;
}

bool cmdline_is(const char *w, size_t len, const char *name, char sep)
{
	size_t nlen = strlen(name);
	return len >= nlen && memcmp(w, name, nlen) == 0 && (len == nlen || w[nlen] == sep);
}
