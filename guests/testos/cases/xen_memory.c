/*
 * The Xen ABI, memory_op: where shared_info and grant-table frames appear
 * (add_to_physmap) and ballooning (decrease_reservation makes a hole in
 * the domain's RAM, populate_physmap fills it again with a zeroed page).
 * arx never gives a domain more than its config did nor maps anything but
 * its own pages where it asks.
 */
#include <arx/fmt.h>
#include <public/memory.h>
#include <testos/board.h>
#include <testos/console.h>
#include <testos/mmio.h>
#include "cases.h"
#include "xen.h"

#define E(x) (-(int64_t)XEN_##x)

static int64_t add_to_physmap(domid_t dom, uint32_t space, uint64_t idx, uint64_t gpfn)
{
	struct xen_add_to_physmap a = { .domid = dom, .size = 0xdead, /* Linux leaves it junk */
					.space = space, .idx = idx, .gpfn = gpfn };

	return xen_op(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &a);
}

void case_xen_shared_info(void)
{
	uint64_t gfn = xen_gfn(XP_SHARED_INFO);
	domid_t other;

	if (!xen_ready())
		return;
	other = xen_other_domid();
	xen_expect("add_to_physmap(shared_info) on its page", add_to_physmap(DOMID_SELF,
		   XENMAPSPACE_shared_info, 0, gfn), 0);
	xen_expect("add_to_physmap(shared_info) naming its own id",
		   add_to_physmap(xen_domid(), XENMAPSPACE_shared_info, 0, gfn), 0);
	xen_expect("add_to_physmap(shared_info) at RAM's end",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0,
				  board.ram_end >> XEN_PAGE_SHIFT), E(EINVAL));
	xen_expect("add_to_physmap(shared_info) below RAM",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0,
				  (board.ram_base >> XEN_PAGE_SHIFT) - 1), E(EINVAL));
	xen_expect("add_to_physmap(shared_info) on the console ring",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0,
				  XEN_CONSOLE_RING >> XEN_PAGE_SHIFT), E(EINVAL));
	xen_expect("add_to_physmap(shared_info) at gfn 2^60",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 1UL << 60), E(EINVAL));
	xen_expect("add_to_physmap(shared_info, idx 1)",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1, gfn), E(EINVAL));
	xen_expect("add_to_physmap(shared_info) for another domain",
		   add_to_physmap(other, XENMAPSPACE_shared_info, 0, gfn), E(EPERM));
	xen_expect("add_to_physmap(shared_info) for DOMID_XEN",
		   add_to_physmap(DOMID_XEN, XENMAPSPACE_shared_info, 0, gfn), E(EPERM));
	for (uint32_t space = XENMAPSPACE_gmfn; space <= XENMAPSPACE_dev_mmio; space++) {
		char what[48];

		fmt_snprintf(what, sizeof(what), "add_to_physmap(space %u)", space);
		xen_expect(what, add_to_physmap(DOMID_SELF, space, 0, gfn), E(EOPNOTSUPP));
	}
	xen_expect("add_to_physmap(space 0xffffffff)",
		   add_to_physmap(DOMID_SELF, 0xffffffffu, 0, gfn), E(EOPNOTSUPP));
	/* The scratch page's zeros name domain 0: only the control domain removes foreign maps. */
	xen_expect("memory_op(remove_from_physmap)",
		   xen_call(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
			    xen_page(XP_SCRATCH), 0), E(EPERM));
	xen_expect("memory_op(cmd ~0)", xen_call(__HYPERVISOR_memory_op, ~0UL, 0, 0), E(ENOSYS));
	/* Still where it was put: a raised port shows up in this page. */
	xen_expect("add_to_physmap(shared_info) back on its page",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), 0);
}

