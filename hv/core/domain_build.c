/*
 * Domain construction: memory, stage-2, the kernel by the arm64 Linux boot
 * protocol (Documentation/arm64/booting.rst), ramdisk, device tree, vCPUs
 * and virtual devices. Every value comes from a config or a file in the
 * boot package, so each is checked before use and every failure names the
 * config file and the problem.
 */
#include <arx/cpio.h>
#include <arx/domain_build.h>
#include <arx/entropy.h>
#include <arx/fmt.h>
#include <arx/frame_owner.h>
#include <arx/guest_dtb.h>
#include <arx/heap.h>
#include <arx/linux_console.h>
#include <arx/mac.h>
#include <arx/page_alloc.h>
#include <arx/path.h>
#include <arx/percpu.h>
#include <arx/sched.h>
#include <arx/string.h>
#include <arx/timer.h>
#include <arx/vpl011.h>
#include <stdarg.h>

#define IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */
#define IMAGE_HEADER_SIZE 64
#define DTB_MAX (64 * KiB)
#define DTB_AREA (2 * MiB) /* the DTB gets the last 2 MiB of RAM to itself */

struct kernel_info {
	uint64_t text_offset, image_size;
};

/* VMIDs (8 bits; 0 is never used): a domain's TLB entries are tagged with its own. */
static uint8_t vmid_used[256 / 8];
static spinlock_t vmid_lock = SPINLOCK_INIT;

static uint16_t vmid_alloc(void)
{
	uint16_t found = 0;
	spin_lock(&vmid_lock);
	for (uint16_t id = 1; id < 256 && !found; id++) {
		if (!(vmid_used[id / 8] & (1u << (id % 8)))) {
			vmid_used[id / 8] |= (uint8_t)(1u << (id % 8));
			found = id;
		}
	}
	spin_unlock(&vmid_lock);
	return found;
}

static void vmid_free(uint16_t id)
{
	spin_lock(&vmid_lock);
	vmid_used[id / 8] &= (uint8_t)~(1u << (id % 8));
	spin_unlock(&vmid_lock);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int find_file(const struct boot_package *pkg, const char *cfg_path, const char *name,
		     struct cpio_entry *e)
{
	char path[CONFIG_PATH_MAX * 2];
	if (path_resolve(cfg_path, name, path, sizeof(path)))
		return -1;
	return cpio_find(pkg->data, pkg->size, path, e);
}

static const char *check_image(const struct cpio_entry *k, struct kernel_info *ki)
{
	const uint8_t *h = k->data;
	if (k->size < IMAGE_HEADER_SIZE || le32(h + 56) != IMAGE_MAGIC)
		return "is not an arm64 Image (no \"ARM\\x64\" magic at offset 56)";
	ki->text_offset = le64(h + 8);
	ki->image_size = le64(h + 16);
	if (ki->image_size == 0) { /* kernels before 3.17: defaults from booting.rst */
		ki->text_offset = 0x80000;
		ki->image_size = ALIGN_UP(k->size, 2 * MiB) + 2 * MiB;
	}
	if (ki->image_size < k->size || ki->image_size > GUEST_RAM_MAX ||
	    ki->text_offset >= 2 * MiB || (ki->text_offset & 0xfff))
		return "has an inconsistent Image header (text_offset or image_size)";
	return NULL;
}

static int alloc_ram(struct domain *d, uint64_t size)
{
	d->nr_chunks = (unsigned int)(size / DOMAIN_RAM_CHUNK);
	d->ram_chunks = heap_alloc(d->nr_chunks * sizeof(paddr_t));
	if (!d->ram_chunks)
		return -1;
	for (unsigned int i = 0; i < d->nr_chunks; i++) {
		paddr_t pa = palloc_alloc(DOMAIN_RAM_CHUNK / PAGE_SIZE, DOMAIN_RAM_CHUNK);
		if (!pa)
			return -1;
		d->ram_chunks[i] = pa;
		frame_owner_set(pa, DOMAIN_RAM_CHUNK / PAGE_SIZE, (uint16_t)d->id);
		memset((void *)pa, 0, DOMAIN_RAM_CHUNK); /* nothing of a previous owner survives */
		if (stage2_map(&d->s2, GUEST_RAM_BASE + i * DOMAIN_RAM_CHUNK, pa, DOMAIN_RAM_CHUNK,
			       S2_RAM))
			return -1;
	}
	d->ram_size = size;
	return 0;
}

static int create_vcpus(struct domain *d, unsigned int n, unsigned int weight)
{
	for (unsigned int i = 0; i < n; i++) {
		struct vcpu *v = heap_alloc(sizeof(*v));
		if (!v)
			return -1;
		v->dom = d;
		v->id = i;
		v->power = VCPU_OFF;
		v->weight = weight;
		v->move_to = -1;
		d->vcpus[i] = v;
		d->nr_vcpus = i + 1;
	}
	return 0;
}

/* Queues each vCPU on one of the allowed CPUs; counts the CPUs the domain then holds. */
void domain_place_vcpus(struct domain *d, uint64_t allowed)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i]->affinity = allowed;
		sched_place(d->vcpus[i], allowed);
	}
	domain_count_cpus(d);
}

