/*
 * Host tests for the grant tables (hv/xen/gnttab.c): the table frames and
 * their window, map/unmap/copy through gnttab_op with the argument arrays
 * in the calling domain's (fake) RAM, what the granter's entries show while
 * mapped (GTF_reading/GTF_writing), and what happens when either side goes.
 * Stage-2 changes, heap and page use are recorded by xen_stubs.c, so every
 * test also proves nothing is leaked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arx/domain.h>
#include <arx/xen.h>
#include <public/grant_table.h>
#include <public/xen.h>

#include "check.h"
#include "xen_stubs.h"

#define RAM_PAGES 1100
#define ARG_PAGE 1 /* single ops; batches use pages 1..10 (1024 x 40 bytes) */
#define LIST_PAGE 12 /* setup_table's frame list */
#define HOLE0 20 /* holes for mappings: pages HOLE0.. */
#define DATA0 1060 /* pages granted / copied: DATA0.. */
#define WIN_GFN (GUEST_GNTTAB_BASE >> XEN_PAGE_SHIFT)
#define PER_FRAME 512


static struct domain *g, *m, *t; /* granter, mapper, third party */
static long base_pages;

static void setup(void)
{
	long pages = fake.pages;
	memset(&fake, 0, sizeof(fake));
	fake.pages = pages; /* the zero page, once gnttab_global_init made it */
	base_pages = fake.pages;
	g = fake_domain_new(1, 1, RAM_PAGES);
	m = fake_domain_new(2, 1, RAM_PAGES);
	t = fake_domain_new(3, 1, RAM_PAGES);
	/* The granter's table: one frame in the window. */
	CHECK_EQ(gnttab_map_frame(g, 0, WIN_GFN), 0);
	/* The mapper's holes. */
	for (unsigned int i = HOLE0; i < HOLE0 + GNTTAB_MAX_MAPS + 8; i++)
		fake_balloon_out(m, i);
}

static void teardown(void)
{
	gnttab_domain_destroy(g);
	gnttab_domain_destroy(m);
	gnttab_domain_destroy(t);
	CHECK_EQ(fake.bad_calls, 0);
	CHECK_EQ(fake.lock_depth, 0);
	CHECK_EQ(fake.heap_bytes, 0);
	CHECK_EQ(fake.heap_allocs, 0);
	CHECK_EQ(fake.pages, base_pages);
	CHECK(!g->xen.maps && !m->xen.maps && !t->xen.maps);
	fake_domain_free(g);
	fake_domain_free(m);
	fake_domain_free(t);
}

/* Heap bytes d's table of mappings takes: it stays, once made, until d ends. */
static long table_bytes(struct domain *d)
{
	return d->xen.maps ? (long)(d->xen.maps_cap * sizeof(struct grant_map)) : 0;
}

/* Frees d's table, with nothing mapped, as its end does. */
static void drop_table(struct domain *d)
{
	CHECK_EQ(d->xen.nr_maps, 0);
	gnttab_domain_release_maps(d);
	CHECK(!d->xen.maps);
}

static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
	return (struct grant_entry_v1 *)d->xen.grant_frames[ref / PER_FRAME] + ref % PER_FRAME;
}

/* Granter d lets `to` use its RAM page `page` (flags: GTF_permit_access etc.). */
static void grant(struct domain *d, grant_ref_t ref, uint16_t flags, domid_t to, uint64_t gfn)
{
	struct grant_entry_v1 *e = entry(d, ref);
	e->domid = to;
	e->frame = (uint32_t)gfn;
	e->flags = flags;
}

static uint16_t gflags(struct domain *d, grant_ref_t ref)
{
	return entry(d, ref)->flags;
}

static long op(struct domain *d, uint64_t cmd, void *a, uint64_t count)
{
	long r = gnttab_op(d->vcpus[0], cmd, fake_va(a), count);
	CHECK_EQ(fake.lock_depth, 0);
	return r;
}

/* One map_grant_ref by d of (dom, ref) at ipa; the status, and handle if asked. */
static int map_at(struct domain *d, domid_t dom, grant_ref_t ref, uint64_t ipa, uint32_t flags,
		  grant_handle_t *handle)
{
	struct gnttab_map_grant_ref *o = fake_ram(d, ARG_PAGE, 0);
	memset(o, 0xcc, sizeof(*o));
	o->host_addr = ipa;
	o->flags = flags;
	o->ref = ref;
	o->dom = dom;
	CHECK_EQ(op(d, GNTTABOP_map_grant_ref, o, 1), 0);
	if (o->status == GNTST_okay)
		CHECK_EQ(o->dev_bus_addr, ipa);
	else {
		CHECK_EQ(o->handle, ~0u);
		CHECK_EQ(o->dev_bus_addr, 0);
	}
	if (handle)
		*handle = o->handle;
	return o->status;
}

static int map(domid_t dom, grant_ref_t ref, unsigned int hole, uint32_t flags, grant_handle_t *h)
{
	return map_at(m, dom, ref, fake_ipa(hole), flags, h);
}

static int unmap_at(struct domain *d, uint64_t ipa, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref *o = fake_ram(d, ARG_PAGE, 0);
	memset(o, 0xcc, sizeof(*o));
	o->host_addr = ipa;
	o->dev_bus_addr = 0;
	o->handle = handle;
	CHECK_EQ(op(d, GNTTABOP_unmap_grant_ref, o, 1), 0);
	return o->status;
}

static int unmap(unsigned int hole, grant_handle_t h)
{
	return unmap_at(m, fake_ipa(hole), h);
}

static bool s2_is(struct domain *d, paddr_t ipa, paddr_t pa, enum s2_type type)
{
	struct fake_s2 e = fake_s2_at(d, ipa);
	return e.valid && e.pa == pa && e.type == type;
}

static bool s2_hole(struct domain *d, paddr_t ipa)
{
	return !fake_s2_at(d, ipa).valid;
}

