/* ESR_EL2 fields and their decoding (hv/arch/arm64/esr.c). */
#ifndef ARCH_ESR_H
#define ARCH_ESR_H

#include <arx/types.h>

#define ESR_EC(esr) ((uint8_t)(((esr) >> 26) & 0x3f))
#define ESR_ISS(esr) ((esr) & 0x1ffffff)

const char *esr_class_name(uint64_t esr);
bool esr_is_abort(uint64_t esr);
const char *esr_fault_name(uint64_t esr);
unsigned int esr_fault_level(uint64_t esr);
bool esr_abort_is_write(uint64_t esr);

#endif