void domain_count_cpus(struct domain *d)
{
	uint64_t used = 0;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		used |= 1ULL << d->vcpus[i]->pcpu;
	unsigned int n = 0;
	for (; used; used &= used - 1) /* one per CPU (no libgcc popcount here) */
		n++;
	d->cpu_refs = n;
}

/* The allowed CPUs that are up and have room in their run queue. */
uint64_t domain_usable_cpus(uint64_t allowed)
{
	uint64_t usable = 0;
	for (unsigned int i = 0; i < nr_cpus_online && i < 64; i++)
		if ((allowed & (1ULL << i)) && pcpus[i].sched.nr_queued < SCHED_MAX_PER_CPU)
			usable |= 1ULL << i;
	return usable;
}

/* Ramdisk just below the DTB area, kernel at the bottom; they must not meet. */
static const char *place_files(struct domain *d, const struct kernel_info *ki,
			       const struct cpio_entry *rd, paddr_t *rd_ipa)
{
	paddr_t top = GUEST_RAM_BASE + d->ram_size - DTB_AREA;
	paddr_t kernel_end = GUEST_RAM_BASE + ki->text_offset + ki->image_size;
	*rd_ipa = rd ? ALIGN_DOWN(top - rd->size, PAGE_SIZE) : top;
	if (d->ram_size <= DTB_AREA || kernel_end > *rd_ipa || (rd && rd->size > top))
		return "memory is too small for the kernel, ramdisk and device tree";
	return NULL;
}

struct build {
	unsigned int id;
	const struct domain_config *cfg;
	const char *cfg_path;
	const struct boot_package *pkg;
	char *err;
	size_t err_size;
	struct domain *d;
};

static struct domain *fail(struct build *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
static struct domain *fail(struct build *b, const char *fmt, ...)
{
	va_list ap;
	size_t n = fmt_snprintf(b->err, b->err_size, "%s: ", b->cfg_path);
	va_start(ap, fmt);
	if (n < b->err_size)
		fmt_vsnprintf(b->err + n, b->err_size - n, fmt, ap);
	va_end(ap);
	if (b->d)
		domain_free(b->d);
	return NULL;
}

static void start_vcpu0(struct domain *d, paddr_t entry, paddr_t dtb)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		vcpu_reset(d->vcpus[i], 0, 0);
	vcpu_reset(d->vcpus[0], entry, dtb);
	d->vcpus[0]->power = VCPU_ON;
}

