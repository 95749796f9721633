/*
 * ESR_EL2 decoding for crash reports and guest-fault reports: the exception
 * class by name and, for aborts, what kind of fault at which level.
 */
#include <arch/esr.h>

struct ec_name {
	uint8_t ec;
	const char *name;
};

static const struct ec_name classes[] = {
	{ 0x00, "Unknown reason" },
	{ 0x01, "WFI/WFE" },
	{ 0x07, "FP/SIMD access" },
	{ 0x0e, "Illegal execution state" },
	{ 0x11, "SVC (AArch32)" },
	{ 0x12, "HVC (AArch32)" },
	{ 0x13, "SMC (AArch32)" },
	{ 0x15, "SVC" },
	{ 0x16, "HVC" },
	{ 0x17, "SMC" },
	{ 0x18, "System register access" },
	{ 0x19, "SVE access" },
	{ 0x20, "Instruction Abort (lower EL)" },
	{ 0x21, "Instruction Abort (same EL)" },
	{ 0x22, "PC alignment fault" },
	{ 0x24, "Data Abort (lower EL)" },
	{ 0x25, "Data Abort (same EL)" },
	{ 0x26, "SP alignment fault" },
	{ 0x2c, "FP exception" },
	{ 0x2f, "SError" },
	{ 0x30, "Breakpoint (lower EL)" },
	{ 0x31, "Breakpoint (same EL)" },
	{ 0x32, "Software step (lower EL)" },
	{ 0x33, "Software step (same EL)" },
	{ 0x34, "Watchpoint (lower EL)" },
	{ 0x35, "Watchpoint (same EL)" },
	{ 0x3c, "BRK instruction" },
};

const char *esr_class_name(uint64_t esr)
{
	uint8_t ec = ESR_EC(esr);
	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++)
		if (classes[i].ec == ec)
			return classes[i].name;
	return "Reserved/unknown class";
}

bool esr_is_abort(uint64_t esr)
{
	uint8_t ec = ESR_EC(esr);
	return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
}

/* Fault status code (ISS[5:0]) of an abort, by name. */
const char *esr_fault_name(uint64_t esr)
{
	unsigned int fsc = esr & 0x3f;
	switch (fsc >> 2) {
	case 0: return "address size fault";
	case 1: return "translation fault";
	case 2: return "access flag fault";
	case 3: return "permission fault";
	}
	if (fsc == 0x10)
		return "synchronous external abort";
	if (fsc == 0x21)
		return "alignment fault";
	if (fsc == 0x30)
		return "TLB conflict abort";
	return "other fault";
}

unsigned int esr_fault_level(uint64_t esr)
{
	return esr & 3;
}

bool esr_abort_is_write(uint64_t esr)
{
	return ESR_EC(esr) >= 0x24 && (esr & (1UL << 6));
}