static void test_map_frame(void)
{
	setup();
	CHECK_EQ(g->xen.nr_grant_frames, 1);
	CHECK(s2_is(g, GUEST_GNTTAB_BASE, g->xen.grant_frames[0], S2_RAM));
	CHECK_EQ(g->xen.grant_frame_ipa[0], GUEST_GNTTAB_BASE);
	CHECK_EQ(fake.pages, base_pages + 1);
	CHECK_EQ(fake.heap_bytes, PER_FRAME * sizeof(struct grant_pins));
	/* A new frame is zeroed (the page allocator's is not). */
	const uint8_t *f0 = (const uint8_t *)g->xen.grant_frames[0];
	bool zero = true;
	for (size_t i = 0; i < FAKE_PAGE; i++)
		zero &= f0[i] == 0;
	CHECK(zero);

	/* Outside the window, or past the table's limit. */
	static const struct {
		uint64_t idx, gfn;
	} bad[] = {
		{ GNTTAB_MAX_FRAMES, WIN_GFN },
		{ UINT64_MAX, WIN_GFN },
		{ 1ULL << 32, WIN_GFN + 1 },
		{ 1, WIN_GFN - 1 },
		{ 1, WIN_GFN + GNTTAB_MAX_FRAMES },
		{ 1, GUEST_RAM_BASE >> XEN_PAGE_SHIFT },
		{ 1, 0 },
		{ 1, 1ULL << 36 },
		{ 1, WIN_GFN + (1ULL << 52) }, /* wraps to the window when shifted */
		{ 1, UINT64_MAX },
	};
	unsigned long maps = fake.s2_maps;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECKF(gnttab_map_frame(g, bad[i].idx, bad[i].gfn) == -XEN_EINVAL,
		       "idx %#lx gfn %#lx", bad[i].idx, bad[i].gfn);
	CHECK_EQ(fake.s2_maps, maps);
	CHECK_EQ(g->xen.nr_grant_frames, 1);
	CHECK_EQ(fake.pages, base_pages + 1);

	/* Growth: frame 3 brings 1 and 2 along. */
	CHECK_EQ(gnttab_map_frame(g, 3, WIN_GFN + 3), 0);
	CHECK_EQ(g->xen.nr_grant_frames, 4);
	CHECK_EQ(fake.pages, base_pages + 4);
	CHECK_EQ(fake.heap_bytes, 4 * PER_FRAME * sizeof(struct grant_pins));
	CHECK(s2_is(g, GUEST_GNTTAB_BASE + 3 * FAKE_PAGE, g->xen.grant_frames[3], S2_RAM));
	CHECK_EQ(g->xen.grant_frame_ipa[1], 0);
	/* The last frame of the window, and the last index. */
	CHECK_EQ(gnttab_map_frame(g, GNTTAB_MAX_FRAMES - 1, WIN_GFN + GNTTAB_MAX_FRAMES - 1), 0);
	CHECK_EQ(g->xen.nr_grant_frames, GNTTAB_MAX_FRAMES);
	CHECK_EQ(fake.pages, base_pages + GNTTAB_MAX_FRAMES);
	/* Moving frame 3: its old place is unmapped. */
	CHECK_EQ(gnttab_map_frame(g, 3, WIN_GFN + 5), 0);
	CHECK(s2_hole(g, GUEST_GNTTAB_BASE + 3 * FAKE_PAGE));
	CHECK(s2_is(g, GUEST_GNTTAB_BASE + 5 * FAKE_PAGE, g->xen.grant_frames[3], S2_RAM));
	CHECK_EQ(g->xen.grant_frame_ipa[3], GUEST_GNTTAB_BASE + 5 * FAKE_PAGE);
	/* Frame 1 put where frame 3 is: frame 3 is then mapped nowhere. */
	CHECK_EQ(gnttab_map_frame(g, 1, WIN_GFN + 5), 0);
	CHECK(s2_is(g, GUEST_GNTTAB_BASE + 5 * FAKE_PAGE, g->xen.grant_frames[1], S2_RAM));
	CHECK_EQ(g->xen.grant_frame_ipa[1], GUEST_GNTTAB_BASE + 5 * FAKE_PAGE);
	CHECK_EQ(g->xen.grant_frame_ipa[3], 0);
	/* Same place again: still there. */
	CHECK_EQ(gnttab_map_frame(g, 0, WIN_GFN), 0);
	CHECK(s2_is(g, GUEST_GNTTAB_BASE, g->xen.grant_frames[0], S2_RAM));
	CHECK_EQ(fake.pages, base_pages + GNTTAB_MAX_FRAMES);
	/* A stage-2 failure: -ENOMEM, and the frame is recorded as mapped nowhere. */
	fake.fail_s2_map = 1;
	CHECK_EQ(gnttab_map_frame(g, 2, WIN_GFN + 2), -XEN_ENOMEM);
	CHECK_EQ(g->xen.grant_frame_ipa[2], 0);
	CHECK_EQ(gnttab_map_frame(g, 2, WIN_GFN + 2), 0);
	gnttab_domain_destroy(g);
	CHECK_EQ(g->xen.nr_grant_frames, 0);
	CHECK_EQ(fake.pages, base_pages);
	CHECK_EQ(fake.heap_bytes, 0);

	/* Out of memory while growing: nothing is kept half made. */
	fake.fail_palloc = 1;
	CHECK_EQ(gnttab_map_frame(g, 0, WIN_GFN), -XEN_ENOMEM);
	CHECK_EQ(g->xen.nr_grant_frames, 0);
	fake.fail_heap = 1;
	CHECK_EQ(gnttab_map_frame(g, 0, WIN_GFN), -XEN_ENOMEM);
	CHECK_EQ(g->xen.nr_grant_frames, 0);
	CHECK_EQ(fake.pages, base_pages);
	CHECK_EQ(fake.heap_bytes, 0);
	CHECK_EQ(gnttab_map_frame(g, 2, WIN_GFN + 2), 0); /* 0 and 1 come along */
	fake.fail_palloc = 1;
	CHECK_EQ(gnttab_map_frame(g, 4, WIN_GFN + 4), -XEN_ENOMEM);
	CHECK_EQ(g->xen.nr_grant_frames, 3);
	CHECK_EQ(fake.pages, base_pages + 3);
	CHECK(s2_hole(g, GUEST_GNTTAB_BASE + 4 * FAKE_PAGE));
	teardown();
}

