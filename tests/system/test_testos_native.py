"""The bare-metal test guest testos booted directly on QEMU at EL1 (no hypervisor): every
case passes there, which is the reference for the same image run as a domain under arx.

testos prints `ok - name`, `FAIL - name: reason` or `skip - name: reason` per case, then
`N passed, N failed, N skipped`, and powers off with PSCI SYSTEM_OFF."""

import re
import struct
import subprocess

import pytest

from qemu_session import REPO

TESTOS_DIR = REPO / "build" / "guests" / "testos"
TESTOS = TESTOS_DIR / "testos.bin"

# Keep in step with guests/testos/cases/table.c.
ALL_CASES = [
    "read_outside_ram", "write_outside_ram", "undef_sysreg", "timer_rate", "wfi_wakes",
    "timer_wake_latency", "timer_level_virt", "timer_level_phys", "timer_phys_irq",
    "psci_version", "psci_features", "psci_cpu_on", "psci_affinity_info",
    "psci_cpu_on_invalid", "psci_cpu_on_already_on", "sgi_ping_pong", "gicd_beyond_lines",
    "gicd_priority_bytes", "gicd_routing", "gicd_sgi_pending_bytes",
    "id_regs",
    "debug_breakpoint", "debug_watchpoint", "debug_single_step", "debug_step_emulated",
    "debug_el0_breakpoint",
    "debug_el0_watchpoint", "debug_el0_single_step", "pmu_cycle_counter",
    "pmu_event_counter", "pmu_guest_cycles_only", "pmu_overflow_irq",
]
NEEDS_TWO_CPUS = {"psci_cpu_on", "psci_affinity_info", "sgi_ping_pong"}

RESULT = re.compile(r"^(ok|FAIL|skip) - (\S+?)(?:: (.*))?$")
TOTALS = r"(\d+) passed, (\d+) failed, (\d+) skipped\r*\n"


def top_makefile_builds_testos():
    return "guests/testos/testos.mk" in (REPO / "Makefile").read_text()


@pytest.fixture(scope="session")
def testos(tmp_path_factory):
    """Builds testos through the top Makefile, or, until that includes testos.mk, through
    a small makefile that defines what the top one would."""
    if top_makefile_builds_testos():
        cmd = ["make", "-s", "testos"]
    else:
        makefile = tmp_path_factory.mktemp("testos-make") / "testos-only.mk"
        makefile.write_text("CC := aarch64-linux-gnu-gcc\n"
                            "OBJCOPY := aarch64-linux-gnu-objcopy\n"
                            "BUILD := build\n"
                            "include guests/testos/testos.mk\n")
        cmd = ["make", "-s", "-f", str(makefile), "testos"]
    subprocess.run(cmd, cwd=str(REPO), check=True, timeout=600)
    return TESTOS


class Run:
    """What one boot of testos printed: where it was loaded, {case: (result, reason)}
    and the closing (passed, failed, skipped)."""

    def __init__(self, load_address, results, totals):
        self.load_address = load_address
        self.results = results
        self.totals = totals


def run_testos(qemu, image, gic, cpus, *extra):
    """Boots testos natively and reads its report; QEMU must then exit 0."""
    vm = qemu(["--native", "--gic", str(gic), "--cpus", str(cpus), "--kernel", image, *extra],
              hard_timeout=180)
    vm.expect(r"# testos: bare-metal test guest, loaded at (0x[0-9a-f]+)", timeout=30)
    load_address = int(vm.match.group(1), 16)
    vm.expect(TOTALS, timeout=120)
    totals = tuple(int(n) for n in vm.match.groups())
    results = {}
    for line in vm.before.replace("\r", "").split("\n"):
        m = RESULT.match(line)
        if m:
            assert m.group(2) not in results, "case %s reported twice" % m.group(2)
            results[m.group(2)] = (m.group(1), m.group(3))
    assert vm.wait_exit(timeout=30) == 0
    return Run(load_address, results, totals)


def failures(results):
    return {name: reason for name, (result, reason) in results.items() if result == "FAIL"}


@pytest.mark.parametrize("cpus", [1, 2], ids=["cpus1", "cpus2"])
@pytest.mark.parametrize("gic", [2, 3], ids=["gic2", "gic3"])
def test_all_cases_pass(qemu, testos, gic, cpus):
    run = run_testos(qemu, testos, gic, cpus)
    assert not failures(run.results)
    assert sorted(run.results) == sorted(ALL_CASES)
    skipped = {name for name, (result, _) in run.results.items() if result == "skip"}
    assert skipped == (NEEDS_TWO_CPUS if cpus == 1 else set())
    assert run.totals == (len(ALL_CASES) - len(skipped), 0, len(skipped))


def test_only_selects_cases_and_names_unknown_ones(qemu, testos):
    run = run_testos(qemu, testos, 3, 2, "--append",
                     "console=ttyAMA0 testos.only=timer_rate,nosuch,psci_version")
    assert run.results == {"timer_rate": ("ok", None), "psci_version": ("ok", None),
                           "nosuch": ("FAIL", "no such case")}
    assert run.totals == (2, 1, 0)


def test_image_header(testos):
    """The arm64 Image header any Linux boot loader checks (Documentation/arm64/booting.rst)."""
    data = testos.read_bytes()
    text_offset, image_size, flags = struct.unpack_from("<QQQ", data, 8)
    assert data[56:60] == b"ARM\x64"
    assert text_offset == 0
    assert image_size >= len(data)
    assert flags == 0b1010      # little-endian, 4 KiB pages, anywhere in RAM


def test_runs_wherever_it_is_loaded(qemu, testos, tmp_path):
    """arx may place the image at another 2 MiB-aligned address than QEMU does. QEMU loads
    an Image at RAM + text_offset, so a copy with text_offset = 86 MiB lands elsewhere."""
    image = bytearray(testos.read_bytes())
    struct.pack_into("<Q", image, 8, 86 << 20)
    moved = tmp_path / "testos-moved.bin"
    moved.write_bytes(bytes(image))
    run = run_testos(qemu, moved, 2, 2)
    assert run.load_address == 0x40000000 + (86 << 20)
    assert not failures(run.results)
    assert run.totals == (len(ALL_CASES), 0, 0)
