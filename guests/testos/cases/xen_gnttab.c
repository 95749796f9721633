/*
 * The Xen ABI, grant tables (v1): testos grants pages of its own RAM to
 * itself (the entry names its own domain id), maps them into holes it made
 * with decrease_reservation, copies through them, and tries everything a
 * grantee must not be able to do. Entries live in grant frame 0, mapped at
 * the window's start (xen.h); refs 0-7 are left alone as Linux does.
 */
#include <public/memory.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/mmio.h>
#include "cases.h"
#include "xen.h"

#define E(x) (-(int64_t)XEN_##x)

#define REF_RW 10	/* grants XP_GRANTED writable */
#define REF_RO 11	/* grants XP_GRANTED read-only */
#define REF_SPARE 12	/* rewritten by each hostile attempt */

/* A map that must fail with `status` (the hypercall itself succeeds). */
static void map_fails(const char *what, uint64_t host, uint32_t flags, grant_ref_t ref,
		      domid_t dom, int16_t status)
{
	struct gnttab_map_grant_ref m;
	int16_t s;

	if (!xen_expect(what, xen_map_grant(host, flags, ref, dom, &m), 0))
		return;
	if (!case_check(m.status == status, "%s: status %d, expected %d", what, m.status, status)
	    && m.status == GNTST_okay)
		xen_unmap_grant(host, m.handle, &s);
}

static bool granting_ready(void)
{
	return xen_ready() && xen_grant_frame0();
}