static void test_table_ops(void)
{
	setup();
	CHECK_EQ(gnttab_map_frame(g, 1, WIN_GFN + 7), 0);
	struct gnttab_query_size *q = fake_ram(g, ARG_PAGE, 0);
	memset(q, 0xcc, sizeof(*q));
	q->dom = DOMID_SELF;
	CHECK_EQ(op(g, GNTTABOP_query_size, q, 1), 0);
	CHECK_EQ(q->nr_frames, 2);
	CHECK_EQ(q->max_nr_frames, GNTTAB_MAX_FRAMES);
	CHECK_EQ(q->status, GNTST_okay);
	q->dom = 2;
	CHECK_EQ(op(g, GNTTABOP_query_size, q, 1), 0);
	CHECK_EQ(q->status, GNTST_permission_denied);
	CHECK_EQ(op(g, GNTTABOP_query_size, q, 0), -XEN_EINVAL);
	CHECK_EQ(op(g, GNTTABOP_query_size, q, 2), -XEN_EINVAL);

	/* setup_table: frames where they are, missing ones put in the window. */
	struct gnttab_setup_table *s = fake_ram(g, ARG_PAGE, 0);
	uint64_t *list = fake_ram(g, LIST_PAGE, 0);
	memset(list, 0xcc, 8 * 8);
	memset(s, 0, sizeof(*s));
	s->dom = DOMID_SELF;
	s->nr_frames = 3;
	s->frame_list = fake_va(list);
	CHECK_EQ(op(g, GNTTABOP_setup_table, s, 1), 0);
	CHECK_EQ(s->status, GNTST_okay);
	CHECK_EQ(list[0], WIN_GFN);
	CHECK_EQ(list[1], WIN_GFN + 7);
	CHECK_EQ(list[2], WIN_GFN + 2);
	CHECK_EQ(list[3], 0xccccccccccccccccULL);
	CHECK_EQ(g->xen.nr_grant_frames, 3);
	s->nr_frames = GNTTAB_MAX_FRAMES + 1;
	CHECK_EQ(op(g, GNTTABOP_setup_table, s, 1), 0);
	CHECK_EQ(s->status, GNTST_general_error);
	s->nr_frames = 1;
	s->dom = 3;
	CHECK_EQ(op(g, GNTTABOP_setup_table, s, 1), 0);
	CHECK_EQ(s->status, GNTST_permission_denied);
	s->dom = DOMID_SELF;
	s->frame_list = fake_va(g); /* not guest memory */
	CHECK_EQ(op(g, GNTTABOP_setup_table, s, 1), -XEN_EFAULT);

	struct gnttab_get_version *gv = fake_ram(g, ARG_PAGE, 0);
	gv->dom = DOMID_SELF;
	gv->version = 0;
	CHECK_EQ(op(g, GNTTABOP_get_version, gv, 1), 0);
	CHECK_EQ(gv->version, 1);
	gv->dom = 2;
	CHECK_EQ(op(g, GNTTABOP_get_version, gv, 1), -XEN_EPERM);
	struct gnttab_set_version *sv = fake_ram(g, ARG_PAGE, 0);
	sv->version = 1;
	CHECK_EQ(op(g, GNTTABOP_set_version, sv, 1), 0);
	CHECK_EQ(sv->version, 1);
	sv->version = 2;
	CHECK_EQ(op(g, GNTTABOP_set_version, sv, 1), -XEN_EINVAL);

	static const uint64_t nosys[] = { GNTTABOP_dump_table, GNTTABOP_transfer,
					  GNTTABOP_unmap_and_replace, GNTTABOP_get_status_frames,
					  GNTTABOP_swap_grant_ref, GNTTABOP_cache_flush, 13,
					  UINT64_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(nosys); i++)
		CHECKF(op(g, nosys[i], fake_ram(g, ARG_PAGE, 0), 1) == -XEN_ENOSYS, "cmd %lu",
		       nosys[i]);
	/* Hostile argument pointers. */
	static const uint64_t cmds[] = { GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref,
					 GNTTABOP_copy, GNTTABOP_query_size, GNTTABOP_setup_table,
					 GNTTABOP_set_version, GNTTABOP_get_version };
	uint8_t *end = (uint8_t *)fake_ram(g, RAM_PAGES - 1, 0) + FAKE_PAGE;
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		CHECKF(gnttab_op(g->vcpus[0], cmds[i], 0, 1) == -XEN_EFAULT, "cmd %lu", cmds[i]);
		CHECKF(gnttab_op(g->vcpus[0], cmds[i], UINT64_MAX, 1) == -XEN_EFAULT, "cmd %lu",
		       cmds[i]);
		CHECKF(gnttab_op(g->vcpus[0], cmds[i], fake_va(end - 2), 1) == -XEN_EFAULT,
		       "cmd %lu", cmds[i]);
		CHECKF(gnttab_op(g->vcpus[0], cmds[i], fake_va(m->vcpus[0]), 1) == -XEN_EFAULT,
		       "cmd %lu", cmds[i]);
	}
	teardown();
}

static void test_map_unmap(void)
{
	grant_handle_t h1, h2, h3;
	setup();
	long heap0 = fake.heap_bytes;
	grant(g, 10, GTF_permit_access, 2, fake_gfn(DATA0));
	*(uint32_t *)fake_ram(g, DATA0, 0) = 0x1234abcd;

	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, &h1), GNTST_okay);
	CHECK(s2_is(m, fake_ipa(HOLE0), fake_ram_pa(g, DATA0), S2_RAM));
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_reading | GTF_writing);
	CHECK_EQ(m->xen.nr_maps, 1);
	CHECK(fake.heap_bytes > heap0); /* the maptrack */
	/* The mapper's view of the page is the granter's page. */
	paddr_t pa;
	CHECK(stage2_translate(&m->s2, fake_ipa(HOLE0) + 4, true, &pa));
	CHECK_EQ(*(uint32_t *)(pa - 4), 0x1234abcd);

	/* Read-only, by DOMID? no: by the granter's id; the same ref elsewhere. */
	CHECK_EQ(map(1, 10, HOLE0 + 1, GNTMAP_host_map | GNTMAP_readonly, &h2), GNTST_okay);
	CHECK(h2 != h1);
	CHECK(s2_is(m, fake_ipa(HOLE0 + 1), fake_ram_pa(g, DATA0), S2_RAM_RO));
	CHECK_EQ(m->xen.nr_maps, 2);
	/* A second writable mapping. */
	CHECK_EQ(map(1, 10, HOLE0 + 2, GNTMAP_host_map, &h3), GNTST_okay);
	CHECK_EQ(m->xen.nr_maps, 3);

	/* The same host address twice: it is no longer a hole. */
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_bad_virt_addr);
	CHECK(s2_is(m, fake_ipa(HOLE0), fake_ram_pa(g, DATA0), S2_RAM));

	/* Flags drop only when the last of each kind goes. */
	CHECK_EQ(unmap(HOLE0, h1), GNTST_okay);
	CHECK(s2_hole(m, fake_ipa(HOLE0)));
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_reading | GTF_writing);
	CHECK_EQ(unmap(HOLE0 + 2, h3), GNTST_okay);
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_reading);
	CHECK_EQ(m->xen.nr_maps, 1);
	CHECK_EQ(unmap(HOLE0 + 1, h2), GNTST_okay);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	CHECK(s2_hole(m, fake_ipa(HOLE0 + 1)));
	CHECK_EQ(m->xen.nr_maps, 0);
	CHECK(m->xen.maps && m->xen.maps_used == 3);
	CHECK_EQ(fake.heap_bytes, heap0 + table_bytes(m)); /* the table stays until m ends */
	/* Unmapped already. */
	CHECK_EQ(unmap(HOLE0 + 1, h2), GNTST_bad_handle);

	/* Two read-only mappings, then the page granted read-only: RO maps fine. */
	grant(g, 11, GTF_permit_access | GTF_readonly, 2, fake_gfn(DATA0 + 1));
	CHECK_EQ(map(1, 11, HOLE0, GNTMAP_host_map | GNTMAP_readonly, &h1), GNTST_okay);
	CHECK_EQ(map(DOMID_SELF, 11, HOLE0 + 1, GNTMAP_host_map | GNTMAP_readonly, NULL),
		 GNTST_bad_gntref); /* DOMID_SELF is the mapper's own (empty) table */
	CHECK_EQ(map(1, 11, HOLE0 + 1, GNTMAP_host_map | GNTMAP_readonly, &h2), GNTST_okay);
	CHECK_EQ(gflags(g, 11), GTF_permit_access | GTF_readonly | GTF_reading);
	CHECK(s2_is(m, fake_ipa(HOLE0), fake_ram_pa(g, DATA0 + 1), S2_RAM_RO));
	CHECK_EQ(unmap(HOLE0, h1), GNTST_okay);
	CHECK_EQ(gflags(g, 11), GTF_permit_access | GTF_readonly | GTF_reading);
	CHECK_EQ(unmap(HOLE0 + 1, h2), GNTST_okay);
	CHECK_EQ(gflags(g, 11), GTF_permit_access | GTF_readonly);

	/* A domain may map its own grant. */
	grant(g, 12, GTF_permit_access, 1, fake_gfn(DATA0 + 2));
	fake_balloon_out(g, 30);
	CHECK_EQ(map_at(g, DOMID_SELF, 12, fake_ipa(30), GNTMAP_host_map, &h1), GNTST_okay);
	CHECK(s2_is(g, fake_ipa(30), fake_ram_pa(g, DATA0 + 2), S2_RAM));
	CHECK_EQ(unmap_at(g, fake_ipa(30), h1), GNTST_okay);
	CHECK_EQ(gflags(g, 12), GTF_permit_access);

	/* A batch: statuses land in the right elements. */
	struct gnttab_map_grant_ref *b = fake_ram(m, ARG_PAGE, 0);
	memset(b, 0, 3 * sizeof(*b));
	for (int i = 0; i < 3; i++) {
		b[i].host_addr = fake_ipa(HOLE0 + i);
		b[i].flags = GNTMAP_host_map;
		b[i].ref = 10;
		b[i].dom = 1;
	}
	b[1].ref = 9999;
	CHECK_EQ(op(m, GNTTABOP_map_grant_ref, b, 3), 0);
	CHECK_EQ(b[0].status, GNTST_okay);
	CHECK_EQ(b[1].status, GNTST_bad_gntref);
	CHECK_EQ(b[2].status, GNTST_okay);
	CHECK_EQ(m->xen.nr_maps, 2);
	struct gnttab_unmap_grant_ref *u = fake_ram(m, ARG_PAGE, 0);
	grant_handle_t hb0 = b[0].handle, hb2 = b[2].handle;
	memset(u, 0, 2 * sizeof(*u));
	u[0].host_addr = fake_ipa(HOLE0);
	u[0].handle = hb0;
	u[1].host_addr = fake_ipa(HOLE0 + 2);
	u[1].handle = hb2;
	CHECK_EQ(op(m, GNTTABOP_unmap_grant_ref, u, 2), 0);
	CHECK_EQ(u[0].status, GNTST_okay);
	CHECK_EQ(u[1].status, GNTST_okay);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	CHECK_EQ(m->xen.nr_maps, 0); /* the table stays until m ends */
	/* count 0 does nothing; a batch running off the end of RAM faults part way. */
	CHECK_EQ(op(m, GNTTABOP_map_grant_ref, b, 0), 0);
	struct gnttab_map_grant_ref *last =
		(struct gnttab_map_grant_ref *)((uint8_t *)fake_ram(m, RAM_PAGES - 1, 0) +
						FAKE_PAGE - sizeof(*last));
	memset(last, 0, sizeof(*last));
	last->host_addr = fake_ipa(HOLE0);
	last->flags = GNTMAP_host_map;
	last->ref = 10;
	last->dom = 1;
	CHECK_EQ(op(m, GNTTABOP_map_grant_ref, last, 2), -XEN_EFAULT);
	CHECK_EQ(last->status, GNTST_okay); /* the first was done and reported */
	CHECK_EQ(unmap(HOLE0, last->handle), GNTST_okay);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	teardown();
}

