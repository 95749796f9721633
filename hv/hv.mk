# Builds the hypervisor: build/arx.elf (with symbols, for gdb) and
# build/arx.bin (flat image with an arm64 Image header, for QEMU -kernel).
#
# arx is position independent: linked at 0 as a PIE, it applies its own
# R_AARCH64_RELATIVE relocations at boot, so it runs wherever it is loaded.
# The symbol table used by crash dumps is generated from a first link and
# placed after .text, so the second link leaves every function's address
# unchanged.

HV_BUILD := $(BUILD)/hv
ARX_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-ffreestanding -fno-builtin -nostdlib -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -fpie -fvisibility=hidden -include hv/include/arx/hidden.h -fno-stack-protector \
	-fno-omit-frame-pointer -mbranch-protection=none -ffunction-sections \
	-Ihv/include -Ihv/arch/arm64/include -Iinclude -DARX_VERSION='"$(ARX_VERSION)"' -MMD -MP
HV_ASFLAGS := -g -Ihv/include -Ihv/arch/arm64/include -D__ASSEMBLY__ -MMD -MP
HV_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro \
	-Wl,-z,noexecstack -Wl,--build-id=none -Wl,-T,hv/arch/arm64/arx.ld

HV_SRCS := $(wildcard hv/arch/arm64/*.c hv/arch/arm64/*.S hv/core/*.c hv/core/*.S hv/drivers/*.c \
	hv/lib/*.c hv/vdev/*.c hv/xen/*.c)
HV_OBJS := $(patsubst %,$(HV_BUILD)/%.o,$(basename $(HV_SRCS)))

hv: $(BUILD)/arx.bin $(BUILD)/arx.elf

# Flags change code generation: a change here rebuilds every object.
$(HV_OBJS): hv/hv.mk

$(HV_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -c $< -o $@

$(HV_BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HV_ASFLAGS) -c $< -o $@

# The built-in policy (hv/core/default_policy.S), compiled by the host's arxpolicy.
HV_DEFAULT_POLICY := $(HV_BUILD)/default.policy.bin
$(HV_DEFAULT_POLICY): configs/default.policy $(BUILD)/tools/arxpolicy-host
	@mkdir -p $(dir $@)
	$(BUILD)/tools/arxpolicy-host compile $< -o $@

$(HV_BUILD)/hv/core/default_policy.o: HV_ASFLAGS += -DDEFAULT_POLICY_BIN='"$(HV_DEFAULT_POLICY)"'
$(HV_BUILD)/hv/core/default_policy.o: $(HV_DEFAULT_POLICY)

# Pass 1: link with an empty symbol table, then list the functions.
$(HV_BUILD)/pass1.elf: $(HV_OBJS) $(HV_BUILD)/empty-syms.o hv/arch/arm64/arx.ld
	$(CC) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_BUILD)/empty-syms.o

$(HV_BUILD)/empty-syms.S: scripts/gen-symbols
	@mkdir -p $(dir $@)
	scripts/gen-symbols /dev/null > $@

$(HV_BUILD)/syms.S: $(HV_BUILD)/pass1.elf scripts/gen-symbols
	$(NM) -n $< | scripts/gen-symbols - > $@

$(HV_BUILD)/%.o: $(HV_BUILD)/%.S
	$(CC) $(HV_ASFLAGS) -c $< -o $@

# Pass 2: the real image; check the text really did not move.
$(BUILD)/arx.elf: $(HV_OBJS) $(HV_BUILD)/syms.o hv/arch/arm64/arx.ld
	$(CC) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_BUILD)/syms.o
	@$(NM) -n $(HV_BUILD)/pass1.elf | grep -i ' t ' > $(HV_BUILD)/pass1.syms
	@$(NM) -n $@ | grep -i ' t ' > $(HV_BUILD)/pass2.syms
	@cmp -s $(HV_BUILD)/pass1.syms $(HV_BUILD)/pass2.syms || \
		{ echo "arx.elf: text moved between link passes"; exit 1; }

$(BUILD)/arx.bin: $(BUILD)/arx.elf
	$(OBJCOPY) -O binary $< $@
	@echo "arx.bin: $$(stat -c %s $@) bytes"

-include $(shell find $(HV_BUILD) -name '*.d' 2>/dev/null)