void case_xen_gnttab_setup(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	uint64_t frames[3] = { ~0UL, ~0UL, ~0UL };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2,
					 .frame_list = (uint64_t)(uintptr_t)frames };
	const uint64_t window = XEN_GNTTAB_WINDOW >> XEN_PAGE_SHIFT;

	if (!granting_ready())
		return;
	if (xen_expect("query_size", xen_gnttab_op(GNTTABOP_query_size, &q, 1), 0))
		case_check(q.status == GNTST_okay && q.max_nr_frames == XEN_GNTTAB_FRAMES &&
			   q.nr_frames >= 1 && q.nr_frames <= XEN_GNTTAB_FRAMES,
			   "query_size: status %d, %u of %u frames", q.status, q.nr_frames,
			   q.max_nr_frames);
	q = (struct gnttab_query_size){ .dom = xen_other_domid() };
	if (xen_expect("query_size of another domain", xen_gnttab_op(GNTTABOP_query_size, &q, 1), 0))
		case_check(q.status == GNTST_permission_denied,
			   "query_size of another domain: status %d, expected -8", q.status);
	xen_expect("query_size, count 2", xen_gnttab_op(GNTTABOP_query_size, &q, 2), E(EINVAL));
	xen_expect("set_version 1", xen_gnttab_op(GNTTABOP_set_version, &sv, 1), 0);
	case_check(sv.version == 1, "set_version 1: version %u", sv.version);
	sv.version = 2;
	xen_expect("set_version 2", xen_gnttab_op(GNTTABOP_set_version, &sv, 1), E(EINVAL));
	sv.version = 0;
	xen_expect("set_version 0", xen_gnttab_op(GNTTABOP_set_version, &sv, 1), E(EINVAL));
	if (xen_expect("get_version", xen_gnttab_op(GNTTABOP_get_version, &gv, 1), 0))
		case_check(gv.version == 1, "get_version: %u, expected 1", gv.version);
	gv.dom = xen_other_domid();
	xen_expect("get_version of another domain", xen_gnttab_op(GNTTABOP_get_version, &gv, 1),
		   E(EPERM));
	if (xen_expect("setup_table, 2 frames", xen_gnttab_op(GNTTABOP_setup_table, &st, 1), 0) &&
	    case_check(st.status == GNTST_okay, "setup_table: status %d", st.status)) {
		for (unsigned int i = 0; i < 2; i++)
			case_check(frames[i] >= window && frames[i] < window + XEN_GNTTAB_FRAMES,
				   "setup_table: frame %u at gfn %#lx, outside the window", i,
				   frames[i]);
		case_check(frames[2] == ~0UL, "setup_table wrote a third frame: %#lx", frames[2]);
		case_check(frames[0] == window, "setup_table: frame 0 at %#lx, where testos put it "
			   "is 0x38000", frames[0]);
	}
	st.nr_frames = XEN_GNTTAB_FRAMES + 1;
	if (xen_expect("setup_table, 33 frames", xen_gnttab_op(GNTTABOP_setup_table, &st, 1), 0))
		case_check(st.status == GNTST_general_error, "setup_table, 33 frames: status %d",
			   st.status);
	st = (struct gnttab_setup_table){ .dom = xen_other_domid(), .nr_frames = 1,
					  .frame_list = (uint64_t)(uintptr_t)frames };
	if (xen_expect("setup_table of another domain",
		       xen_gnttab_op(GNTTABOP_setup_table, &st, 1), 0))
		case_check(st.status == GNTST_permission_denied,
			   "setup_table of another domain: status %d", st.status);
	st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 1,
					  .frame_list = board.ram_end };
	xen_expect("setup_table, frame list outside RAM",
		   xen_gnttab_op(GNTTABOP_setup_table, &st, 1), E(EFAULT));
	xen_expect("setup_table, count 0", xen_gnttab_op(GNTTABOP_setup_table, &st, 0), E(EINVAL));
	/* Batches are bounded before anything is read. */
	xen_expect("map_grant_ref, count 1025",
		   xen_gnttab_op(GNTTABOP_map_grant_ref, (void *)board.ram_end, 1025), E(EINVAL));
	xen_expect("unmap_grant_ref, count 1025",
		   xen_gnttab_op(GNTTABOP_unmap_grant_ref, (void *)board.ram_end, 1025), E(EINVAL));
	xen_expect("copy, count 2^63",
		   xen_gnttab_op(GNTTABOP_copy, (void *)board.ram_end, 1UL << 63), E(EINVAL));
	xen_expect("map_grant_ref, count 0",
		   xen_gnttab_op(GNTTABOP_map_grant_ref, (void *)0, 0), 0);
	xen_expect("grant_table_op(dump_table)",
		   xen_gnttab_op(GNTTABOP_dump_table, &q, 1), E(ENOSYS));
	xen_expect("grant_table_op(transfer)", xen_gnttab_op(GNTTABOP_transfer, &q, 1), E(ENOSYS));
	xen_expect("grant_table_op(cache_flush)",
		   xen_gnttab_op(GNTTABOP_cache_flush, &q, 1), E(ENOSYS));
	xen_expect("grant_table_op(cmd ~0)", xen_gnttab_op(~0UL, &q, 1), E(ENOSYS));
}