static void test_map_hostile(void)
{
	setup();
	long heap0 = fake.heap_bytes;
	grant(g, 10, GTF_permit_access, 2, fake_gfn(DATA0));
	grant(g, 11, GTF_permit_access, 3, fake_gfn(DATA0 + 1)); /* for someone else */
	grant(g, 12, GTF_permit_access | GTF_readonly, 2, fake_gfn(DATA0 + 2));
	grant(g, 13, GTF_invalid, 2, fake_gfn(DATA0 + 3));
	grant(g, 14, GTF_accept_transfer, 2, fake_gfn(DATA0 + 4));
	grant(g, 15, GTF_transitive, 2, fake_gfn(DATA0 + 5));
	fake_balloon_out(g, DATA0 + 6);
	grant(g, 16, GTF_permit_access, 2, fake_gfn(DATA0 + 6)); /* ballooned out */
	grant(g, 17, GTF_permit_access, 2, 0xffffffff); /* no such frame */
	grant(g, 18, GTF_permit_access, 2, WIN_GFN); /* its grant table, not its RAM */
	grant(g, 19, GTF_permit_access, 2, fake_gfn(RAM_PAGES)); /* just past its RAM */
	grant(g, 20, GTF_permit_access, 2, fake_gfn(DATA0 + 7));
	paddr_t foreign = fake_ram_pa(t, 5); /* a page of t's, as if g had mapped it */
	CHECK_EQ(stage2_map_page(&g->s2, fake_ipa(DATA0 + 7), foreign, S2_RAM), 0);

	const struct {
		domid_t dom;
		grant_ref_t ref;
		int64_t ipa; /* < 0: hole page -ipa */
		uint32_t flags;
		int status;
		const char *why;
	} cases[] = {
		{ 1, PER_FRAME, -HOLE0, GNTMAP_host_map, GNTST_bad_gntref, "ref past the table" },
		{ 1, UINT32_MAX, -HOLE0, GNTMAP_host_map, GNTST_bad_gntref, "ref UINT32_MAX" },
		{ 1, 0x80000000u, -HOLE0, GNTMAP_host_map, GNTST_bad_gntref, "ref 2^31" },
		{ 1, 11, -HOLE0, GNTMAP_host_map, GNTST_permission_denied, "granted to 3" },
		{ 1, 12, -HOLE0, GNTMAP_host_map, GNTST_permission_denied, "read-only entry" },
		{ 1, 13, -HOLE0, GNTMAP_host_map, GNTST_permission_denied, "invalid entry" },
		{ 1, 14, -HOLE0, GNTMAP_host_map, GNTST_permission_denied, "transfer entry" },
		{ 1, 15, -HOLE0, GNTMAP_host_map, GNTST_permission_denied, "transitive entry" },
		{ 1, 16, -HOLE0, GNTMAP_host_map, GNTST_bad_page, "ballooned frame" },
		{ 1, 17, -HOLE0, GNTMAP_host_map, GNTST_bad_page, "no such frame" },
		{ 1, 18, -HOLE0, GNTMAP_host_map, GNTST_bad_page, "grant table frame" },
		{ 1, 19, -HOLE0, GNTMAP_host_map, GNTST_bad_page, "frame past RAM" },
		{ 1, 20, -HOLE0, GNTMAP_host_map, GNTST_bad_page, "foreign page at the frame" },
		{ 9, 10, -HOLE0, GNTMAP_host_map, GNTST_bad_domain, "no domain 9" },
		{ 0, 10, -HOLE0, GNTMAP_host_map, GNTST_bad_domain, "domain 0" },
		{ 0x7ff1, 10, -HOLE0, GNTMAP_host_map, GNTST_bad_domain, "reserved id" },
		{ 0xffff, 10, -HOLE0, GNTMAP_host_map, GNTST_bad_domain, "id 0xffff" },
		{ 1, 10, (int64_t)fake_ipa(5), GNTMAP_host_map, GNTST_bad_virt_addr, "RAM page" },
		{ 1, 10, (int64_t)fake_ipa(HOLE0) + 8, GNTMAP_host_map, GNTST_bad_virt_addr,
		  "unaligned" },
		{ 1, 10, (int64_t)fake_ipa(HOLE0) + 0x800, GNTMAP_host_map, GNTST_bad_virt_addr,
		  "unaligned 2 KiB" },
		{ 1, 10, (int64_t)fake_ipa(RAM_PAGES), GNTMAP_host_map, GNTST_bad_virt_addr,
		  "past RAM" },
		{ 1, 10, GUEST_RAM_BASE - FAKE_PAGE, GNTMAP_host_map, GNTST_bad_virt_addr,
		  "below RAM" },
		{ 1, 10, GUEST_GNTTAB_BASE, GNTMAP_host_map, GNTST_bad_virt_addr, "grant window" },
		{ 1, 10, 0, GNTMAP_host_map, GNTST_bad_virt_addr, "address 0" },
		{ 1, 10, INT64_MAX & ~0xfffLL, GNTMAP_host_map, GNTST_bad_virt_addr, "huge" },
		{ 1, 10, -HOLE0, 0, GNTST_general_error, "no host_map" },
		{ 1, 10, -HOLE0, GNTMAP_device_map, GNTST_general_error, "device_map only" },
		{ 1, 10, -HOLE0, GNTMAP_host_map | GNTMAP_contains_pte, GNTST_general_error, "pte" },
	};
	uint16_t before[21];
	for (grant_ref_t r = 10; r <= 20; r++)
		before[r] = gflags(g, r);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t ipa = cases[i].ipa < 0 ? fake_ipa((unsigned int)-cases[i].ipa)
						: (uint64_t)cases[i].ipa;
		unsigned long maps = fake.s2_maps;
		int st = map_at(m, cases[i].dom, cases[i].ref, ipa, cases[i].flags, NULL);
		CHECKF(st == cases[i].status, "%s: status %d, want %d", cases[i].why, st,
		       cases[i].status);
		CHECKF(fake.s2_maps == maps, "%s: stage-2 changed", cases[i].why);
		CHECKF(!m->xen.maps && m->xen.nr_maps == 0, "%s: maptrack left", cases[i].why);
		CHECKF(fake.heap_bytes == heap0, "%s: heap %ld", cases[i].why, fake.heap_bytes);
		for (grant_ref_t r = 10; r <= 20; r++)
			CHECKF(gflags(g, r) == before[r], "%s: ref %u flags %#x", cases[i].why, r,
			       gflags(g, r));
	}
	CHECK(s2_hole(m, fake_ipa(HOLE0)));
	CHECK(s2_is(m, fake_ipa(5), fake_ram_pa(m, 5), S2_RAM));
	/* A read-only map of the read-only entry is fine. */
	grant_handle_t h;
	CHECK_EQ(map(1, 12, HOLE0, GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
	CHECK_EQ(unmap(HOLE0, h), GNTST_okay);

	/* A full table: the first ref past its last frame, and its last ref (empty). */
	CHECK_EQ(gnttab_map_frame(g, GNTTAB_MAX_FRAMES - 1, WIN_GFN + GNTTAB_MAX_FRAMES - 1), 0);
	heap0 = fake.heap_bytes; /* the table's pins grew */
	CHECK_EQ(map(1, GNTTAB_MAX_FRAMES * PER_FRAME, HOLE0, GNTMAP_host_map, NULL),
		 GNTST_bad_gntref);
	CHECK_EQ(map(1, GNTTAB_MAX_FRAMES * PER_FRAME - 1, HOLE0, GNTMAP_host_map, NULL),
		 GNTST_permission_denied);
	grant(g, GNTTAB_MAX_FRAMES * PER_FRAME - 1, GTF_permit_access, 2, fake_gfn(DATA0));
	CHECK_EQ(map(1, GNTTAB_MAX_FRAMES * PER_FRAME - 1, HOLE0, GNTMAP_host_map, &h), GNTST_okay);
	CHECK_EQ(unmap(HOLE0, h), GNTST_okay);

	/* The granter going (dying) or gone. */
	g->state = DOMAIN_DYING;
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_bad_domain);
	g->state = DOMAIN_RUNNING;
	struct evtchn *ports = g->xen.ports;
	g->xen.ports = NULL; /* not (or no longer) speaking Xen */
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_bad_domain);
	g->xen.ports = ports;

	/* From here on, first maps: without a table, as a domain that never mapped. */
	drop_table(m);
	long heap_untabled = fake.heap_bytes;
	/* A stage-2 failure: general error, the entry is as it was. */
	fake.fail_s2_map = 1;
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_general_error);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	CHECK(!m->xen.maps);
	/* The maptrack cannot be allocated. */
	fake.fail_heap = 1;
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_no_space);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	CHECK(s2_hole(m, fake_ipa(HOLE0)));

	/* Batches over the limit. */
	struct gnttab_map_grant_ref *b = fake_ram(m, ARG_PAGE, 0);
	CHECK_EQ(op(m, GNTTABOP_map_grant_ref, b, XEN_MAX_BATCH + 1), -XEN_EINVAL);
	CHECK_EQ(op(m, GNTTABOP_map_grant_ref, b, UINT64_MAX), -XEN_EINVAL);
	CHECK_EQ(op(m, GNTTABOP_unmap_grant_ref, b, XEN_MAX_BATCH + 1), -XEN_EINVAL);
	CHECK_EQ(op(m, GNTTABOP_copy, b, 1ULL << 32), -XEN_EINVAL);
	CHECK_EQ(fake.heap_bytes, heap_untabled);

	/* The access control policy refuses: nothing is mapped or pinned. */
	fake.mac_deny_share = true;
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_permission_denied);
	CHECK(s2_hole(m, fake_ipa(HOLE0)));
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	fake.mac_deny_share = false;

	/* The granter rewrites its entry between maps: each map checks it afresh. */
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, &h), GNTST_okay);
	entry(g, 10)->domid = 3;
	CHECK_EQ(map(1, 10, HOLE0 + 1, GNTMAP_host_map, NULL), GNTST_permission_denied);
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_reading | GTF_writing);
	entry(g, 10)->domid = 2;
	CHECK_EQ(unmap(HOLE0, h), GNTST_okay);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	CHECK_EQ(stage2_unmap_page(&g->s2, fake_ipa(DATA0 + 7)), 0);
	teardown();
}

