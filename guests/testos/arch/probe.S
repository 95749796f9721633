/*
 * Probes for the fault cases: the instruction that may fault comes first,
 * so ELR_EL1 must equal the function's address, and the exception code's
 * "skip 4 bytes" resumes at the RET.
 */
#include <testos/asm.h>

	.text
FUNC(probe_read32)
	ldr	w0, [x0]
	ret
ENDFUNC(probe_read32)

FUNC(probe_write32)
	str	w1, [x0]
	ret
ENDFUNC(probe_write32)

/*
 * op0=3 op1=0 CRn=15 CRm=2 op2=0 lies in the IMPLEMENTATION DEFINED space
 * (CRn 15), and neither QEMU's cortex-a57 (whose own registers there all
 * have op1=1) nor arx provides it, so the MRS is UNDEFINED at EL1.
 */
FUNC(probe_impdef_sysreg)
	mrs	x0, S3_0_C15_C2_0
	ret
ENDFUNC(probe_impdef_sysreg)

/*
 * ID_AA64PFR0_EL1 is read-only: the MSR encoding is UNDEFINED (a hypervisor
 * that traps the ID registers must refuse it too).
 */
FUNC(probe_write_id_aa64pfr0)
	msr	S3_0_C0_C4_0, x0
	ret
ENDFUNC(probe_write_id_aa64pfr0)
