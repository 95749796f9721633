"""The bare-metal test guest as a domain: every case passes on GICv2 and GICv3
hosts, with 1, 2 and 4 vCPUs, and the domain's end powers the machine off."""

import re
import subprocess

import pytest

from arx_domains import boot_arx, make_testos_cfg
from qemu_session import REPO


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


PMU_TIMES = re.compile(r"# pmu: (\d+) cycles in (\d+) ticks busy, (\d+) cycles in (\d+) ticks "
                       r"WFI-blocked")


def assert_blocked_time_not_counted(transcript):
    """pmu_guest_cycles_only prints what its cycle counter counted busy and blocked in WFI.
    Natively both count; under arx a blocked vCPU is not running, so its counter (which
    never counts EL2) must count at most a quarter of the busy rate while blocked."""
    m = PMU_TIMES.search(transcript)
    assert m, "pmu_guest_cycles_only printed no counts"
    busy, busy_ticks, blocked, blocked_ticks = (int(x) for x in m.groups())
    assert busy > 0 and blocked_ticks > 0
    assert blocked * busy_ticks * 4 < busy * blocked_ticks, m.group(0)


@pytest.mark.parametrize("vcpus", [1, 2, 4])
@pytest.mark.parametrize("gic", [2, 3])
def test_testos_cases_pass(qemu, built, tmp_path, gic, vcpus):
    cfg = make_testos_cfg(tmp_path, vcpus=vcpus)
    vm = boot_arx(qemu, tmp_path, [cfg], gic=gic, cpus=vcpus, hard_timeout=180)
    vm.expect(r"domain 1 \(testos\) started from \S+: %d vCPUs?," % vcpus, timeout=60)
    vm.expect(r"# testos: GICv%d, %d CPUs" % (gic, vcpus), timeout=60)
    vm.expect(r"(\d+) passed, (\d+) failed, (\d+) skipped", timeout=120)
    passed, failed, skipped = (int(x) for x in vm.match.groups())
    results = vm.before
    assert failed == 0, "failing cases: %s" % re.findall(r"FAIL - .*", results)
    assert passed >= 10
    # Only the cases that need a second CPU may be skipped.
    assert skipped == (3 if vcpus == 1 else 0)
    # The ID registers arx filters: AArch64 only at EL0 and EL1 (natively QEMU's cortex-a57
    # offers AArch32 too), the GIC system registers with a GICv3 only.
    pfr0 = int(re.search(r"# id_regs: ID_AA64PFR0_EL1 (0x[0-9a-f]+)", results).group(1), 16)
    assert pfr0 & 0xff == 0x11, hex(pfr0)
    assert (pfr0 >> 24) & 0xf == (1 if gic == 3 else 0), hex(pfr0)
    assert_blocked_time_not_counted(results)
    vm.expect_exact("domain 1 (testos) ended: powered off (PSCI SYSTEM_OFF); it will be destroyed",
                    timeout=30)
    vm.expect_exact("no domains left; powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0