static void test_pin_failure_flags(void)
{
	grant_handle_t h;
	setup();
	grant(g, 10, GTF_permit_access, 2, fake_gfn(DATA0));
	/* Nothing mapped: a map whose frame is bad leaves the entry untouched. */
	fake_balloon_out(g, DATA0);
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_bad_page);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	fake_balloon_in(g, DATA0);
	/* Mapped read-only; then a writable map fails on the frame (the granter changed it). */
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_reading);
	entry(g, 10)->frame = (uint32_t)fake_gfn(RAM_PAGES + 1);
	CHECK_EQ(map(1, 10, HOLE0 + 1, GNTMAP_host_map, NULL), GNTST_bad_page);
	CHECK(gflags(g, 10) & GTF_reading);
	/* The failed writable pin leaves no GTF_writing behind. */
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_reading);
	CHECK_EQ(unmap(HOLE0, h), GNTST_okay);
	CHECK_EQ(gflags(g, 10) & ~GTF_writing, GTF_permit_access);
	CHECK_EQ(gflags(g, 10), GTF_permit_access); /* the last unpin clears both */
	teardown();
}

static void test_maptrack_full(void)
{
	setup();
	grant(g, 10, GTF_permit_access | GTF_readonly, 2, fake_gfn(DATA0));
	/* One batch of the largest size, all read-only maps of the same ref. */
	struct gnttab_map_grant_ref *b = fake_ram(m, ARG_PAGE, 0);
	memset(b, 0, XEN_MAX_BATCH * sizeof(*b));
	for (unsigned int i = 0; i < XEN_MAX_BATCH; i++) {
		b[i].host_addr = fake_ipa(HOLE0 + i);
		b[i].flags = GNTMAP_host_map | GNTMAP_readonly;
		b[i].ref = 10;
		b[i].dom = 1;
	}
	CHECK_EQ(op(m, GNTTABOP_map_grant_ref, b, XEN_MAX_BATCH), 0);
	unsigned int ok = 0;
	bool handles_ok = true;
	for (unsigned int i = 0; i < XEN_MAX_BATCH; i++) {
		ok += b[i].status == GNTST_okay;
		handles_ok &= b[i].handle == i;
	}
	CHECK_EQ(ok, GNTTAB_MAX_MAPS);
	CHECK(handles_ok);
	CHECK_EQ(m->xen.nr_maps, GNTTAB_MAX_MAPS);
	CHECK_EQ(g->xen.pins[0][10].readers, GNTTAB_MAX_MAPS);
	/* One more: no room, nothing changes. */
	unsigned long maps = fake.s2_maps;
	CHECK_EQ(map(1, 10, HOLE0 + XEN_MAX_BATCH, GNTMAP_host_map | GNTMAP_readonly, NULL),
		 GNTST_no_space);
	CHECK_EQ(fake.s2_maps, maps);
	CHECK_EQ(g->xen.pins[0][10].readers, GNTTAB_MAX_MAPS);
	CHECK(s2_hole(m, fake_ipa(HOLE0 + XEN_MAX_BATCH)));
	/* Free one: the next map gets its handle. */
	grant_handle_t h;
	CHECK_EQ(unmap(HOLE0 + 500, 500), GNTST_okay);
	CHECK_EQ(map(1, 10, HOLE0 + XEN_MAX_BATCH, GNTMAP_host_map | GNTMAP_readonly, &h),
		 GNTST_okay);
	CHECK_EQ(h, 500);
	CHECK_EQ(unmap(HOLE0 + XEN_MAX_BATCH, h), GNTST_okay);
	/* Unmap everything left in one batch. */
	struct gnttab_unmap_grant_ref *u = fake_ram(m, ARG_PAGE, 0);
	memset(u, 0, XEN_MAX_BATCH * sizeof(*u));
	for (unsigned int i = 0; i < XEN_MAX_BATCH; i++) {
		u[i].host_addr = fake_ipa(HOLE0 + i);
		u[i].handle = i;
	}
	CHECK_EQ(op(m, GNTTABOP_unmap_grant_ref, u, XEN_MAX_BATCH), 0);
	ok = 0;
	for (unsigned int i = 0; i < XEN_MAX_BATCH; i++)
		ok += u[i].status == GNTST_okay;
	CHECK_EQ(ok, XEN_MAX_BATCH - 1);
	CHECK_EQ(u[500].status, GNTST_bad_handle);
	CHECK_EQ(m->xen.nr_maps, 0);
	CHECK_EQ(m->xen.nr_maps, 0); /* the table stays until m ends */
	CHECK_EQ(g->xen.pins[0][10].readers, 0);
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_readonly);
	teardown();
}

