"""vCPUs on shared physical CPUs: guest timers fire at their deadline even while
CPU-bound domains share the CPU (the test guest's timer cases pass next to two busy
Linux domains), a CPU left idle takes a waiting vCPU from a busier one, and weights
hold across CPUs."""

import re
import subprocess
import time

import pytest

from arx_domains import boot_arx, focus, make_linux_cfg, make_testos_cfg, write_config, GUEST
from qemu_session import REPO

TAG = r"(?:\(d\d+\) )?"
TIMER_CASES = ("timer_rate", "timer_wake_latency", "timer_level_virt", "timer_level_phys",
               "timer_phys_irq", "wfi_wakes")
TICK_US = 10000  # arx's scheduler tick


@pytest.fixture(scope="module")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


def busy_testos(tmp_path, name):
    return make_testos_cfg(tmp_path, name=name, cmdline="testos.only=busy_loop")


def cpu_seconds(vm):
    """Each domain's CPU time (s) from arx's `list`, by domain id."""
    vm.sendline("list")
    vm.expect(r"arx: memory: ", timeout=30)
    return {int(m.group(1)): float(m.group(2))
            for m in re.finditer(r"arx:\s+(\d+) \S+\s+\S+\s+\d+\s+\d+\s+([\d.]+)\s+\d+",
                                 vm.before)}


def test_idle_cpu_takes_a_waiting_vcpu(qemu, built, tmp_path):
    """Four CPU-bound guests are placed two per CPU; once the two on CPU 1 are
    destroyed, CPU 1 would idle while two vCPUs share CPU 0. arx moves one over:
    from then on the two survivors get about a CPU each."""
    cfgs = [busy_testos(tmp_path, "busy%d" % i) for i in range(1, 5)]
    vm = boot_arx(qemu, tmp_path, cfgs, gic=3, cpus=2, hard_timeout=240)
    vm.expect_exact("console input now goes to d1", timeout=60)  # all four are up
    focus(vm, "arx")
    # Placement takes the least loaded CPU in turn: 1 and 3 on CPU 0, 2 and 4 on CPU 1.
    for domid in (2, 4):
        vm.sendline("destroy %d" % domid)
        vm.expect(r"arx: domain %d gone" % domid, timeout=30)
    time.sleep(1)  # a few balancing ticks
    before, start = cpu_seconds(vm), time.monotonic()
    time.sleep(6)
    after, wall = cpu_seconds(vm), time.monotonic() - start
    gained = [after[d] - before[d] for d in (1, 3)]
    # Sharing one CPU, the two would gain about `wall` together; on two CPUs, twice that.
    assert sum(gained) > 1.5 * wall, "CPU time gained %s in %.1f s" % (gained, wall)
    assert min(gained) > 0.6 * wall, "CPU time gained %s in %.1f s" % (gained, wall)


@pytest.mark.guest_linux
def test_timers_next_to_busy_linux(qemu, built, guest_linux, tmp_path):
    """The test guest shares CPU 1 with two Linux domains that spin in user space: its
    timer cases pass (the 10 ms rate included), and sleeping in WFI it wakes at its
    timer's deadline, not at the next tick (median lateness below a tick)."""
    cfgs = [write_config(tmp_path, "spin%d.cfg" % i, name="spin%d" % i, type="linux",
                         memory=160, vcpus=1, cpus="1", kernel=str(GUEST / "Image"),
                         ramdisk=str(GUEST / "initramfs.cpio.gz"),
                         cmdline="console=ttyAMA0 hostname=spin%d" % i) for i in (1, 2)]
    # It runs its cases again and again (on_poweroff), while Linux boots and after.
    cfgs.append(make_testos_cfg(tmp_path, name="timers", cpus="1", on_poweroff="restart",
                                cmdline="testos.only=" + ",".join(TIMER_CASES)))
    vm = boot_arx(qemu, tmp_path, cfgs, gic=3, cpus=2, hard_timeout=600)
    for _ in range(2):
        vm.expect(TAG + "ARX-GUEST-READY", timeout=300)
    for domid in (1, 2):
        focus(vm, domid)
        vm.sendline("while :; do :; done &")
        vm.sendline("echo spinning-$((6*7))")
        vm.expect(r"\(d%d\) spinning-42" % domid, timeout=60)
    vm.expect_exact("domain 3 (timers) restarted", timeout=60)  # a run that starts now
    vm.expect(r"(\d+) passed, (\d+) failed, (\d+) skipped", timeout=180)
    passed, failed, _ = (int(x) for x in vm.match.groups())
    out = vm.before
    assert failed == 0, "failing: %s" % re.findall(r"FAIL - [^\r\n]*", out)
    assert passed == len(TIMER_CASES)
    m = re.search(r"timer_wake_latency: \d+ wakes, median (\d+) us, mean \d+ us, max (\d+) us",
                  out)
    assert m, "no wake-up figures"
    assert int(m.group(1)) < TICK_US, "median wake-up %s us late" % m.group(1)


def test_weights_hold_across_cpus(qemu, built, tmp_path):
    """Three CPU-bound guests of equal weight on two CPUs: counts alone would leave
    one alone on a CPU with twice the time of the other two. arx trades vCPUs between
    the CPUs, so each gets about two thirds of a CPU."""
    cfgs = [busy_testos(tmp_path, "busy%d" % i) for i in range(1, 4)]
    vm = boot_arx(qemu, tmp_path, cfgs, gic=3, cpus=2, hard_timeout=240)
    vm.expect_exact("console input now goes to d1", timeout=60)  # all three are up
    focus(vm, "arx")
    time.sleep(1)
    before, start = cpu_seconds(vm), time.monotonic()
    time.sleep(8)
    after, wall = cpu_seconds(vm), time.monotonic() - start
    gained = [after[d] - before[d] for d in (1, 2, 3)]
    assert sum(gained) > 1.5 * wall, "CPU time gained %s in %.1f s" % (gained, wall)
    assert max(gained) < 1.4 * min(gained), "CPU time gained %s in %.1f s" % (gained, wall)
