/* MMIO trap regions: a small sorted array, binary-searched on each access. */
#include <arx/mmio.h>
#include <arx/string.h>

int mmio_register(struct mmio_map *m, paddr_t base, uint64_t size, mmio_handler_t handler,
		  void *dev)
{
	unsigned int i = 0;
	if (m->count == MMIO_MAX_REGIONS || size == 0 || base + size < base)
		return -1;
	while (i < m->count && m->regions[i].base < base)
		i++;
	if (i > 0 && m->regions[i - 1].base + m->regions[i - 1].size > base)
		return -1;
	if (i < m->count && base + size > m->regions[i].base)
		return -1;
	memmove(&m->regions[i + 1], &m->regions[i], (m->count - i) * sizeof(m->regions[0]));
	m->regions[i] = (struct mmio_region){ base, size, handler, dev };
	m->count++;
	return 0;
}

static struct mmio_region *find(struct mmio_map *m, paddr_t ipa)
{
	unsigned int lo = 0, hi = m->count;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		struct mmio_region *r = &m->regions[mid];
		if (ipa < r->base)
			hi = mid;
		else if (ipa - r->base >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool mmio_dispatch(struct mmio_map *m, struct vcpu *v, struct mmio_access *a)
{
	struct mmio_region *r = find(m, a->ipa);
	if (!r || a->ipa - r->base + a->size > r->size || (a->ipa & (a->size - 1)))
		return false; /* no device, an access straddling its end, or unaligned */
	a->offset = a->ipa - r->base;
	return r->handler(v, a, r->dev);
}
