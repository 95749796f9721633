# Builds the guest userspace tools, included by the top-level Makefile
# (which defines CC and BUILD; every path is relative to the repository root):
#   build/tools/xchan       static arm64 Linux binary, shipped in the guest
#                           initramfs as /bin/xchan (scripts/build-guest-linux)
#   build/tools/xchan-host  the same source built for this machine, to run
#                           `xchan selftest` (`make tools-check`)
#   build/tools/xenfuzz     static arm64 Linux binary for dom0 (/usr/bin/xenfuzz,
#                           scripts/build-dom0): random control hypercalls
#   build/tools/hostile-front  static arm64 Linux binary, in the guest initramfs as
#                           /bin/hostile-front: a misbehaving block front-end
#   build/tools/perfcheck   static arm64 Linux binary, in the guest initramfs as
#                           /bin/perfcheck: hardware watchpoint and PMU counters
#                           through perf_event_open
#   build/tools/domctl-lite  static arm64 Linux binary, in the guest initramfs as
#                           /bin/domctl-lite: destroy, pause, unpause, list through
#                           the raw domctl hypercall (a manager domain under a policy)
#   build/tools/arx-store-ready  static arm64 Linux binary for dom0
#                           (/usr/lib/arx/arx-store-ready): wakes a boot-time domain
#                           once its xenstore is ready
#   build/tools/arxpolicy   static arm64 Linux binary for dom0 (/usr/bin/arxpolicy):
#                           compiles MAC policies for xl loadpolicy (docs/policy.md)
#   build/tools/arxpolicy-host  the same for this machine: compiles the policies
#                           of boot packages
#
# The Xen ioctl headers come from linux-libc-dev-arm64-cross (cross build) and
# linux-libc-dev (host build), the static libc from libc6-dev-arm64-cross.

TOOLS_BUILD := $(BUILD)/tools
TOOLS_HOST_CC := gcc
TOOLS_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -MMD -MP

.PHONY: tools tools-check
tools: $(TOOLS_BUILD)/xchan $(TOOLS_BUILD)/xchan-host $(TOOLS_BUILD)/xenfuzz \
       $(TOOLS_BUILD)/hostile-front $(TOOLS_BUILD)/arx-store-ready $(TOOLS_BUILD)/perfcheck \
       $(TOOLS_BUILD)/arxpolicy $(TOOLS_BUILD)/arxpolicy-host $(TOOLS_BUILD)/domctl-lite

$(TOOLS_BUILD)/xenfuzz: tools/xenfuzz/xenfuzz.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -static -o $@ $<

$(TOOLS_BUILD)/xchan: tools/xchan/xchan.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -static -o $@ $<

$(TOOLS_BUILD)/arx-store-ready: tools/store-ready/arx-store-ready.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -static -o $@ $<

# Takes the domctl layout from arx's own public headers.
$(TOOLS_BUILD)/domctl-lite: tools/domctl-lite/domctl-lite.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -Iinclude -static -o $@ $<

$(TOOLS_BUILD)/perfcheck: tools/perfcheck/perfcheck.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -static -o $@ $<

$(TOOLS_BUILD)/hostile-front: tools/hostile-front/hostile-front.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -static -o $@ $<

# arxpolicy links the hypervisor's own policy validator: one set of checks.
ARXPOLICY_SRCS := $(wildcard tools/arxpolicy/*.c) hv/lib/policy.c hv/lib/policy_check.c \
	hv/lib/policy_default.c
ARXPOLICY_DEPS := $(ARXPOLICY_SRCS) $(wildcard tools/arxpolicy/*.h) hv/lib/policy_blob.h \
	hv/include/arx/policy.h include/public/arx_policy.h
ARXPOLICY_CFLAGS := $(filter-out -MMD -MP,$(TOOLS_CFLAGS)) -Ihv/include -Iinclude

$(TOOLS_BUILD)/arxpolicy: $(ARXPOLICY_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ARXPOLICY_CFLAGS) -static -o $@ $(ARXPOLICY_SRCS)

$(TOOLS_BUILD)/arxpolicy-host: $(ARXPOLICY_DEPS)
	@mkdir -p $(dir $@)
	$(TOOLS_HOST_CC) $(ARXPOLICY_CFLAGS) -o $@ $(ARXPOLICY_SRCS)

$(TOOLS_BUILD)/xchan-host: tools/xchan/xchan.c
	@mkdir -p $(dir $@)
	$(TOOLS_HOST_CC) $(TOOLS_CFLAGS) -o $@ $<

tools-check: $(TOOLS_BUILD)/xchan-host
	$(TOOLS_BUILD)/xchan-host selftest

-include $(wildcard $(TOOLS_BUILD)/*.d)
