"""Domain life cycle: restarts give back everything they took, and each end
policy (on_poweroff, on_crash) does what its config says."""

import re
import subprocess

import pytest

from arx_domains import boot_arx, make_testos_cfg
from qemu_session import REPO

GONE = re.compile(r"arx: domain (\d+) gone; (\d+) pages free, (\d+) heap bytes in use")


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


def test_restart_20_times_returns_all_memory(qemu, built, tmp_path):
    # A test guest that powers off at once, and is built again each time it does.
    cfg = make_testos_cfg(tmp_path, name="phoenix", cmdline="testos.only=psci_version",
                          on_poweroff="restart")
    vm = boot_arx(qemu, tmp_path, [cfg], gic=3, cpus=2, hard_timeout=300)
    vm.expect(r"pages: (\d+) free", timeout=60)
    figures = []
    for n in range(21):
        vm.expect(GONE, timeout=60)
        figures.append((int(vm.match.group(2)), int(vm.match.group(3))))
        vm.expect_exact("domain 1 (phoenix) restarted from", timeout=60)
    # The first cycle may warm the heap up (first-use slabs); after that nothing may grow.
    assert len(set(figures[1:])) == 1, figures
    assert figures[0][0] == figures[1][0], "pages leaked in the first restart: %s" % figures[:2]


def test_destroy_on_poweroff_frees_and_others_continue(qemu, built, tmp_path):
    short = make_testos_cfg(tmp_path, name="short", cmdline="testos.only=psci_version")
    longer = make_testos_cfg(tmp_path, name="longer", cmdline="testos.only=timer_rate")
    vm = boot_arx(qemu, tmp_path, [short, longer], gic=2, cpus=1, hard_timeout=120)
    vm.expect_exact("domain 1 (short) ended: powered off (PSCI SYSTEM_OFF); it will be "
                    "destroyed", timeout=60)
    vm.expect(GONE, timeout=30)
    assert vm.match.group(1) == "1"
    vm.expect_exact("domain 2 (longer) ended: powered off", timeout=60)
    vm.expect_exact("no domains left; powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0
