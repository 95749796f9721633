# Builds the bare-metal test guest: build/guests/testos/testos.elf (symbols,
# for gdb and addr2line) and testos.bin (arm64 Image, for QEMU -kernel or
# arx). Included by the top-level Makefile, which defines CC, OBJCOPY and
# BUILD; every path is relative to the repository root.
#
# testos reuses arx's pure library code (formatter, FDT reader, string
# functions), compiled here with testos's own flags into its own objects.

TESTOS_DIR := guests/testos
TESTOS_BUILD := $(BUILD)/guests/testos
TESTOS_OBJDUMP := $(patsubst %objcopy,%objdump,$(OBJCOPY))

TESTOS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-ffreestanding -fno-builtin -nostdlib -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -fno-stack-protector -mbranch-protection=none \
	-fpie -fvisibility=hidden -fno-plt \
	-I$(TESTOS_DIR)/include -Ihv/include -Iinclude -MMD -MP
TESTOS_ASFLAGS := -g -I$(TESTOS_DIR)/include -D__ASSEMBLY__ -MMD -MP
TESTOS_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro \
	-Wl,-z,noexecstack -Wl,--build-id=none -Wl,-T,$(TESTOS_DIR)/testos.ld

TESTOS_SRCS := $(wildcard $(TESTOS_DIR)/arch/*.S $(TESTOS_DIR)/*.c $(TESTOS_DIR)/lib/*.c \
	$(TESTOS_DIR)/cases/*.c)
TESTOS_SHARED := hv/lib/fmt.c hv/lib/fdt.c hv/lib/string.c
TESTOS_OBJS := $(patsubst $(TESTOS_DIR)/%,$(TESTOS_BUILD)/%.o,$(basename $(TESTOS_SRCS))) \
	$(patsubst %,$(TESTOS_BUILD)/%.o,$(basename $(TESTOS_SHARED)))

.PHONY: testos
testos: $(TESTOS_BUILD)/testos.bin $(TESTOS_BUILD)/testos.elf

$(TESTOS_BUILD)/%.o: $(TESTOS_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TESTOS_CFLAGS) -c $< -o $@

$(TESTOS_BUILD)/%.o: $(TESTOS_DIR)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(TESTOS_ASFLAGS) -c $< -o $@

$(TESTOS_BUILD)/hv/lib/%.o: hv/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TESTOS_CFLAGS) -c $< -o $@

# With the MMU off all data is Device memory, where exclusive loads and
# stores are not guaranteed to work: refuse an image that contains any.
$(TESTOS_BUILD)/testos.elf: $(TESTOS_OBJS) $(TESTOS_DIR)/testos.ld
	$(CC) $(TESTOS_LDFLAGS) -o $@ $(TESTOS_OBJS)
	@if $(TESTOS_OBJDUMP) -d $@ | grep -Eq '\s(ld[a]?xr|st[l]?xr|ldaxp|stlxp|ldxp|stxp|cas|swp|ldadd)[a-z]*\s'; then \
		echo "testos.elf: exclusive or atomic instructions (unsafe with the MMU off)"; \
		rm -f $@; exit 1; fi

$(TESTOS_BUILD)/testos.bin: $(TESTOS_BUILD)/testos.elf
	$(OBJCOPY) -O binary $< $@

-include $(shell find $(TESTOS_BUILD) -name '*.d' 2>/dev/null)
