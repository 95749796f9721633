# Host unit tests for hv/lib, included by the top-level Makefile.
#
# `make unit-test` builds every test into build/unit/ with the host
# compiler and sanitizers, runs each one (output shown and kept in
# build/test-logs/unit-<name>.log) and fails if any of them failed.
# All names here start with UNIT_ so they cannot clash with the hypervisor
# build's CC/CFLAGS, which target aarch64.

UNIT_BUILD := $(or $(BUILD),build)
UNIT_OUT := $(UNIT_BUILD)/unit
UNIT_LOGS := $(UNIT_BUILD)/test-logs
UNIT_CC := gcc
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Ihv/include -Iinclude
UNIT_DTC := dtc

UNIT_TESTS := fmt fdt page_alloc heap platform
UNIT_TESTS += cpio config fdt_write guest_dtb console_mux xen_abi
UNIT_TESTS += evtchn gnttab control string siphash id_regs mmio linux_console
UNIT_TESTS += policy policy_compiler mac

# Library sources under test, per test program (string.c only in test_string,
# renamed: elsewhere the host's libc provides those functions).
UNIT_LIB_fmt := hv/lib/fmt.c
UNIT_LIB_fdt := hv/lib/fdt.c
UNIT_LIB_page_alloc := hv/lib/page_alloc.c
UNIT_LIB_heap := hv/lib/heap.c hv/lib/page_alloc.c
UNIT_LIB_platform := hv/core/platform.c hv/lib/cmdline.c hv/lib/fdt.c hv/lib/fmt.c
UNIT_LIB_cpio := hv/lib/cpio.c hv/lib/path.c hv/lib/config.c hv/lib/fmt.c
UNIT_LIB_config := hv/lib/config.c hv/lib/fmt.c
UNIT_LIB_fdt_write := hv/lib/fdt_write.c hv/lib/fdt.c
UNIT_LIB_guest_dtb := hv/core/guest_dtb.c hv/lib/fdt_write.c hv/lib/fdt.c hv/lib/fmt.c
UNIT_LIB_console_mux := hv/core/console_mux.c hv/lib/fmt.c
# test_xen_abi checks the public ABI headers only: no library sources.
UNIT_LIB_xen_abi :=
# The Xen ABI's event channels and grant tables, on the fakes of the rest of
# arx in xen_stubs.c; they need the arch headers for struct vcpu.
UNIT_LIB_evtchn := hv/xen/evtchn.c hv/xen/evtchn_2l.c tests/unit/xen_stubs.c
UNIT_LIB_gnttab := hv/xen/gnttab.c tests/unit/xen_stubs.c
UNIT_CFLAGS_evtchn := -Ihv/arch/arm64/include
# The control interface (domctl, sysctl) on the same fakes, plus control_stubs.c.
UNIT_LIB_control := hv/xen/domctl.c hv/xen/sysctl.c hv/xen/domain_ops.c tests/unit/xen_stubs.c \
	tests/unit/control_stubs.c hv/lib/fmt.c