/*
 * The control domain's backends may hold more than a domU's 1024 maps; free
 * handles are reused last-freed first, and all of it goes when unmapped.
 */
static void test_control_domain_maps_more(void)
{
	setup();
	m->control = true;
	grant(g, 10, GTF_permit_access | GTF_readonly, 2, fake_gfn(DATA0));
	const unsigned int n = GNTTAB_MAX_MAPS + 8;
	grant_handle_t h[GNTTAB_MAX_MAPS + 8];
	unsigned int ok = 0;
	for (unsigned int i = 0; i < n; i++) {
		ok += map(1, 10, HOLE0 + i, GNTMAP_host_map | GNTMAP_readonly, &h[i]) == GNTST_okay;
		ok -= h[i] != i; /* handles are handed out in order */
	}
	CHECK_EQ(ok, n);
	CHECK_EQ(m->xen.nr_maps, n);
	CHECK_EQ(g->xen.pins[0][10].readers, n);
	/* Two freed: the last freed comes back first, then the other. */
	CHECK_EQ(unmap(HOLE0 + n - 1, h[n - 1]), GNTST_okay);
	CHECK_EQ(unmap(HOLE0 + 5, h[5]), GNTST_okay);
	CHECK_EQ(map(1, 10, HOLE0 + n - 1, GNTMAP_host_map | GNTMAP_readonly, &h[n - 1]),
		 GNTST_okay);
	CHECK_EQ(h[n - 1], 5);
	CHECK_EQ(map(1, 10, HOLE0 + 5, GNTMAP_host_map | GNTMAP_readonly, &h[5]), GNTST_okay);
	CHECK_EQ(h[5], n - 1);
	for (unsigned int i = 0; i < n; i++)
		CHECK_EQ(unmap(HOLE0 + i, h[i]), GNTST_okay);
	CHECK_EQ(m->xen.nr_maps, 0);
	CHECK_EQ(m->xen.nr_maps, 0); /* the table stays until m ends */
	CHECK_EQ(g->xen.pins[0][10].readers, 0);
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_readonly);
	m->control = false;
	teardown();
}

static void test_unmap_hostile(void)
{
	grant_handle_t h;
	setup();
	grant(g, 10, GTF_permit_access, 2, fake_gfn(DATA0));
	/* Nothing mapped at all (no maptrack). */
	CHECK_EQ(unmap(HOLE0, 0), GNTST_bad_handle);
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, &h), GNTST_okay);
	CHECK_EQ(h, 0);
	static const grant_handle_t bad[] = { 1, 5, GNTTAB_MAX_MAPS - 1, GNTTAB_MAX_MAPS,
					      GNTTAB_MAX_MAPS + 1, 0x10000, UINT32_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECKF(unmap(HOLE0, bad[i]) == GNTST_bad_handle, "handle %u", bad[i]);
	CHECK_EQ(unmap(HOLE0 + 1, h), GNTST_bad_virt_addr);
	CHECK_EQ(unmap_at(m, fake_ipa(HOLE0) + 8, h), GNTST_bad_virt_addr);
	CHECK_EQ(unmap_at(m, 0, h), GNTST_bad_virt_addr);
	/* Another domain cannot unmap it with the same handle. */
	CHECK_EQ(unmap_at(t, fake_ipa(HOLE0), h), GNTST_bad_handle);
	CHECK(s2_is(m, fake_ipa(HOLE0), fake_ram_pa(g, DATA0), S2_RAM));
	CHECK_EQ(gflags(g, 10), GTF_permit_access | GTF_reading | GTF_writing);
	CHECK_EQ(m->xen.nr_maps, 1);
	CHECK_EQ(unmap(HOLE0, h), GNTST_okay);
	CHECK_EQ(unmap(HOLE0, h), GNTST_bad_handle);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	teardown();
}

static int copy(struct domain *d, const struct gnttab_copy *c)
{
	struct gnttab_copy *o = fake_ram(d, ARG_PAGE, 0);
	*o = *c;
	o->status = 0x5555;
	CHECK_EQ(op(d, GNTTABOP_copy, o, 1), 0);
	return o->status;
}

static struct gnttab_copy_ptr local(domid_t dom, unsigned int page, uint16_t off)
{
	return (struct gnttab_copy_ptr){ .u.gmfn = fake_gfn(page), .domid = dom, .offset = off };
}