void case_xen_grant_frames(void)
{
	const uint64_t window = XEN_GNTTAB_WINDOW >> XEN_PAGE_SHIFT;
	uint32_t marker;

	if (!xen_ready() || !xen_grant_frame0())
		return;
	xen_expect("add_to_physmap(grant frame 0 at 0x38000) again",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, window), 0);
	xen_expect("add_to_physmap(grant frame 32)",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 32, window + 1), E(EINVAL));
	xen_expect("add_to_physmap(grant frame 2^63)",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1UL << 63, window + 1),
		   E(EINVAL));
	xen_expect("add_to_physmap(grant frame 1) past the window",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, window + 32), E(EINVAL));
	xen_expect("add_to_physmap(grant frame 1) below the window",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, window - 1), E(EINVAL));
	xen_expect("add_to_physmap(grant frame 1) in its RAM",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, xen_gfn(XP_SCRATCH)),
		   E(EINVAL));
	xen_expect("add_to_physmap(grant frame 1) on the console ring",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1,
				  XEN_CONSOLE_RING >> XEN_PAGE_SHIFT), E(EINVAL));
	xen_expect("add_to_physmap(grant frame 1) for another domain",
		   add_to_physmap(xen_other_domid(), XENMAPSPACE_grant_table, 1, window + 1),
		   E(EPERM));
	/* Frame 0 is readable and writable where it was put; a moved frame leaves no page behind. */
	marker = readl(XEN_GNTTAB_WINDOW + 4088);
	writel(XEN_GNTTAB_WINDOW + 4088, 0x6a7e0001);
	case_check(readl(XEN_GNTTAB_WINDOW + 4088) == 0x6a7e0001,
		   "grant frame 0 at 0x38000000 did not keep what was written");
	writel(XEN_GNTTAB_WINDOW + 4088, marker);
	if (xen_expect("add_to_physmap(grant frame 1 at 0x38001)",
		       add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, window + 1), 0) &&
	    xen_expect("add_to_physmap(grant frame 1 moved to 0x38005)",
		       add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, window + 5), 0)) {
		case_check(xen_read_faults(XEN_GNTTAB_WINDOW + 1 * XEN_PAGE_SIZE),
			   "0x38001000 still reads after grant frame 1 moved away");
		case_check(!xen_read_faults(XEN_GNTTAB_WINDOW + 5 * XEN_PAGE_SIZE),
			   "grant frame 1 at 0x38005000 does not read");
		xen_expect("add_to_physmap(grant frame 1 back at 0x38001)",
			   add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, window + 1), 0);
		case_check(xen_read_faults(XEN_GNTTAB_WINDOW + 5 * XEN_PAGE_SIZE),
			   "0x38005000 still reads after grant frame 1 moved back");
	}
	/* The gap between the table's frames is nothing: no page of arx's shows through. */
	case_check(xen_read_faults(XEN_GNTTAB_WINDOW + 31 * XEN_PAGE_SIZE),
		   "0x3801f000 (no frame put there) reads");
}

static int64_t reservation(unsigned int cmd, uint64_t list, uint64_t n, uint32_t order,
			   domid_t dom)
{
	struct xen_memory_reservation r = { .extent_start = list, .nr_extents = n,
					    .extent_order = order, .domid = dom };

	return xen_op(__HYPERVISOR_memory_op, cmd, &r);
}

