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
#include <arx/mac.h>
#include <arx/percpu.h>
#include <arx/string.h>

#define INDEX_NAME "arx-domains"
#define POLICY_NAME "arx-policy" /* compiled (tools/arxpolicy); optional */
#define ERR_MAX 256

static struct boot_package package; /* kept: restarts build from it again */

static void announce(struct domain *d, const char *path, const char *verb)
{
	domain_publish(d);
	printk("arx: domain %u (%s) %s from %s: %u vCPU%s, %lu MiB%s\n", d->id, d->name, verb,
	       path, d->nr_vcpus, d->nr_vcpus > 1 ? "s" : "", d->ram_size / MiB,
	       d->control ? ", the control domain" : "");
	/* The control domain's arx-dom0less reads these (xl dmesg) and attaches them. */
	if (d->cfg->disk[0])
		printk("arx: domain %u (%s) disk: %s\n", d->id, d->name, d->cfg->disk);
	if (d->cfg->vif[0])
		printk("arx: domain %u (%s) vif: %s\n", d->id, d->name, d->cfg->vif);
}

/* The control domain is domain 0; there is at most one. Others get new ids. */
static bool take_id(const struct domain_config *cfg, const char *path, unsigned int *id)
{
	if (cfg->dom0) {
		if (domains[0]) {
			printk("arx: %s: dom0: there is a control domain already; domain not started\n",
			       path);
			return false;
		}
		*id = 0;
		return true;
	}
	*id = domain_alloc_id();
	if (!*id)
		printk("arx: %s: no free domain slot (at most %u); domain not started\n", path,
		       MAX_DOMAINS - 1);
	return *id != 0;
}

/* Builds one domain from the config at `path`; true if it was started. */
static bool start_one(const char *path, char *err)
{
	struct cpio_entry e;
	struct domain_config cfg;
	unsigned int id;
	if (cpio_find(package.data, package.size, path, &e)) {
		printk("arx: %s: config not found in the boot package; domain not started\n", path);
		return false;
	}
	if (config_parse(e.data, e.size, path, &cfg, err, ERR_MAX)) {
		printk("arx: %s; domain not started\n", err);
		return false;
	}
	if (!take_id(&cfg, path, &id))
		return false;
	struct domain *d = domain_build(id, &cfg, path, &package, err, ERR_MAX);
	if (!d) {
		printk("arx: %s; domain not started\n", err);
		if (id)
			domain_release_id(id);
		return false;
	}
	announce(d, path, "started");
	return true;
}

void domain_restart_from(const struct domain_config *cfg, const char *path, unsigned int id)
{
	char err[ERR_MAX];
	struct domain *d = domain_build(id, cfg, path, &package, err, sizeof(err));
	if (!d) {
		printk("arx: domain %u could not be restarted: %s\n", id, err);
		return;
	}
	announce(d, path, "restarted");
}

extern const uint8_t default_policy_start[], default_policy_end[]; /* default_policy.S */

void bootpkg_load_policy(const struct boot_package *pkg, int mode)
{
	struct cpio_entry e;
	if (pkg && !cpio_find(pkg->data, pkg->size, POLICY_NAME, &e))
		mac_init(e.data, e.size, "the boot package's", mode);
	else
		mac_init(default_policy_start, (size_t)(default_policy_end - default_policy_start),
			 "the built-in", mode);
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

unsigned int bootpkg_start_domains(const struct boot_package *pkg)
{
	struct cpio_entry index;
	package = *pkg;
	if (cpio_find(pkg->data, pkg->size, INDEX_NAME, &index)) {
		printk("arx: the initrd is not an arx boot package (no \"%s\" in it)\n", INDEX_NAME);
		return 0;
	}
	char *path = heap_alloc(CONFIG_PATH_MAX), *err = heap_alloc(ERR_MAX);
	unsigned int started = 0;
	const char *s = index.data, *end = s + index.size;
	while (path && err && s < end) {
		const char *nl = s;
		while (nl < end && *nl != '\n')
			nl++;
		if (take_line(s, nl, path, CONFIG_PATH_MAX))
			started += start_one(path, err);
		s = nl + 1;
	}
	heap_free(path);
	heap_free(err);
	return started;
}