UNIT_CFLAGS_control := -Ihv/arch/arm64/include
# hv/lib/string.c under other names, beside the host's libc.
UNIT_LIB_string := hv/lib/string.c
UNIT_LIB_siphash := hv/lib/siphash.c
# The ID register filter: pure arch code, with its arch header.
UNIT_LIB_id_regs := hv/arch/arm64/id_regs.c
UNIT_CFLAGS_id_regs := -Ihv/arch/arm64/include
# The MMIO region table; memmove is the host's.
UNIT_LIB_mmio := hv/core/mmio.c
UNIT_LIB_linux_console := hv/lib/linux_console.c hv/lib/cmdline.c
# The MAC policy's validator and decisions, then the compiler on top of them
# (test_policy_compiler reads configs/*.policy, relative to the repository root).
UNIT_LIB_policy := hv/lib/policy.c hv/lib/policy_check.c hv/lib/policy_default.c
UNIT_LIB_policy_compiler := $(UNIT_LIB_policy) $(filter-out tools/arxpolicy/arxpolicy.c, \
	$(wildcard tools/arxpolicy/*.c))
UNIT_CFLAGS_policy_compiler := -Itools/arxpolicy
# The access control state, hooks and log on real compiled policies (the rest of arx faked).
UNIT_LIB_mac := hv/core/mac.c hv/core/mac_hooks.c hv/core/mac_audit.c hv/lib/fmt.c \
	$(UNIT_LIB_policy_compiler)
UNIT_CFLAGS_mac := -Itools/arxpolicy -Ihv/arch/arm64/include
UNIT_CFLAGS_string := -fno-builtin -Dmemcpy=arx_memcpy -Dmemmove=arx_memmove \
	-Dmemset=arx_memset -Dmemcmp=arx_memcmp -Dstrlen=arx_strlen -Dstrnlen=arx_strnlen \
	-Dstrcmp=arx_strcmp -Dstrncmp=arx_strncmp -Dstrchr=arx_strchr
UNIT_CFLAGS_gnttab := -Ihv/arch/arm64/include

UNIT_HEADERS := $(wildcard hv/include/arx/*.h) hv/arch/arm64/include/arch/id_regs.h $(wildcard include/public/*.h) tests/unit/check.h tests/unit/blob.h \
	tests/unit/xen_stubs.h tests/unit/control_stubs.h hv/lib/policy_blob.h \
	$(wildcard tools/arxpolicy/*.h)
UNIT_DTBS := $(patsubst tests/unit/data/%.dts,$(UNIT_OUT)/%.dtb,$(wildcard tests/unit/data/*.dts))
UNIT_BINS := $(addprefix $(UNIT_OUT)/test_,$(UNIT_TESTS))

.PHONY: unit-test unit-build


# Broken variants of the GICv3 tree for the platform parser, one per message
# (name: fdtput edits separated by ';').
UNIT_BAD_no-memory := -r /memory@40000000; -r /memory@100000000
UNIT_BAD_no-psci := -r /psci
UNIT_BAD_psci-hvc := -t s /psci method hvc
UNIT_BAD_no-gic := -r /intc@8000000
UNIT_BAD_unsupported-gic := -t s /intc@8000000 compatible arm,gic-v5
UNIT_BAD_no-uart := -r /pl011@9000000
UNIT_BAD_no-cpus := -r /cpus
UNIT_BAD_no-timer := -r /timer
UNIT_BAD_DTBS := $(foreach b,no-memory no-psci psci-hvc no-gic unsupported-gic no-uart no-cpus \
	no-timer,$(UNIT_OUT)/$(b).dtb)

$(UNIT_BAD_DTBS): $(UNIT_OUT)/%.dtb: $(UNIT_OUT)/virt-gicv3.dtb tests/unit/unit.mk
	cp $< $@.tmp
	@echo '$(UNIT_BAD_$*)' | tr ';' '\n' | while read -r edit; do \
		[ -z "$$edit" ] || fdtput $@.tmp $$edit || exit 1; done
	mv $@.tmp $@

# GICv2 with only distributor and CPU interface in its reg (no GICH/GICV).
$(UNIT_OUT)/gicv2-no-virt.dtb: $(UNIT_OUT)/virt-gicv2.dtb
	cp $< $@.tmp
	fdtput -t x $@.tmp /intc@8000000 reg 0 8000000 0 10000 0 8010000 0 10000
	mv $@.tmp $@
UNIT_BAD_DTBS += $(UNIT_OUT)/gicv2-no-virt.dtb

define UNIT_TEST_RULE
$(UNIT_OUT)/test_$(1): tests/unit/test_$(1).c $(UNIT_LIB_$(1)) $(UNIT_HEADERS)
	@mkdir -p $$(@D)
	$$(UNIT_CC) $$(UNIT_CFLAGS) $(UNIT_CFLAGS_$(1)) -o $$@ tests/unit/test_$(1).c $(UNIT_LIB_$(1))
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_TEST_RULE,$(t))))

# odd.dts is deliberately irregular; dtc's warnings about it are expected.
$(UNIT_OUT)/odd.dtb: UNIT_DTC_FLAGS := -q
$(UNIT_OUT)/%.dtb: tests/unit/data/%.dts
	@mkdir -p $(@D)
	$(UNIT_DTC) $(UNIT_DTC_FLAGS) -I dts -O dtb -o $@ $<

# Boot packages for test_cpio: two made by scripts/mkbootpkg (the second
# names missing files, so its warnings are kept in a log the test reads)
# and, when the system has cpio, the same directory archived by it in the
# newc and crc formats (an empty file tells the test to skip those).
UNIT_PKG_DIR := tests/unit/data/bootpkg
UNIT_PKG_FILES := $(wildcard $(UNIT_PKG_DIR)/*)
UNIT_CPIOS := $(addprefix $(UNIT_OUT)/,bootpkg.cpio bootpkg-missing.cpio sys-newc.cpio \
	sys-crc.cpio)

$(UNIT_OUT)/bootpkg.cpio: scripts/mkbootpkg $(UNIT_PKG_FILES)
	@mkdir -p $(@D)
	/usr/bin/python3 scripts/mkbootpkg -o $@ $(UNIT_PKG_DIR)/alpha.cfg $(UNIT_PKG_DIR)/beta.cfg

$(UNIT_OUT)/bootpkg-missing.cpio: scripts/mkbootpkg $(UNIT_PKG_FILES)
	@mkdir -p $(@D)
	/usr/bin/python3 scripts/mkbootpkg -o $@ $(UNIT_PKG_DIR)/gamma.cfg \
		2>$(UNIT_OUT)/bootpkg-missing.log

$(UNIT_OUT)/sys-%.cpio: $(UNIT_PKG_FILES)
	@mkdir -p $(@D)
	if command -v cpio >/dev/null; then \
		(cd $(UNIT_PKG_DIR) && find . | LC_ALL=C sort | cpio -o -H $* --quiet) >$@.tmp; \
	else : >$@.tmp; fi
	mv $@.tmp $@

unit-build: $(UNIT_BINS) $(UNIT_DTBS) $(UNIT_BAD_DTBS) $(UNIT_CPIOS)

# Runs all tests even when one fails, so every log is fresh; the exit
# status reports whether any failed. Each test gets the DTB directory.
unit-test: unit-build
	@mkdir -p $(UNIT_LOGS)
	@failed=""; \
	for t in $(UNIT_TESTS); do \
		log=$(UNIT_LOGS)/unit-$$t.log; \
		echo "== unit test: $$t"; \
		$(UNIT_OUT)/test_$$t $(UNIT_OUT) >$$log 2>&1; rc=$$?; \
		cat $$log; \
		[ $$rc -eq 0 ] || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "unit tests FAILED:$$failed"; exit 1; fi; \
	echo "unit tests: all passed"