void case_xen_reservation(void)
{
	uint64_t page = xen_page(XP_HOLE), gfn = xen_gfn(XP_HOLE);
	uint64_t list[3] = { gfn, 0, 0 };
	uint64_t l = (uint64_t)(uintptr_t)list;
	int64_t r;

	if (!xen_ready())
		return;
	writel(page, 0xfeedf00d);
	writel(page + 4092, 0xfeedf00d);
	/* Refused before anything happens. */
	xen_expect("decrease_reservation, extent_order 1",
		   reservation(XENMEM_decrease_reservation, l, 1, 1, DOMID_SELF), E(EINVAL));
	xen_expect("decrease_reservation, 513 extents",
		   reservation(XENMEM_decrease_reservation, l, 513, 0, DOMID_SELF), E(EINVAL));
	xen_expect("decrease_reservation, 2^63 extents",
		   reservation(XENMEM_decrease_reservation, l, 1UL << 63, 0, DOMID_SELF),
		   E(EINVAL));
	xen_expect("decrease_reservation of another domain",
		   reservation(XENMEM_decrease_reservation, l, 1, 0, xen_other_domid()), E(EPERM));
	xen_expect("populate_physmap, extent_order 9",
		   reservation(XENMEM_populate_physmap, l, 1, 9, DOMID_SELF), E(EINVAL));
	case_check(readl(page) == 0xfeedf00d, "the page changed after refused calls");

	/* Frames that are not its RAM: none done. */
	list[0] = board.ram_end >> XEN_PAGE_SHIFT;
	xen_expect("decrease_reservation at RAM's end", reservation(XENMEM_decrease_reservation,
		   l, 1, 0, DOMID_SELF), 0);
	list[0] = XEN_CONSOLE_RING >> XEN_PAGE_SHIFT;
	xen_expect("decrease_reservation of the console ring",
		   reservation(XENMEM_decrease_reservation, l, 1, 0, DOMID_SELF), 0);
	list[0] = XEN_GNTTAB_WINDOW >> XEN_PAGE_SHIFT;
	xen_expect("decrease_reservation of grant frame 0",
		   reservation(XENMEM_decrease_reservation, l, 1, 0, DOMID_SELF), 0);
	list[0] = 1UL << 60;
	xen_expect("decrease_reservation of gfn 2^60", reservation(XENMEM_decrease_reservation,
		   l, 1, 0, DOMID_SELF), 0);
	xen_expect("populate_physmap of gfn 2^60",
		   reservation(XENMEM_populate_physmap, l, 1, 0, DOMID_SELF), 0);
	xen_expect("decrease_reservation with the list outside RAM",
		   reservation(XENMEM_decrease_reservation, board.ram_end, 1, 0, DOMID_SELF), 0);
	xen_expect("populate_physmap of a page that is there",
		   reservation(XENMEM_populate_physmap, (uint64_t)(uintptr_t)&gfn, 1, 0,
			       DOMID_SELF), 0);

	/* One of its own pages: gone, then back zeroed. */
	if (!xen_expect("decrease_reservation of its page", xen_release(gfn), 1))
		return;
	case_check(xen_read_faults(page), "the page given back still reads");
	case_check(xen_write_faults(page, 1), "the page given back still takes writes");
	xen_expect("decrease_reservation of the hole again", xen_release(gfn), 0);
	/* A hole is not its RAM for arx either. */
	xen_expect("xen_version(get_features) with its argument in the hole",
		   xen_call(__HYPERVISOR_xen_version, 6, page + 8, 0), E(EFAULT));
	xen_expect("add_to_physmap(shared_info) on the hole",
		   add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), E(EINVAL));
	/* Counts: the second extent (outside RAM) stops the batch after the first. */
	list[0] = gfn;
	list[1] = board.ram_end >> XEN_PAGE_SHIFT;
	r = reservation(XENMEM_populate_physmap, l, 2, 0, DOMID_SELF);
	xen_expect("populate_physmap of the hole, then a frame outside RAM", r, 1);
	if (r != 1 && xen_populate(gfn) != 1) {
		case_fail("could not get page %#lx back; later cases may fault", page);
		return;
	}
	case_check(!xen_read_faults(page), "the populated page does not read");
	case_check(readl(page) == 0 && readl(page + 4092) == 0,
		   "the populated page is not zeroed: %#x ... %#x", readl(page), readl(page + 4092));
	writel(page, 0x600d);
	case_check(readl(page) == 0x600d, "the populated page does not keep a write");
	xen_expect("populate_physmap when it is there again", xen_populate(gfn), 0);
	/* increase_reservation is populate_physmap for this kind of guest. */
	if (xen_release(gfn) == 1)
		xen_expect("increase_reservation of the hole",
			   reservation(XENMEM_increase_reservation, (uint64_t)(uintptr_t)&gfn, 1, 0,
				       DOMID_SELF), 1);
	case_check(!xen_read_faults(page), "the page does not read after increase_reservation");
}
