/*
 * Domain bookkeeping: the table of domains, guest memory access by IPA,
 * vCPU lookup, and the end of a domain.
 */
#include <arch/cpu.h>
#include <arx/console.h>
#include <arx/domain.h>
#include <arx/irq.h>
#include <arx/psci.h>
#include <arx/string.h>

struct domain *domains[MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;

/* The host physical address of a guest RAM byte, and how many bytes follow in its chunk. */
static bool ram_span(struct domain *d, paddr_t ipa, paddr_t *pa, size_t *avail)
{
	if (ipa < GUEST_RAM_BASE || ipa - GUEST_RAM_BASE >= d->ram_size)
		return false;
	uint64_t off = ipa - GUEST_RAM_BASE;
	uint64_t in_chunk = off % DOMAIN_RAM_CHUNK;
	*pa = d->ram_chunks[off / DOMAIN_RAM_CHUNK] + in_chunk;
	*avail = DOMAIN_RAM_CHUNK - in_chunk;
	return true;
}

bool domain_copy_to(struct domain *d, paddr_t ipa, const void *src, size_t len)
{
	const uint8_t *s = src;
	while (len) {
		paddr_t pa;
		size_t n;
		if (!ram_span(d, ipa, &pa, &n))
			return false;
		n = MIN(n, len);
		memcpy((void *)pa, s, n);
		s += n;
		ipa += n;
		len -= n;
	}
	return true;
}

bool domain_copy_from(struct domain *d, void *dst, paddr_t ipa, size_t len)
{
	uint8_t *t = dst;
	while (len) {
		paddr_t pa;
		size_t n;
		if (!ram_span(d, ipa, &pa, &n))
			return false;
		n = MIN(n, len);
		memcpy(t, (const void *)pa, n);
		t += n;
		ipa += n;
		len -= n;
	}
	return true;
}

struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	uint64_t aff = mpidr & 0xff00ffffffUL; /* affinity fields only */
	return aff < d->nr_vcpus ? d->vcpus[aff] : NULL;
}

unsigned int domains_running(void)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < MAX_DOMAINS; i++)
		n += domains[i] && domains[i]->state == DOMAIN_RUNNING;
	return n;
}

/*
 * Marks the domain dying and kicks its vCPUs' CPUs, which then stop running
 * it (vcpu_before_return). When no domain is left, arx powers off.
 */
void domain_shutdown(struct domain *d, const char *why)
{
	spin_lock(&domains_lock);
	bool first = d->state == DOMAIN_RUNNING;
	if (first)
		d->state = DOMAIN_DYING;
	spin_unlock(&domains_lock);
	if (!first)
		return;
	printk("arx: domain %u (%s) ended: %s\n", d->id, d->name, why);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i] != current_vcpu())
			irq_send_sgi(d->vcpus[i]->pcpu, SGI_KICK);
	if (domains_running() == 0) {
		printk("arx: no domains left; powering off\n");
		psci_system_off();
	}
}
