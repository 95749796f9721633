/*
 * Words of a kernel command line, split at spaces. (Linux also splits at
 * other white space and keeps quoted spaces in a word; no option arx reads
 * needs either.)
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