void case_xen_gnttab_map(void)
{
	uint64_t src = xen_page(XP_GRANTED), host = xen_page(XP_MAP_HOLE);
	struct gnttab_map_grant_ref m, m2;
	domid_t me;
	int16_t s;

	if (!granting_ready() || !xen_make_hole(XP_MAP_HOLE))
		return;
	me = xen_domid();
	for (unsigned int i = 0; i < 1024; i++)
		writel(src + 4 * i, 0x61a70000 + i);
	xen_grant(REF_RW, GTF_permit_access, me, (uint32_t)xen_gfn(XP_GRANTED));
	if (!xen_expect("map_grant_ref of its own grant",
			xen_map_grant(host, GNTMAP_host_map, REF_RW, DOMID_SELF, &m), 0) ||
	    !case_check(m.status == GNTST_okay, "map_grant_ref: status %d", m.status))
		goto out;
	case_check(m.dev_bus_addr == host, "map_grant_ref: dev_bus_addr %#lx, expected %#lx",
		   m.dev_bus_addr, host);
	/* The hole now shows the granted page: one page, two addresses. */
	case_check(readl(host + 8) == 0x61a70002 && readl(host + 4092) == 0x61a703ff,
		   "mapped grant reads %#x / %#x", readl(host + 8), readl(host + 4092));
	writel(host + 16, 0xa11a5001);
	case_check(readl(src + 16) == 0xa11a5001, "a write through the mapping did not reach the "
		   "granted page: %#x", readl(src + 16));
	writel(src + 20, 0xa11a5002);
	case_check(readl(host + 20) == 0xa11a5002, "a write to the granted page does not show in "
		   "the mapping: %#x", readl(host + 20));
	case_check((xen_grant_flags(REF_RW) & (GTF_reading | GTF_writing)) ==
		   (GTF_reading | GTF_writing), "mapped grant's flags %#x lack reading|writing",
		   xen_grant_flags(REF_RW));
	/* A grant-mapped page is not the domain's own RAM as far as hypercalls go. */
	xen_expect("xen_version(extraversion) into the mapped grant",
		   xen_call(__HYPERVISOR_xen_version, 1, host, 0), E(EFAULT));
	xen_expect("decrease_reservation of the mapped grant", xen_release(xen_gfn(XP_MAP_HOLE)),
		   0);
	xen_expect("populate_physmap over the mapped grant", xen_populate(xen_gfn(XP_MAP_HOLE)),
		   0);
	/* The same grant again, naming its own id: the hole is taken now. */
	map_fails("map_grant_ref onto the mapped grant", host, GNTMAP_host_map, REF_RW, me,
		  GNTST_bad_virt_addr);
	/* Unmap: the page must be named as mapped. */
	xen_expect("unmap_grant_ref, wrong host_addr",
		   xen_unmap_grant(host + XEN_PAGE_SIZE, m.handle, &s), 0);
	case_check(s == GNTST_bad_virt_addr, "unmap with the wrong host_addr: status %d", s);
	xen_expect("unmap_grant_ref, handle + 1", xen_unmap_grant(host, m.handle + 1, &s), 0);
	case_check(s == GNTST_bad_handle, "unmap of an unused handle: status %d", s);
	xen_expect("unmap_grant_ref", xen_unmap_grant(host, m.handle, &s), 0);
	case_check(s == GNTST_okay, "unmap_grant_ref: status %d", s);
	case_check(xen_grant_flags(REF_RW) == GTF_permit_access,
		   "after unmap the grant's flags are %#x, expected %#x", xen_grant_flags(REF_RW),
		   GTF_permit_access);
	case_check(xen_read_faults(host), "after unmap the hole still reads");
	xen_expect("unmap_grant_ref again", xen_unmap_grant(host, m.handle, &s), 0);
	case_check(s == GNTST_bad_handle, "second unmap: status %d", s);
	/* Twice at once in one batch: the second finds no hole. */
	if (xen_expect("map_grant_ref by its own id",
		       xen_map_grant(host, GNTMAP_host_map, REF_RW, me, &m), 0) &&
	    case_check(m.status == GNTST_okay, "map by own id: status %d", m.status)) {
		map_fails("map_grant_ref of the same grant elsewhere in RAM",
			  xen_page(XP_SCRATCH), GNTMAP_host_map, REF_RW, me, GNTST_bad_virt_addr);
		if (xen_make_hole(XP_SCRATCH2)) {
			/* Two mappings of one grant: it stays in use until both go. */
			if (xen_expect("a second mapping of the grant",
				       xen_map_grant(xen_page(XP_SCRATCH2), GNTMAP_host_map,
						     REF_RW, me, &m2), 0)
			    && m2.status == GNTST_okay) {
				xen_unmap_grant(host, m.handle, &s);
				case_check(xen_grant_flags(REF_RW) & GTF_writing,
					   "one of two mappings gone: flags %#x lost writing",
					   xen_grant_flags(REF_RW));
				m.handle = m2.handle;
				host = xen_page(XP_SCRATCH2);
			}
		}
		xen_expect("unmap_grant_ref", xen_unmap_grant(host, m.handle, &s), 0);
		case_check(s == GNTST_okay, "unmap: status %d", s);
		xen_fill_hole(XP_SCRATCH2);
	}
out:
	xen_grant(REF_RW, 0, 0, 0);
	xen_fill_hole(XP_MAP_HOLE);
}

