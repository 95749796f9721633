/* Options on the kernel command line; see testos/options.h. */
#include <arx/string.h>
#include <testos/options.h>

#define MAX_DIGITS 9 /* below 2^32: no value a command line needs overflows anything */

const char *boot_option(const char *args, const char *option, size_t *len)
{
	size_t n = strlen(option);
	const char *v;

	for (const char *p = args; *p; p++) {
		if ((p != args && p[-1] != ' ') || strncmp(p, option, n) != 0)
			continue;
		v = p + n;
		if (len)
			for (*len = 0; v[*len] && v[*len] != ' '; (*len)++)
				;
		return v;
	}
	return NULL;
}

bool parse_decimal(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (s - *p >= MAX_DIGITS)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s == *p)
		return false;
	*p = s;
	*out = v;
	return true;
}
