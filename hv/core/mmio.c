/*
 * MMIO trap regions: a small sorted array, binary-searched on a miss of the
 * last region hit (a guest mostly polls one device at a time).
 */
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

static bool contains(const struct mmio_region *r, paddr_t ipa)
{
	return ipa >= r->base && ipa - r->base < r->size;
}

static struct mmio_region *search(struct mmio_map *m, paddr_t ipa)
{
	unsigned int lo = 0, hi = m->count;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		struct mmio_region *r = &m->regions[mid];
		if (ipa < r->base)
			hi = mid;
		else if (ipa - r->base >= r->size)
			lo = mid + 1;
		else {
			/* The hint is shared by the domain's vCPUs: any index below count will do. */
			__atomic_store_n(&m->last, mid, __ATOMIC_RELAXED);
			return r;
		}
	}
	return NULL;
}

static struct mmio_region *find(struct mmio_map *m, paddr_t ipa)
{
	unsigned int last = __atomic_load_n(&m->last, __ATOMIC_RELAXED);
	if (last < m->count && contains(&m->regions[last], ipa))
		return &m->regions[last];
	return search(m, ipa);
}

bool mmio_dispatch(struct mmio_map *m, struct vcpu *v, struct mmio_access *a)
{
	struct mmio_region *r = find(m, a->ipa);
	if (!r || a->ipa - r->base + a->size > r->size || (a->ipa & (a->size - 1)))
		return false; /* no device, an access straddling its end, or unaligned */
	a->offset = a->ipa - r->base;
	return r->handler(v, a, r->dev);
}
