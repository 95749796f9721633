"""Several domains at once on few CPUs: two Linux domains and two test guests share
2 physical CPUs; all reach their markers, and a Linux domain that crashes is
handled by its on_crash policy while the other carries on."""

import subprocess

import pytest

from arx_domains import boot_arx, focus, make_linux_cfg, make_testos_cfg, write_config, GUEST
from qemu_session import REPO

pytestmark = pytest.mark.guest_linux

TAG = r"(?:\(d\d+\) )?"
NO_RATE_CASES = ("testos.only=read_outside_ram,write_outside_ram,undef_sysreg,wfi_wakes,"
                 "psci_version,psci_features,psci_cpu_on,psci_affinity_info,"
                 "psci_cpu_on_invalid,psci_cpu_on_already_on,sgi_ping_pong,gicd_beyond_lines")


@pytest.fixture(scope="session")
def built(guest_linux):
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)
    return guest_linux


def answer(vm, domid, word):
    focus(vm, domid)
    vm.sendline("echo %s-$((6*7))" % word)
    vm.expect(r"\(d%d\) %s-42" % (domid, word), timeout=60)


def test_four_domains_on_two_cpus(qemu, built, tmp_path):
    cfgs = [make_linux_cfg(tmp_path, name="lin1", memory=160),
            make_linux_cfg(tmp_path, name="lin2", memory=160),
            # Rate-sensitive cases need a CPU of their own: here four domains share two.
            make_testos_cfg(tmp_path, name="tos3", vcpus=2, cmdline=NO_RATE_CASES),
            make_testos_cfg(tmp_path, name="tos4", vcpus=1, cmdline=NO_RATE_CASES)]
    vm = boot_arx(qemu, tmp_path, cfgs, gic=3, cpus=2, hard_timeout=400)
    ready = passed = 0
    while ready < 2 or passed < 2:
        i = vm.expect([TAG + "ARX-GUEST-READY", TAG + r"(\d+) passed, (\d+) failed"],
                      timeout=240)
        if i == 0:
            ready += 1
        else:
            assert vm.match.group(2) == "0", "a test guest failed cases"
            passed += 1
    answer(vm, 1, "lin1")
    answer(vm, 2, "lin2")


@pytest.mark.parametrize("policy", ["destroy", "restart", "preserve"])
def test_linux_crash_follows_on_crash(qemu, built, tmp_path, policy):
    # Two vCPUs: Linux's panic loop takes interrupts (it is alive, as far as any
    # hypervisor can tell), but it stops the other CPU with interrupts masked, and
    # that vCPU's timer fires and is never taken: that is the hang arx sees.
    crashy = write_config(tmp_path, "crashy.cfg", name="crashy", type="linux", memory=160,
                          vcpus=2, kernel=str(GUEST / "Image"),
                          ramdisk=str(GUEST / "initramfs.cpio.gz"),
                          cmdline="console=ttyAMA0 hostname=crashy", on_crash=policy)
    witness = make_linux_cfg(tmp_path, name="witness", memory=160)
    # A short watchdog, so the stopped vCPU is seen as a crash quickly.
    vm = boot_arx(qemu, tmp_path, [crashy, witness], gic=2, cpus=2, hard_timeout=400,
                  append="arx.watchdog=6")
    for _ in range(2):
        vm.expect(TAG + "ARX-GUEST-READY", timeout=240)
    focus(vm, 1)
    vm.sendline("echo c > /proc/sysrq-trigger")
    vm.expect(r"domain 1 \(crashy\) (ended: )?crashed: ([^;]*)", timeout=120)
    if policy == "preserve":
        vm.expect_exact("preserved", timeout=10)
    else:
        vm.expect_exact("it will be %s" % ("restarted" if policy == "restart" else "destroyed"),
                        timeout=10)
        vm.expect(r"arx: domain 1 gone; \d+ pages free", timeout=60)
    if policy == "restart":
        vm.expect_exact("domain 1 (crashy) restarted from", timeout=60)
        vm.expect(r"\(d1\) ARX-GUEST-READY", timeout=240)
    answer(vm, 2, "witness")