void case_xen_gnttab_map_hostile(void)
{
	uint64_t host = xen_page(XP_MAP_HOLE);
	uint32_t frame = (uint32_t)xen_gfn(XP_GRANTED);
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	domid_t me;
	int16_t s;

	if (!granting_ready() || !xen_make_hole(XP_MAP_HOLE))
		return;
	me = xen_domid();
	xen_grant(REF_SPARE, GTF_permit_access, me, frame);
	/* Where: only a page-aligned hole of its own RAM. */
	map_fails("map onto mapped RAM", xen_page(XP_SCRATCH), GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_virt_addr);
	map_fails("map at an unaligned host_addr", host + 8, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_virt_addr);
	map_fails("map at RAM's end", board.ram_end, GNTMAP_host_map, REF_SPARE, DOMID_SELF,
		  GNTST_bad_virt_addr);
	map_fails("map below RAM", board.ram_base - XEN_PAGE_SIZE, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_virt_addr);
	map_fails("map onto grant frame 0", XEN_GNTTAB_WINDOW, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_virt_addr);
	map_fails("map onto the console ring", XEN_CONSOLE_RING, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_virt_addr);
	map_fails("map at 2^63", 1UL << 63, GNTMAP_host_map, REF_SPARE, DOMID_SELF,
		  GNTST_bad_virt_addr);
	/* How: host mappings only. */
	map_fails("map without GNTMAP_host_map", host, GNTMAP_device_map, REF_SPARE, DOMID_SELF,
		  GNTST_general_error);
	map_fails("map with GNTMAP_contains_pte", host, GNTMAP_host_map | GNTMAP_contains_pte,
		  REF_SPARE, DOMID_SELF, GNTST_general_error);
	/* Whose: a domain that is there and speaks Xen. */
	map_fails("map from domain 99", host, GNTMAP_host_map, REF_SPARE, 99, GNTST_bad_domain);
	map_fails("map from DOMID_XEN", host, GNTMAP_host_map, REF_SPARE, DOMID_XEN,
		  GNTST_bad_domain);
	map_fails("map from domain 0", host, GNTMAP_host_map, REF_SPARE, 0, GNTST_bad_domain);
	/* Which: a ref in the table. */
	if (xen_expect("query_size", xen_call(__HYPERVISOR_grant_table_op, GNTTABOP_query_size,
					      (uint64_t)(uintptr_t)&q, 1), 0))
		map_fails("map of the first ref past the table", host, GNTMAP_host_map,
			  q.nr_frames * 512, DOMID_SELF, GNTST_bad_gntref);
	map_fails("map of ref 2^32-1", host, GNTMAP_host_map, 0xffffffffu, DOMID_SELF,
		  GNTST_bad_gntref);
	/* What the entry says: it must permit this domain, for writing if asked. */
	xen_grant(REF_SPARE, 0, me, frame);
	map_fails("map of an entry with flags 0", host, GNTMAP_host_map, REF_SPARE, DOMID_SELF,
		  GNTST_permission_denied);
	xen_grant(REF_SPARE, GTF_accept_transfer, me, frame);
	map_fails("map of an accept_transfer entry", host, GNTMAP_host_map, REF_SPARE, DOMID_SELF,
		  GNTST_permission_denied);
	xen_grant(REF_SPARE, GTF_permit_access, xen_other_domid(), frame);
	map_fails("map of an entry for another domain", host, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_permission_denied);
	xen_grant(REF_SPARE, GTF_permit_access, DOMID_SELF, frame);
	map_fails("map of an entry naming DOMID_SELF", host, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_permission_denied);
	xen_grant(REF_SPARE, GTF_permit_access | GTF_readonly, me, frame);
	map_fails("writable map of a read-only entry", host, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_permission_denied);
	case_check(xen_grant_flags(REF_SPARE) == (GTF_permit_access | GTF_readonly),
		   "refused maps left the entry's flags at %#x", xen_grant_flags(REF_SPARE));
	/* The granted frame must be the granter's own RAM, there now. */
	xen_grant(REF_SPARE, GTF_permit_access, me, (uint32_t)(board.ram_end >> XEN_PAGE_SHIFT));
	map_fails("map of a grant of a frame outside RAM", host, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_page);
	xen_grant(REF_SPARE, GTF_permit_access, me, XEN_GNTTAB_WINDOW >> XEN_PAGE_SHIFT);
	map_fails("map of a grant of grant frame 0", host, GNTMAP_host_map, REF_SPARE, DOMID_SELF,
		  GNTST_bad_page);
	xen_grant(REF_SPARE, GTF_permit_access, me, XEN_CONSOLE_RING >> XEN_PAGE_SHIFT);
	map_fails("map of a grant of the console ring", host, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_page);
	xen_grant(REF_SPARE, GTF_permit_access, me, (uint32_t)xen_gfn(XP_MAP_HOLE));
	map_fails("map of a grant of the hole itself", host, GNTMAP_host_map, REF_SPARE,
		  DOMID_SELF, GNTST_bad_page);
	case_check(xen_grant_flags(REF_SPARE) == GTF_permit_access,
		   "a map refused for its frame left flags %#x", xen_grant_flags(REF_SPARE));
	case_check(xen_read_faults(host), "after the refused maps the hole reads");
	/* Unmap of what is not mapped. */
	static const uint32_t handles[] = { 0, 1, 1023, 1024, 0xffffffff };
	for (unsigned int i = 0; i < ARRAY_SIZE(handles); i++) {
		xen_expect("unmap_grant_ref of a bad handle",
			   xen_unmap_grant(host, handles[i], &s), 0);
		case_check(s == GNTST_bad_handle, "unmap of handle %#x: status %d, expected -4",
			   handles[i], s);
	}
	xen_grant(REF_SPARE, 0, 0, 0);
	xen_fill_hole(XP_MAP_HOLE);
}

