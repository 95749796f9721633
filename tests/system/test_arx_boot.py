"""arx on its own (no domains yet): boots at EL2, brings up every CPU, takes timer
ticks and IPIs on each, powers off; refuses bad input with a clear message."""

import re
import subprocess

import pytest

from qemu_session import REPO

ARX = REPO / "build" / "arx.bin"


@pytest.fixture(scope="session")
def arx():
    subprocess.run(["make", "-s", "hv"], cwd=str(REPO), check=True, timeout=600)
    return ARX


def boot(qemu, arx, gic, cpus, *extra):
    return qemu(["--gic", str(gic), "--cpus", str(cpus), "--kernel", arx, *extra],
                hard_timeout=120)


@pytest.mark.parametrize("cpus", [1, 2, 4])
@pytest.mark.parametrize("gic", [2, 3])
def test_boots_all_cpus_and_powers_off(qemu, arx, gic, cpus):
    vm = boot(qemu, arx, gic, cpus)
    vm.expect(r"arx \S+: type-1 hypervisor, running at EL2", timeout=30)
    vm.expect(r"EL2 MMU on", timeout=30)
    vm.expect(r"RAM 0x40000000-0x80000000 \(1024 MiB\)", timeout=30)
    vm.expect(r"GICv%d: distributor 0x8000000" % gic, timeout=30)
    vm.expect(r"timer (\d+) Hz", timeout=30)
    assert int(vm.match.group(1)) > 0
    vm.expect(r"(\d+) of (\d+) CPUs up after \d+ us", timeout=30)
    assert vm.match.group(1) == vm.match.group(2) == str(cpus)
    up = set(re.findall(r"arx: cpu(\d+) up", vm.before))
    assert up == {str(i) for i in range(1, cpus)}
    for cpu in range(cpus):
        vm.expect(r"arx: cpu%d: (\d+) timer ticks, (\d+) IPIs received" % cpu, timeout=30)
        ticks, ipis = int(vm.match.group(1)), int(vm.match.group(2))
        assert ticks >= 3, "cpu%d took too few timer ticks" % cpu
        # The boot CPU pings each secondary once; each answers once.
        assert ipis == (cpus - 1 if cpu == 0 else 1)
    vm.expect(r"arx: ready after \d+ us", timeout=30)
    vm.expect_exact("powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0


def test_refuses_to_run_below_el2(qemu, arx):
    vm = qemu(["--native", "--kernel", arx], hard_timeout=60)
    vm.expect_exact("entered at EL1, but arx must be started at EL2", timeout=30)
    assert vm.wait_exit(timeout=30) == 0


@pytest.mark.parametrize("selftest, expected", [
    ("crash", [r"PANIC on cpu0: synchronous exception in arx",
               r"Data Abort \(same EL\), ESR_EL2 0x[0-9a-f]+ \(translation fault",
               r"FAR: 0x0000000000000008", r"ELR: 0x[0-9a-f]+ <selftest_bad_access\+0x",
               r"x29: ", r"Backtrace:"]),
    ("overflow", [r"PANIC on cpu0: stack overflow", r"<selftest_recurse\+0x",
                  r"repeated \d+ more times"]),
    ("panic", [r"PANIC on cpu0: selftest panic 42", r"Backtrace:", r"<panic\+0x",
               r"<selftest_run\+0x|<boot_main\+0x"]),
])
def test_crash_report(qemu, arx, selftest, expected):
    vm = boot(qemu, arx, 3, 2, "--append", "arx.selftest=" + selftest)
    for pattern in expected:
        vm.expect(pattern, timeout=30)
    vm.expect_exact("system halted by panic", timeout=30)
    vm.wait_exit(timeout=30)


def edit_dtb(tmp_path, gic, edits):
    """QEMU's own device tree for the machine, changed with fdtput."""
    dtb = tmp_path / "host.dtb"
    subprocess.run([str(REPO / "scripts" / "qemu"), "--gic", str(gic), "--dumpdtb", str(dtb)],
                   check=True, capture_output=True, timeout=60)
    for edit in edits:
        subprocess.run(["fdtput", str(dtb)] + edit, check=True, timeout=30)
    return dtb


# QEMU rewrites /memory and /psci in a -dtb it is given, so those two cases are
# covered by the host unit test of the platform parser instead.
BAD_DTBS = {
    "no-gic": (3, [["-r", "/intc@8000000"]],
               "no interrupt controller (GICv2 or GICv3) in the device tree"),
    "no-uart": (3, [["-r", "/pl011@9000000"], ["-d", "/chosen", "stdout-path"]],
                'no PL011 UART (compatible "arm,pl011") in the device tree'),
    "unsupported-gic": (3, [["-t", "s", "/intc@8000000", "compatible", "arm,gic-v5"]],
                        'unsupported interrupt controller "arm,gic-v5"'),
    "gicv2-without-virtualization": (
        2, [["-t", "x", "/intc@8000000", "reg", "0", "8000000", "0", "10000",
             "0", "8010000", "0", "10000"]],
        "GICv2 without virtualization extensions (no GICH/GICV in its reg)"),
    "no-timer": (3, [["-r", "/timer"]], "no arm,armv8-timer node with an EL2 timer PPI"),
    "no-cpus": (3, [["-r", "/cpus"]], 'no CPU nodes (device_type "cpu") in the device tree'),
}


@pytest.mark.parametrize("case", sorted(BAD_DTBS))
def test_bad_device_tree_is_named(qemu, arx, tmp_path, case):
    gic, edits, message = BAD_DTBS[case]
    dtb = edit_dtb(tmp_path, gic, edits)
    vm = boot(qemu, arx, gic, 2, "--dtb", dtb)
    vm.expect_exact("arx: error: " + message, timeout=30)
    vm.expect_exact("cannot continue; powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0
