/*
 * The boot package: a cpio archive (the boot loader's initrd) holding an
 * index "arx-domains" with one config path per line, the configs, and the
 * files they name (see scripts/mkbootpkg). A bad config or file costs only
 * its own domain: arx says why and carries on with the rest.
 */
#include <arx/console.h>
#include <arx/cpio.h>
#include <arx/domain_build.h>
#include <arx/heap.h>
#include <arx/percpu.h>
#include <arx/string.h>

#define INDEX_NAME "arx-domains"
#define ERR_MAX 256

static unsigned int next_domain_id = 1;

static void describe(const struct domain *d, const char *path)
{
	unsigned int first = d->vcpus[0]->pcpu, last = d->vcpus[d->nr_vcpus - 1]->pcpu;
	printk("arx: domain %u (%s) from %s: %u vCPU%s on CPU %u", d->id, d->name, path,
	       d->nr_vcpus, d->nr_vcpus > 1 ? "s" : "", first);
	if (last != first)
		printk("-%u", last);
	printk(", %lu MiB\n", d->ram_size / MiB);
}

/* Builds one domain from the config at `path`; true if it was started. */
static bool start_one(const struct boot_package *pkg, const char *path, unsigned int *next_pcpu,
		      unsigned int nr_pcpus, char *err)
{
	struct cpio_entry e;
	struct domain_config cfg;
	if (cpio_find(pkg->data, pkg->size, path, &e)) {
		printk("arx: %s: config not found in the boot package; domain not started\n", path);
		return false;
	}
	if (config_parse(e.data, e.size, path, &cfg, err, ERR_MAX)) {
		printk("arx: %s; domain not started\n", err);
		return false;
	}
	if (cfg.vcpus > nr_pcpus - *next_pcpu) {
		printk("arx: %s: %s needs %u vCPUs but only %u physical CPUs are free (each vCPU "
		       "has a CPU of its own); domain not started\n",
		       path, cfg.name, cfg.vcpus, nr_pcpus - *next_pcpu);
		return false;
	}
	struct domain *d = domain_build(&cfg, path, pkg, *next_pcpu, err, ERR_MAX);
	if (!d) {
		printk("arx: %s; domain not started\n", err);
		return false;
	}
	d->id = next_domain_id++;
	domains[d->id % MAX_DOMAINS] = d;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		pcpus[*next_pcpu + i].vcpu = d->vcpus[i];
	*next_pcpu += d->nr_vcpus;
	describe(d, path);
	return true;
}

/* Copies line [s, end) into buf as a C string; false if empty or too long. */
static bool take_line(const char *s, const char *end, char *buf, size_t size)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	size_t n = (size_t)(end - s);
	if (n == 0 || n >= size)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

unsigned int bootpkg_start_domains(const struct boot_package *pkg, unsigned int nr_pcpus)
{
	struct cpio_entry index;
	if (cpio_find(pkg->data, pkg->size, INDEX_NAME, &index)) {
		printk("arx: the initrd is not an arx boot package (no \"%s\" in it)\n", INDEX_NAME);
		return 0;
	}
	char *path = heap_alloc(CONFIG_PATH_MAX), *err = heap_alloc(ERR_MAX);
	unsigned int started = 0, next_pcpu = 0;
	const char *s = index.data, *end = s + index.size;
	while (path && err && s < end) {
		const char *nl = s;
		while (nl < end && *nl != '\n')
			nl++;
		if (take_line(s, nl, path, CONFIG_PATH_MAX) && started < MAX_DOMAINS - 1)
			started += start_one(pkg, path, &next_pcpu, nr_pcpus, err);
		s = nl + 1;
	}
	heap_free(path);
	heap_free(err);
	return started;
}