void case_xen_gnttab_readonly(void)
{
	uint64_t src = xen_page(XP_GRANTED), host = xen_page(XP_MAP_HOLE);
	struct gnttab_map_grant_ref m;
	int16_t s;

	if (!granting_ready() || !xen_make_hole(XP_MAP_HOLE))
		return;
	writel(src, 0x2ead0171);
	xen_grant(REF_RO, GTF_permit_access | GTF_readonly, xen_domid(),
		  (uint32_t)xen_gfn(XP_GRANTED));
	if (!xen_expect("read-only map of a read-only grant",
			xen_map_grant(host, GNTMAP_host_map | GNTMAP_readonly, REF_RO,
				      DOMID_SELF, &m), 0) ||
	    !case_check(m.status == GNTST_okay, "read-only map: status %d", m.status))
		goto out;
	case_check(readl(host) == 0x2ead0171, "read-only mapping reads %#x", readl(host));
	case_check(xen_write_faults(host, 0xbad), "a write to the read-only mapping did not fault");
	case_check(readl(src) == 0x2ead0171, "the write through the read-only mapping landed: %#x",
		   readl(src));
	case_check((xen_grant_flags(REF_RO) & (GTF_reading | GTF_writing)) == GTF_reading,
		   "read-only mapped grant's flags %#x: expected reading, not writing",
		   xen_grant_flags(REF_RO));
	/* Nor can arx be made to write it. */
	xen_expect("xen_version(extraversion) into the read-only mapping",
		   xen_call(__HYPERVISOR_xen_version, 1, host, 0), E(EFAULT));
	case_check(readl(src) == 0x2ead0171, "a hypercall wrote the read-only grant: %#x",
		   readl(src));
	xen_expect("unmap_grant_ref", xen_unmap_grant(host, m.handle, &s), 0);
	case_check(s == GNTST_okay, "unmap: status %d", s);
	case_check(xen_grant_flags(REF_RO) == (GTF_permit_access | GTF_readonly),
		   "after unmap the read-only grant's flags are %#x", xen_grant_flags(REF_RO));
out:
	xen_grant(REF_RO, 0, 0, 0);
	xen_fill_hole(XP_MAP_HOLE);
}

