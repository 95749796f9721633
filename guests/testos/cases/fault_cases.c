/*
 * Accesses the machine must refuse with a synchronous exception the guest
 * can catch. Natively QEMU answers an access to an unassigned address with
 * a synchronous external abort; under arx the same access is a stage-2
 * fault that arx injects as a data abort. Either way: EC 0x25 at the probe,
 * FAR = the address unless the syndrome says FAR is not valid.
 */
#include <testos/board.h>
#include <testos/exception.h>
#include <testos/probe.h>
#include "cases.h"

/*
 * The first byte after the highest RAM bank the device tree gives us. On
 * QEMU's virt machine RAM may grow up to 256 GiB and nothing else lives in
 * that window, so the address is unassigned; under arx it lies outside the
 * domain's memory, so stage 2 has no mapping for it.
 */
static uint64_t outside_ram(void)
{
	return board.ram_end;
}

static void check_data_abort(const struct fault *f, uint64_t addr, uint64_t probe)
{
	unsigned int ec = ESR_EC(f->esr);

	if (!case_check(ec == EC_DABT_CUR, "EC %#x (%s), expected 0x25 (data abort); ESR %#lx",
			ec, esr_class_name(ec), f->esr))
		return;
	case_check(f->elr == probe, "ELR at testos.elf+%#lx, expected the probe at +%#lx",
		   f->elr - image_base, probe - image_base);
	if (!(f->esr & ESR_DABT_FNV))
		case_check(f->far == addr, "FAR %#lx, expected %#lx", f->far, addr);
}

void case_read_outside_ram(void)
{
	uint64_t addr = outside_ram();
	struct fault f;
	uint32_t v;

	fault_expect();
	v = probe_read32(addr);
	if (!fault_taken(&f)) {
		case_fail("reading %#lx gave %#x, no fault", addr, v);
		return;
	}
	check_data_abort(&f, addr, (uint64_t)(uintptr_t)probe_read32);
}

void case_write_outside_ram(void)
{
	uint64_t addr = outside_ram();
	struct fault f;

	fault_expect();
	probe_write32(addr, 0x7e570500);
	if (!fault_taken(&f)) {
		case_fail("writing %#lx did not fault", addr);
		return;
	}
	check_data_abort(&f, addr, (uint64_t)(uintptr_t)probe_write32);
}

/* An IMPLEMENTATION DEFINED register nobody implements is UNDEFINED (EC 0). */
void case_undef_sysreg(void)
{
	uint64_t probe = (uint64_t)(uintptr_t)probe_impdef_sysreg;
	struct fault f;
	uint64_t v;

	fault_expect();
	v = probe_impdef_sysreg();
	if (!fault_taken(&f)) {
		case_fail("MRS S3_0_C15_C2_0 read %#lx, no exception", v);
		return;
	}
	if (!case_check(ESR_EC(f.esr) == EC_UNKNOWN, "EC %#x (%s), expected 0 (undefined)",
			ESR_EC(f.esr), esr_class_name(ESR_EC(f.esr))))
		return;
	case_check(f.elr == probe, "ELR at testos.elf+%#lx, expected the MRS at +%#lx",
		   f.elr - image_base, probe - image_base);
}
