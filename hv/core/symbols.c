/*
 * Function names for crash reports. The table is generated at build time
 * (scripts/gen-symbols) as offsets from the image start, sorted, so a
 * binary search finds the function that contains an address.
 */
#include <arx/panic.h>

extern const uint32_t arx_sym_count;
extern const uint32_t arx_sym_addrs[];
extern const uint32_t arx_sym_names[];
extern const char arx_sym_strtab[];
extern char __text_end[];

paddr_t arx_load_base;

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	if (addr < arx_load_base || addr >= (uint64_t)__text_end || arx_sym_count == 0)
		return NULL;
	uint64_t rel = addr - arx_load_base;
	uint32_t lo = 0, hi = arx_sym_count;
	while (hi - lo > 1) { /* invariant: addrs[lo] <= rel < addrs[hi] */
		uint32_t mid = lo + (hi - lo) / 2;
		if (arx_sym_addrs[mid] <= rel)
			lo = mid;
		else
			hi = mid;
	}
	if (arx_sym_addrs[lo] > rel)
		return NULL;
	*offset = rel - arx_sym_addrs[lo];
	return arx_sym_strtab + arx_sym_names[lo];
}
