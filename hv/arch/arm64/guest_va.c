/*
 * Guest virtual addresses, as the Xen ABI passes them in hypercalls: the
 * CPU translates them through the guest's own stage-1 tables (still loaded:
 * the vCPU trapped here), which is the only walk that agrees with the guest.
 */
#include <arch/sysreg.h>
#include <arx/guest_va.h>

bool guest_va_to_ipa(uint64_t va, bool write, paddr_t *ipa)
{
	uint64_t saved = read_sysreg(par_el1); /* the guest's, and it may be using it */
	if (write)
		__asm__ volatile("at s1e1w, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s1e1r, %0" : : "r"(va) : "memory");
	isb();
	uint64_t par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if (par & 1)
		return false; /* PAR_EL1.F: the walk faulted (unmapped, no permission, bad table) */
	*ipa = (par & 0x0000fffffffff000UL) | (va & 0xfff);
	return true;
}