static struct gnttab_copy_ptr gref(domid_t dom, grant_ref_t ref, uint16_t off)
{
	return (struct gnttab_copy_ptr){ .u.ref = ref, .domid = dom, .offset = off };
}

static void test_copy(void)
{
	setup();
	long heap0 = fake.heap_bytes;
	grant(g, 20, GTF_permit_access, 2, fake_gfn(DATA0));
	grant(g, 21, GTF_permit_access | GTF_readonly, 2, fake_gfn(DATA0 + 1));
	grant(g, 22, GTF_permit_access, 3, fake_gfn(DATA0 + 2));
	fake_balloon_out(g, DATA0 + 3);
	grant(g, 23, GTF_permit_access, 2, fake_gfn(DATA0 + 3));
	uint8_t *src = fake_ram(m, DATA0, 0), *gdst = fake_ram(g, DATA0, 0);
	uint8_t *gro = fake_ram(g, DATA0 + 1, 0);
	for (int i = 0; i < 4096; i++) {
		src[i] = (uint8_t)i;
		gro[i] = (uint8_t)(0xff - i);
	}

	/* Local page to the granter's writable grant. */
	struct gnttab_copy c = { .source = local(DOMID_SELF, DATA0, 100),
				 .dest = gref(1, 20, 200), .len = 50,
				 .flags = GNTCOPY_dest_gref };
	CHECK_EQ(copy(m, &c), GNTST_okay);
	CHECK(!memcmp(gdst + 200, src + 100, 50));
	CHECK_EQ(gdst[199], 0);
	CHECK_EQ(gdst[250], 0);
	/* From the read-only grant to a local page (the mapper's own id works as DOMID_SELF). */
	c = (struct gnttab_copy){ .source = gref(1, 21, 4000), .dest = local(2, DATA0 + 1, 0),
				  .len = 96, .flags = GNTCOPY_source_gref };
	CHECK_EQ(copy(m, &c), GNTST_okay);
	CHECK(!memcmp(fake_ram(m, DATA0 + 1, 0), gro + 4000, 96));
	/* Both sides grants. */
	c = (struct gnttab_copy){ .source = gref(1, 21, 0), .dest = gref(1, 20, 0), .len = 8,
				  .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
	CHECK_EQ(copy(m, &c), GNTST_okay);
	CHECK(!memcmp(gdst, gro, 8));
	/* The access control policy refuses, per copy: nothing is written. */
	fake.mac_deny_share = true;
	gdst[0] = 0x5a;
	c = (struct gnttab_copy){ .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, 20, 0),
				  .len = 8, .flags = GNTCOPY_dest_gref };
	CHECK_EQ(copy(m, &c), GNTST_permission_denied);
	CHECK_EQ(gdst[0], 0x5a);
	fake.mac_deny_share = false;
	/* Copies pin nothing. */
	CHECK_EQ(gflags(g, 20), GTF_permit_access);
	CHECK_EQ(gflags(g, 21), GTF_permit_access | GTF_readonly);

	const struct {
		struct gnttab_copy c;
		int status;
		const char *why;
	} bad[] = {
		{ { .source = local(DOMID_SELF, DATA0, 4000), .dest = gref(1, 20, 0), .len = 97,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_copy_arg, "source crosses the page" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, 20, 4095), .len = 2,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_copy_arg, "dest crosses the page" },
		{ { .source = local(DOMID_SELF, DATA0, 0xffff), .dest = gref(1, 20, 0), .len = 1,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_copy_arg, "offset 0xffff" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, 20, 0), .len = 0xffff,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_copy_arg, "len 0xffff" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, 21, 0), .len = 8,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_permission_denied, "write to a read-only grant" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, 22, 0), .len = 8,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_permission_denied, "grant for someone else" },
		{ { .source = local(1, DATA0, 0), .dest = local(DOMID_SELF, DATA0 + 2, 0), .len = 8 },
		  GNTST_permission_denied, "another domain's frame without a grant" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = local(3, DATA0, 0), .len = 8 },
		  GNTST_permission_denied, "write another domain's frame" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, 23, 0), .len = 8,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_page, "granted frame ballooned out" },
		{ { .source = local(DOMID_SELF, HOLE0, 0), .dest = gref(1, 20, 0), .len = 8,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_page, "local frame is a hole" },
		{ { .source = local(DOMID_SELF, RAM_PAGES, 0), .dest = gref(1, 20, 0), .len = 8,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_page, "local frame past RAM" },
		{ { .source = { .u.gmfn = UINT64_MAX, .domid = DOMID_SELF }, .dest = gref(1, 20, 0),
		    .len = 8, .flags = GNTCOPY_dest_gref },
		  GNTST_bad_page, "local frame UINT64_MAX" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = gref(9, 20, 0), .len = 8,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_domain, "no domain 9" },
		{ { .source = gref(0x7ff2, 20, 0), .dest = local(DOMID_SELF, DATA0, 0), .len = 8,
		    .flags = GNTCOPY_source_gref },
		  GNTST_bad_domain, "reserved domain id" },
		{ { .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, PER_FRAME, 0), .len = 8,
		    .flags = GNTCOPY_dest_gref },
		  GNTST_bad_gntref, "ref past the table" },
		{ { .source = gref(1, UINT32_MAX, 0), .dest = local(DOMID_SELF, DATA0, 0), .len = 8,
		    .flags = GNTCOPY_source_gref },
		  GNTST_bad_gntref, "ref UINT32_MAX" },
	};
	uint8_t snapshot[4096];
	memcpy(snapshot, gdst, sizeof(snapshot));
	uint8_t local_snap[4096];
	memcpy(local_snap, src, sizeof(local_snap));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int st = copy(m, &bad[i].c);
		CHECKF(st == bad[i].status, "%s: status %d, want %d", bad[i].why, st, bad[i].status);
		CHECKF(!memcmp(snapshot, gdst, sizeof(snapshot)), "%s: granter page written",
		       bad[i].why);
		CHECKF(!memcmp(local_snap, src, sizeof(local_snap)), "%s: local page written",
		       bad[i].why);
	}
	/* The granter dying: bad_domain. */
	g->state = DOMAIN_DYING;
	c = (struct gnttab_copy){ .source = local(DOMID_SELF, DATA0, 0), .dest = gref(1, 20, 0),
				  .len = 8, .flags = GNTCOPY_dest_gref };
	CHECK_EQ(copy(m, &c), GNTST_bad_domain);
	g->state = DOMAIN_RUNNING;
	/* A batch of two, the second bad. */
	struct gnttab_copy *b = fake_ram(m, ARG_PAGE, 0);
	b[0] = c;
	b[1] = c;
	b[1].dest.offset = 4095;
	CHECK_EQ(op(m, GNTTABOP_copy, b, 2), 0);
	CHECK_EQ(b[0].status, GNTST_okay);
	CHECK_EQ(b[1].status, GNTST_bad_copy_arg);
	CHECK_EQ(fake.heap_bytes, heap0);
	CHECK_EQ(fake.s2_maps, 1); /* setup's grant frame only */
	teardown();
}