static void copy_fails(const char *what, uint16_t flags, uint64_t src, domid_t sdom,
		       uint16_t soff, uint64_t dst, domid_t ddom, uint16_t doff, uint16_t len,
		       int16_t status)
{
	int16_t s = xen_grant_copy(what, flags, src, sdom, soff, dst, ddom, doff, len);

	case_check(s == status, "%s: status %d, expected %d", what, s, status);
}

void case_xen_gnttab_copy(void)
{
	uint64_t granted = xen_page(XP_GRANTED), dst = xen_page(XP_SCRATCH);
	uint64_t gfn_dst = xen_gfn(XP_SCRATCH), gfn_src = xen_gfn(XP_SCRATCH2);
	domid_t me;
	int16_t s;

	if (!granting_ready())
		return;
	me = xen_domid();
	for (unsigned int i = 0; i < 1024; i++) {
		writel(granted + 4 * i, 0xc0970000 + i);
		writel(dst + 4 * i, 0);
		writel(xen_page(XP_SCRATCH2) + 4 * i, 0x5c2a0000 + i);
	}
	xen_grant(REF_RW, GTF_permit_access, me, (uint32_t)xen_gfn(XP_GRANTED));
	xen_grant(REF_RO, GTF_permit_access | GTF_readonly, me, (uint32_t)xen_gfn(XP_GRANTED));

	s = xen_grant_copy("copy gref -> gmfn", GNTCOPY_source_gref, REF_RW, DOMID_SELF, 16,
			   gfn_dst, DOMID_SELF, 100, 64);
	if (case_check(s == GNTST_okay, "copy gref -> gmfn: status %d", s))
		case_check(readl(dst + 100) == 0xc0970004 && readl(dst + 160) == 0xc0970013 &&
			   readl(dst + 96) == 0 && readl(dst + 164) == 0,
			   "copy gref -> gmfn moved the wrong bytes: %#x %#x %#x %#x",
			   readl(dst + 96), readl(dst + 100), readl(dst + 160), readl(dst + 164));
	s = xen_grant_copy("copy gmfn -> gref", GNTCOPY_dest_gref, gfn_src, me, 0, REF_RW,
			   DOMID_SELF, 4000, 96);
	if (case_check(s == GNTST_okay, "copy gmfn -> gref: status %d", s))
		case_check(readl(granted + 4000) == 0x5c2a0000 &&
			   readl(granted + 4092) == 0x5c2a0017 && readl(granted + 3996) == 0xc09703e7,
			   "copy gmfn -> gref moved the wrong bytes: %#x %#x %#x",
			   readl(granted + 3996), readl(granted + 4000), readl(granted + 4092));
	s = xen_grant_copy("copy gref -> gref, a whole page",
			   GNTCOPY_source_gref | GNTCOPY_dest_gref, REF_RO, DOMID_SELF, 0, REF_RW, me,
			   0, 4096);
	case_check(s == GNTST_okay, "copy of a whole page onto itself: status %d", s);
	case_check((xen_grant_flags(REF_RW) & (GTF_reading | GTF_writing)) == 0,
		   "copy left the grant's flags at %#x", xen_grant_flags(REF_RW));

	copy_fails("copy, offset 4000 + len 200", GNTCOPY_source_gref, REF_RW, DOMID_SELF, 4000,
		   gfn_dst, DOMID_SELF, 0, 200, GNTST_bad_copy_arg);
	copy_fails("copy, dest offset 4095 + len 2", 0, gfn_src, DOMID_SELF, 0, gfn_dst,
		   DOMID_SELF, 4095, 2, GNTST_bad_copy_arg);
	copy_fails("copy, len 65535", 0, gfn_src, DOMID_SELF, 0, gfn_dst, DOMID_SELF, 0, 0xffff,
		   GNTST_bad_copy_arg);
	copy_fails("copy, offset 65535", 0, gfn_src, DOMID_SELF, 0xffff, gfn_dst, DOMID_SELF, 0,
		   1, GNTST_bad_copy_arg);
	copy_fails("copy from a gmfn of another domain", 0, gfn_src, xen_other_domid(), 0,
		   gfn_dst, DOMID_SELF, 0, 8, GNTST_permission_denied);
	copy_fails("copy to a gmfn of another domain", 0, gfn_src, DOMID_SELF, 0, gfn_dst,
		   xen_other_domid(), 0, 8, GNTST_permission_denied);
	copy_fails("copy from a frame outside RAM", 0, board.ram_end >> XEN_PAGE_SHIFT,
		   DOMID_SELF, 0, gfn_dst, DOMID_SELF, 0, 8, GNTST_bad_page);
	copy_fails("copy to a frame outside RAM", 0, gfn_src, DOMID_SELF, 0,
		   board.ram_end >> XEN_PAGE_SHIFT, DOMID_SELF, 0, 8, GNTST_bad_page);
	copy_fails("copy from grant frame 0", 0, XEN_GNTTAB_WINDOW >> XEN_PAGE_SHIFT, DOMID_SELF,
		   0, gfn_dst, DOMID_SELF, 0, 8, GNTST_bad_page);
	copy_fails("copy from the console ring", 0, XEN_CONSOLE_RING >> XEN_PAGE_SHIFT,
		   DOMID_SELF, 0, gfn_dst, DOMID_SELF, 0, 8, GNTST_bad_page);
	copy_fails("copy from gmfn 2^63", 0, 1UL << 63, DOMID_SELF, 0, gfn_dst, DOMID_SELF, 0, 8,
		   GNTST_bad_page);
	copy_fails("copy into a read-only grant", GNTCOPY_dest_gref, gfn_src, DOMID_SELF, 0,
		   REF_RO, DOMID_SELF, 0, 8, GNTST_permission_denied);
	copy_fails("copy from a grant of domain 99", GNTCOPY_source_gref, REF_RW, 99, 0, gfn_dst,
		   DOMID_SELF, 0, 8, GNTST_bad_domain);
	copy_fails("copy from ref 2^32-1", GNTCOPY_source_gref, 0xffffffffu, DOMID_SELF, 0,
		   gfn_dst, DOMID_SELF, 0, 8, GNTST_bad_gntref);
	copy_fails("copy from an unused entry", GNTCOPY_source_gref, REF_SPARE, DOMID_SELF, 0,
		   gfn_dst, DOMID_SELF, 0, 8, GNTST_permission_denied);
	if (xen_make_hole(XP_MAP_HOLE)) {
		copy_fails("copy into a hole", 0, gfn_src, DOMID_SELF, 0, xen_gfn(XP_MAP_HOLE),
			   DOMID_SELF, 0, 8, GNTST_bad_page);
		xen_grant(REF_SPARE, GTF_permit_access, me, (uint32_t)xen_gfn(XP_MAP_HOLE));
		copy_fails("copy from a grant of a hole", GNTCOPY_source_gref, REF_SPARE,
			   DOMID_SELF, 0, gfn_dst, DOMID_SELF, 0, 8, GNTST_bad_page);
		xen_grant(REF_SPARE, 0, 0, 0);
		xen_fill_hole(XP_MAP_HOLE);
	}
	case_check(readl(dst) == 0, "a refused copy wrote the destination: %#x", readl(dst));
	xen_grant(REF_RW, 0, 0, 0);
	xen_grant(REF_RO, 0, 0, 0);
}