static bool write_dtb(struct domain *d, const struct domain_config *cfg, paddr_t rd_ipa,
		      size_t rd_size, paddr_t dtb_ipa)
{
	struct guest_dt_desc desc = {
		.name = cfg->name, .ram_base = GUEST_RAM_BASE, .ram_size = d->ram_size,
		.nr_vcpus = d->nr_vcpus, .gic_version = d->vgic.version, .cmdline = cfg->cmdline,
		.initrd_start = rd_size ? rd_ipa : 0, .initrd_end = rd_size ? rd_ipa + rd_size : 0,
		.xen = d->xen.enabled, .kaslr_seed = entropy_u64(),
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(desc.rng_seed); i++)
		desc.rng_seed[i] = entropy_u64();
	void *buf = heap_alloc(DTB_MAX);
	if (!buf)
		return false;
	long size = guest_dtb_build(&desc, buf, DTB_MAX);
	bool ok = size > 0 && domain_copy_to(d, dtb_ipa, buf, (size_t)size);
	heap_free(buf);
	return ok;
}

/* Keeps what it takes to build the domain again (restart). */
static int keep_origin(struct domain *d, const struct domain_config *cfg, const char *path)
{
	size_t len = strlen(path) + 1;
	d->cfg = heap_alloc(sizeof(*cfg));
	d->cfg_path = heap_alloc(len);
	if (!d->cfg || !d->cfg_path)
		return -1;
	memcpy(d->cfg, cfg, sizeof(*cfg));
	memcpy(d->cfg_path, path, len);
	return 0;
}

/* The virtual devices where QEMU's virt board has them. */
static const struct guest_map virt_map = {
	.gicd = GUEST_GICD_BASE, .gicc = GUEST_GICC_BASE, .gicr = GUEST_GICR_BASE,
	.uart = GUEST_UART_BASE,
};

/* Xen's guest map (arch-arm.h), which libxl's device trees describe; no PL011. */
static const struct guest_map xen_map = {
	.gicd = XEN_GUEST_GICD_BASE, .gicc = XEN_GUEST_GICC_BASE, .gicr = XEN_GUEST_GICR_BASE,
};

struct domain *domain_new(const struct domain_spec *spec)
{
	struct domain *d = heap_alloc(sizeof(*d));
	if (!d)
		return NULL;
	d->id = spec->id;
	fmt_snprintf(d->name, sizeof(d->name), "%s", spec->name);
	d->type = spec->type;
	d->state = spec->toolstack ? DOMAIN_PAUSED : DOMAIN_RUNNING; /* Xen's: created paused */
	d->control = spec->control;
	d->built_by_toolstack = spec->toolstack;
	d->map = spec->toolstack ? xen_map : virt_map;
	d->xen.enabled = spec->xen;
	d->xen.no_pv_console = spec->pl011_console;
	d->vmid = vmid_alloc();
	if (!d->vmid || stage2_init(&d->s2, d->vmid) ||
	    create_vcpus(d, spec->vcpus, spec->weight) || vgic_domain_init(d) || vpl011_init(d) ||
	    xen_domain_init(d)) {
		domain_free(d);
		return NULL;
	}
	return d;
}

static struct domain *new_domain(struct build *b)
{
	const struct domain_config *cfg = b->cfg;
	struct domain_spec spec = {
		.id = b->id, .name = cfg->name, .type = cfg->type, .vcpus = cfg->vcpus,
		.weight = cfg->weight, .xen = cfg->xen, .control = cfg->dom0,
		.pl011_console = cfg->type == DOMAIN_LINUX && linux_console_is_pl011(cfg->cmdline),
	};
	struct domain *d = domain_new(&spec);
	b->d = d;
	if (!d || keep_origin(d, b->cfg, b->cfg_path) ||
	    alloc_ram(d, ALIGN_UP(b->cfg->memory_mib * MiB, DOMAIN_RAM_CHUNK)) ||
	    (config_has_devices(b->cfg) && xen_store_await(d)))
		return NULL;
	return d;
}