static void test_destroy_granter(void)
{
	grant_handle_t hw, hr, hs;
	setup();
	long heap0 = fake.heap_bytes - PER_FRAME * (long)sizeof(struct grant_pins);
	grant(g, 10, GTF_permit_access, 2, fake_gfn(DATA0));
	grant(g, 11, GTF_permit_access, 3, fake_gfn(DATA0 + 1));
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, &hw), GNTST_okay);
	CHECK_EQ(map(1, 10, HOLE0 + 1, GNTMAP_host_map | GNTMAP_readonly, &hr), GNTST_okay);
	/* t maps one too, and m maps one of t's. */
	fake_balloon_out(t, HOLE0);
	CHECK_EQ(map_at(t, 1, 11, fake_ipa(HOLE0), GNTMAP_host_map, NULL), GNTST_okay);
	CHECK_EQ(gnttab_map_frame(t, 0, WIN_GFN), 0);
	grant(t, 30, GTF_permit_access, 2, fake_gfn(DATA0));
	CHECK_EQ(map(3, 30, HOLE0 + 2, GNTMAP_host_map, &hs), GNTST_okay);
	long heap_mapped = fake.heap_bytes;

	g->state = DOMAIN_DYING;
	gnttab_domain_destroy(g);
	CHECK_EQ(g->xen.nr_grant_frames, 0);
	/* Its table is gone; its pages are not reachable through the mapper any more. */
	paddr_t zero = fake_s2_at(m, fake_ipa(HOLE0)).pa;
	CHECK(zero != 0 && zero != fake_ram_pa(g, DATA0));
	CHECK(s2_is(m, fake_ipa(HOLE0), zero, S2_RAM_RO));
	CHECK(s2_is(m, fake_ipa(HOLE0 + 1), zero, S2_RAM_RO));
	CHECK(s2_is(t, fake_ipa(HOLE0), zero, S2_RAM_RO));
	const uint8_t *zp = (const uint8_t *)zero;
	bool zeroed = true;
	for (size_t i = 0; i < FAKE_PAGE; i++)
		zeroed &= zp[i] == 0;
	CHECK(zeroed);
	CHECK(m->xen.maps[hw].orphaned);
	CHECK(m->xen.maps[hr].orphaned);
	CHECK(!m->xen.maps[hs].orphaned); /* t's grant is untouched */
	CHECK(s2_is(m, fake_ipa(HOLE0 + 2), fake_ram_pa(t, DATA0), S2_RAM));
	CHECK_EQ(m->xen.nr_maps, 3);
	CHECK_EQ(fake.pages, base_pages + 1); /* t's frame; g's went */
	CHECK_EQ(fake.heap_bytes, heap_mapped - PER_FRAME * (long)sizeof(struct grant_pins));
	/* Another destroy of the same (now empty) domain is harmless. */
	gnttab_domain_destroy(g);
	/* The granter leaves the domain table altogether; the mapper's unmaps still work. */
	domains[1] = NULL;
	CHECK_EQ(unmap(HOLE0, hw), GNTST_okay);
	CHECK(s2_hole(m, fake_ipa(HOLE0)));
	CHECK_EQ(unmap(HOLE0, hw), GNTST_bad_handle);
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_bad_domain);
	CHECK_EQ(unmap(HOLE0 + 1, hr), GNTST_okay);
	CHECK_EQ(m->xen.nr_maps, 1);
	CHECK_EQ(unmap(HOLE0 + 2, hs), GNTST_okay);
	CHECK_EQ(gflags(t, 30), GTF_permit_access);
	CHECK_EQ(m->xen.nr_maps, 0);
	CHECK_EQ(unmap_at(t, fake_ipa(HOLE0), 0), GNTST_okay);
	CHECK_EQ(t->xen.nr_maps, 0);
	CHECK_EQ(fake.heap_bytes, heap0 + PER_FRAME * (long)sizeof(struct grant_pins) +
				  table_bytes(m) + table_bytes(t));
	domains[1] = g;
	teardown();
}

static void test_destroy_mapper(void)
{
	grant_handle_t h;
	setup();
	long heap0 = fake.heap_bytes;
	grant(g, 10, GTF_permit_access, 2, fake_gfn(DATA0));
	grant(g, 11, GTF_permit_access, 2, fake_gfn(DATA0 + 1));
	grant(g, 12, GTF_permit_access, 3, fake_gfn(DATA0 + 1));
	CHECK_EQ(map(1, 10, HOLE0, GNTMAP_host_map, NULL), GNTST_okay);
	CHECK_EQ(map(1, 10, HOLE0 + 1, GNTMAP_host_map | GNTMAP_readonly, NULL), GNTST_okay);
	CHECK_EQ(map(1, 11, HOLE0 + 2, GNTMAP_host_map | GNTMAP_readonly, NULL), GNTST_okay);
	fake_balloon_out(t, HOLE0);
	CHECK_EQ(map_at(t, 1, 12, fake_ipa(HOLE0), GNTMAP_host_map | GNTMAP_readonly, &h),
		 GNTST_okay);
	m->state = DOMAIN_DYING;
	gnttab_domain_destroy(m);
	CHECK_EQ(gflags(g, 10), GTF_permit_access);
	CHECK_EQ(gflags(g, 11), GTF_permit_access);
	CHECK_EQ(g->xen.pins[0][10].readers, 0);
	CHECK_EQ(g->xen.pins[0][10].writers, 0);
	CHECK_EQ(gflags(g, 12), GTF_permit_access | GTF_reading); /* t's is still there */
	CHECK(!m->xen.maps);
	CHECK_EQ(m->xen.nr_maps, 0);
	/* t's table, with its one mapping, is all that is left: a new table's size. */
	CHECK_EQ(fake.heap_bytes, heap0 + (long)(GNTTAB_MAPS_FIRST * sizeof(struct grant_map)));
	/* The granter can map again, and t's mapping is still good. */
	m->state = DOMAIN_RUNNING;
	CHECK(s2_is(t, fake_ipa(HOLE0), fake_ram_pa(g, DATA0 + 1), S2_RAM_RO));
	CHECK_EQ(unmap_at(t, fake_ipa(HOLE0), h), GNTST_okay);
	CHECK_EQ(gflags(g, 12), GTF_permit_access);
	CHECK_EQ(fake.heap_bytes, heap0 + table_bytes(t)); /* t's table stays till t ends */
	/* The mapper goes after its granter was removed without a destroy: no crash. */
	CHECK_EQ(map(1, 10, HOLE0 + 5, GNTMAP_host_map, NULL), GNTST_okay);
	domains[1] = NULL;
	gnttab_domain_destroy(m);
	domains[1] = g;
	CHECK(!m->xen.maps);
	CHECK_EQ(fake.heap_bytes, heap0 + table_bytes(t)); /* t's table stays till t ends */
	teardown();
}

int main(void)
{
	CHECK_EQ(gnttab_global_init(), 0);
	CHECK_EQ(fake.pages, 1); /* the zero page, kept for good */
	CHECK_EQ(gnttab_global_init(), 0);
	CHECK_EQ(fake.pages, 1);
	test_map_frame();
	test_table_ops();
	test_map_unmap();
	test_map_hostile();
	test_pin_failure_flags();
	test_maptrack_full();
	test_control_domain_maps_more();
	test_unmap_hostile();
	test_copy();
	test_destroy_granter();
	test_destroy_mapper();
	return check_summary();
}
