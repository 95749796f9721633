# arx: top-level build. `make help` lists the targets.
# Every user-facing target first runs scripts/setup, which installs what is
# missing from Debian's archive and does nothing when all is present.

GIC ?= 3
CPUS ?= 2
# The domains `make run` boots (empty: arx alone): the control domain first, with Xen's
# toolstack, then arx's own boot-time domains.
DOMAINS ?= configs/dom0.cfg configs/linux.cfg configs/linux2.cfg configs/testos.cfg
# QEMU's RAM (MiB): room for dom0, the boot-time domains and some that xl creates.
MEM ?= 2048
# The access control policy `make run` boots with (text or compiled; empty: configs/default.policy).
POLICY ?=
BUILD := build
CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
NM := $(CROSS)nm
# Debian's python3 has the pytest and pexpect packages scripts/setup installs.
PYTHON := /usr/bin/python3
PYTEST := $(PYTHON) -m pytest

.PHONY: all help setup hv testos tools guest-linux guest-dom0 run run-native test check unit-test system-test bench debug clean

all: hv testos

help:
	@echo "make run         boot the demo (arx on QEMU); GIC=2|3 CPUS=N DOMAINS=\"a.cfg b.cfg\" POLICY=p.policy"
	@echo "make run-native  boot the guest Linux directly on QEMU (no hypervisor)"
	@echo "make test        set up, build and run every test (what CI runs)"
	@echo "make check       quick subset: unit tests + arx boot tests"
	@echo "make bench       benchmarks, printed as tables (bench/run, bench/toolstack, bench/io, bench/timers, bench/policy)"
	@echo "make debug       QEMU waiting for gdb-multiarch, which starts with symbols"
	@echo "make clean       remove build/"

setup:
	@scripts/setup

include hv/hv.mk
include tests/unit/unit.mk
include guests/testos/testos.mk
include tools/tools.mk

# The initramfs ships build/tools/xchan as /bin/xchan.
guest-linux: setup tools
	@scripts/build-guest-linux

# Dom0's root file system: Debian's Xen toolstack, the test guest and the guest Linux for xl.
guest-dom0: guest-linux testos
	@scripts/build-dom0

run: setup hv testos guest-linux guest-dom0
ifeq ($(strip $(DOMAINS)),)
	scripts/qemu --gic $(GIC) --cpus $(CPUS) --kernel $(BUILD)/arx.bin
else
	$(PYTHON) scripts/mkbootpkg -o $(BUILD)/bootpkg.cpio $(if $(POLICY),--policy $(POLICY)) \
		$(DOMAINS)
	scripts/qemu --gic $(GIC) --cpus $(CPUS) --mem $(MEM) --kernel $(BUILD)/arx.bin \
		--initrd $(BUILD)/bootpkg.cpio
endif

run-native: setup guest-linux
	@GIC=$(GIC) CPUS=$(CPUS) scripts/run-native

debug: setup hv
	scripts/debug --gic $(GIC) --cpus $(CPUS)

# System tests drive QEMU through pexpect; they build what they need.
system-test: setup hv testos guest-linux guest-dom0
	$(PYTEST) -v tests/system

test: setup
	@mkdir -p $(BUILD)/test-logs
	$(MAKE) unit-test
	$(MAKE) tools-check
	$(MAKE) system-test

check: setup
	@mkdir -p $(BUILD)/test-logs
	$(MAKE) unit-test
	$(MAKE) tools-check
	$(MAKE) hv testos
	$(PYTEST) -v -m "not guest_linux" tests/system

bench: setup hv guest-linux guest-dom0
	bench/run
	bench/toolstack
	bench/io
	bench/timers
	bench/policy

clean:
	rm -rf $(BUILD)
