"""Debian's unmodified arm64 kernel as an arx domain: it reaches its shell on GICv2
and GICv3 hosts with 1, 2 and 4 vCPUs, its timer ticks on every vCPU, its log is
clean, perf's hardware watchpoint and PMU counters work (tools/perfcheck), and
`poweroff` ends the domain and then the machine."""

import re
import subprocess

import pytest

from arx_domains import boot_arx, make_linux_cfg
from qemu_session import REPO

pytestmark = pytest.mark.guest_linux

BAD_LOG = re.compile(r"WARNING|BUG|Oops|rcu.*stall", re.IGNORECASE)


@pytest.fixture(scope="session")
def built(guest_linux):
    subprocess.run(["make", "-s", "hv"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)
    return guest_linux


def check(vm, command):
    status, out = vm.shell(command, timeout=60)
    assert status == 0, "%r exited %d:\n%s" % (command, status, out)
    return out


def timer_counts(interrupts):
    """Per-CPU counts of the arch timer line of /proc/interrupts (the header line
    names the CPUs; the counts are the columns after the "NN:" label)."""
    lines = [l for l in interrupts.splitlines() if l.strip()]
    ncpus = len([w for w in lines[0].split() if w.startswith("CPU")])
    for line in lines[1:]:
        if "arch_timer" in line:
            return [int(f) for f in line.split()[1:1 + ncpus]]
    return []


@pytest.mark.parametrize("vcpus", [1, 2, 4])
@pytest.mark.parametrize("gic", [2, 3])
def test_linux_reaches_shell_and_powers_off(qemu, built, tmp_path, gic, vcpus):
    cfg = make_linux_cfg(tmp_path, name="linux%d" % vcpus, vcpus=vcpus)
    vm = boot_arx(qemu, tmp_path, [cfg], gic=gic, cpus=vcpus, hard_timeout=400)
    vm.expect_exact("ARX-GUEST-READY", timeout=300)
    vm.expect(r"[#$] ", timeout=30)
    assert check(vm, "nproc").strip() == str(vcpus)
    assert check(vm, "hostname").strip() == "linux%d" % vcpus
    interrupts = check(vm, "cat /proc/interrupts")
    counts = timer_counts(interrupts)
    assert len(counts) == vcpus and all(c > 0 for c in counts), counts
    # The chip name Linux gives its interrupts: its GICv2 driver says GIC-0.
    assert ("GIC-0" if gic == 2 else "GICv3") in interrupts
    log = check(vm, "dmesg")
    assert not BAD_LOG.search(log), BAD_LOG.search(log).group(0)
    assert "enabled with armv8_pmuv3" in log  # Linux found the PMU node arx gives it
    perf = check(vm, "perfcheck")
    assert "FAIL" not in perf and "perfcheck: all passed" in perf, perf
    assert re.search(r"PASS watchpoint: counted (\d+) of \1 writes", perf), perf
    vm.sendline("poweroff")
    vm.expect(r"domain 1 \(linux%d\) ended: powered off" % vcpus, timeout=120)
    vm.expect_exact("no domains left; powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0