static struct domain *load(struct build *b, const struct cpio_entry *k, const struct cpio_entry *rd)
{
	struct domain *d = b->d;
	struct kernel_info ki;
	const char *err = check_image(k, &ki);
	if (err)
		return fail(b, "kernel \"%s\" %s", b->cfg->kernel, err);
	paddr_t rd_ipa, entry = GUEST_RAM_BASE + ki.text_offset;
	err = place_files(d, &ki, rd, &rd_ipa);
	if (err)
		return fail(b, "%s (memory = %lu MiB)", err, b->cfg->memory_mib);
	paddr_t dtb_ipa = GUEST_RAM_BASE + d->ram_size - DTB_AREA;
	if (!domain_copy_to(d, entry, k->data, k->size) ||
	    (rd && !domain_copy_to(d, rd_ipa, rd->data, rd->size)) ||
	    !write_dtb(d, b->cfg, rd_ipa, rd ? rd->size : 0, dtb_ipa))
		return fail(b, "could not load the kernel, ramdisk or device tree");
	start_vcpu0(d, entry, dtb_ipa);
	return d;
}

struct domain *domain_build(unsigned int id, const struct domain_config *cfg,
			    const char *cfg_path, const struct boot_package *pkg, char *err,
			    size_t err_size)
{
	struct build b = { id, cfg, cfg_path, pkg, err, err_size, NULL };
	struct cpio_entry k, rd;
	uint64_t cpus = domain_usable_cpus(cfg->cpus);
	if (!cpus)
		return fail(&b, "cpus: none of the CPUs it may use is online (or each has %u vCPUs "
				"already)", SCHED_MAX_PER_CPU);
	uint32_t label;
	if (!mac_config_label(cfg, &label))
		return fail(&b, "seclabel: \"%s\": the policy has no such label", cfg->seclabel);
	domains_table_lock();
	bool may_run = mac_may_run(id, cfg->name, label);
	domains_table_unlock();
	if (!may_run)
		return fail(&b, "seclabel: its types conflict with a running domain's (policy)");
	if (find_file(pkg, cfg_path, cfg->kernel, &k))
		return fail(&b, "kernel: file \"%s\" not found in the boot package", cfg->kernel);
	if (cfg->ramdisk[0] && find_file(pkg, cfg_path, cfg->ramdisk, &rd))
		return fail(&b, "ramdisk: file \"%s\" not found in the boot package", cfg->ramdisk);
	if (!new_domain(&b))
		return fail(&b, "not enough memory for %lu MiB and its tables", cfg->memory_mib);
	mac_set_label(b.d, label);
	struct domain *d = load(&b, &k, cfg->ramdisk[0] ? &rd : NULL);
	if (d)
		domain_place_vcpus(d, cpus); /* last: nothing can fail after it */
	return d;
}

void domain_free(struct domain *d)
{
	xen_domain_destroy(d); /* first: others may still map its pages */
	for (unsigned int i = 0; i < d->nr_chunks && d->ram_chunks; i++) {
		if (d->ram_chunks[i]) {
			frame_owner_set(d->ram_chunks[i], DOMAIN_RAM_CHUNK / PAGE_SIZE, OWNER_NONE);
			palloc_free(d->ram_chunks[i], DOMAIN_RAM_CHUNK / PAGE_SIZE);
		}
	}
	for (unsigned int i = 0; i < GUEST_MAGIC_PAGES; i++) {
		if (d->magic[i]) {
			frame_owner_set(d->magic[i], 1, OWNER_NONE);
			palloc_free(d->magic[i], 1);
		}
	}
	heap_free(d->ram_chunks);
	stage2_destroy(&d->s2);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		heap_free(d->vcpus[i]);
	heap_free(d->uart);
	heap_free(d->cfg);
	heap_free(d->cfg_path);
	if (d->vmid)
		vmid_free(d->vmid);
	heap_free(d);
}
