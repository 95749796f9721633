"""Stock Linux drivers for Xen under arx: Linux finds "Xen 4.17-arx", uses hvc0 (arx's PV
console) for its console, and two Linux domains move data through event channels and
grant-shared pages with xchan (tools/xchan) from ordinary userspace."""

import re
import subprocess
import time

import pytest

from arx_domains import boot_arx, focus, make_linux_cfg
from qemu_session import REPO

pytestmark = pytest.mark.guest_linux

TAG = r"(?:\(d\d+\) )?"
BAD_KERNEL_LINES = re.compile(r"WARNING:|Oops|BUG:|Call trace|Kernel panic|xen.*(fail|error)",
                              re.IGNORECASE)


@pytest.fixture(scope="session")
def built(guest_linux):
    subprocess.run(["make", "-s", "hv"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)
    return guest_linux


def run(vm, command, timeout=60):
    status, out = vm.shell(command, timeout=timeout)
    assert status == 0, "%r failed (%d): %s" % (command, status, out)
    return out


@pytest.mark.parametrize("gic", [2, 3])
def test_linux_on_hvc0_sees_xen(qemu, built, tmp_path, gic):
    cfg = make_linux_cfg(tmp_path, name="xenlin", vcpus=2, memory=192,
                         cmdline="console=hvc0 hostname=xenlin")
    vm = boot_arx(qemu, tmp_path, [cfg], gic=gic, cpus=2)
    vm.expect(TAG + r"\[ *[\d.]+\] Xen 4\.17-arx support found", timeout=120)
    vm.expect(TAG + r"\[ *[\d.]+\] printk: console \[hvc0\] enabled", timeout=120)
    vm.expect(TAG + "ARX-GUEST-READY", timeout=240)
    # Typed input reaches the shell through the PV console ring.
    assert run(vm, "cat /sys/hypervisor/type").strip() == "xen"
    version = run(vm, "cat /sys/hypervisor/version/major /sys/hypervisor/version/minor "
                      "/sys/hypervisor/version/extra").split()
    assert version == ["4", "17", "-arx"]
    assert "hvc0" in run(vm, "cat /proc/consoles")
    dmesg = run(vm, "dmesg")
    assert "Grant table initialized" in dmesg and "Using 2-level ABI" in dmesg
    # arx seeds KASLR and the kernel's RNG through /chosen, as QEMU does natively.
    assert "KASLR enabled" in dmesg and "crng init done" in dmesg
    bad = [line for line in dmesg.splitlines() if BAD_KERNEL_LINES.search(line)]
    assert not bad, "kernel complained: %s" % bad
    # Poweroff goes through SCHEDOP_shutdown(poweroff).
    vm.sendline("poweroff")
    vm.expect(r"domain 1 \(xenlin\) ended: powered off \(SCHEDOP_shutdown\)", timeout=60)


def boot_pair(qemu, tmp_path):
    cfgs = [make_linux_cfg(tmp_path, name="left", memory=160),
            make_linux_cfg(tmp_path, name="right", memory=160)]
    vm = boot_arx(qemu, tmp_path, cfgs, gic=3, cpus=2, hard_timeout=600)
    for _ in range(2):
        vm.expect(TAG + "ARX-GUEST-READY", timeout=240)
    return vm


def start_listener(vm, args=""):
    """xchan listen on d1 in the background; returns (port, gref)."""
    focus(vm, 1)
    vm.sendline("xchan listen 2 %s > /tmp/listen.out 2>&1 & sleep 1; cat /tmp/listen.out" % args)
    vm.expect(r"XCHAN-LISTEN port=(\d+) gref=(\d+)", timeout=60)
    return int(vm.match.group(1)), int(vm.match.group(2))


def test_two_domains_exchange_64mib(qemu, built, tmp_path):
    vm = boot_pair(qemu, tmp_path)
    port, gref = start_listener(vm)
    focus(vm, 2)
    out = run(vm, "xchan connect 1 %d %d" % (port, gref), timeout=600)
    done = re.search(r"XCHAN-DONE sent=(\d+) sent_sum=(\w+) received=(\d+) "
                     r"received_sum=(\w+) ok", out)
    assert done, out
    assert int(done.group(1)) == int(done.group(3)) == 64 << 20
    focus(vm, 1)
    left = run(vm, "wait; cat /tmp/listen.out", timeout=120)
    mine = re.search(r"XCHAN-DONE sent=(\d+) sent_sum=(\w+) received=(\d+) "
                     r"received_sum=(\w+) ok", left)
    assert mine, left
    # What one side sent is what the other received, checked byte by byte and by sum.
    assert mine.group(2) == done.group(4) and mine.group(4) == done.group(2)


def accounting(vm):
    """From arx's `list`: the grants each domain has mapped, arx's pages free plus those
    domains hold as stage-2 tables (which grow as Linux balloons pages out, and are the
    domain's own), and heap bytes in use."""
    focus(vm, "arx")
    vm.sendline("list")
    grants = {}
    while True:
        i = vm.expect([r"arx: +(\d+) \S+ +\S+ +\d+ +\d+ +[\d.]+ +(\d+)\r*\n",
                       r"arx: memory: (\d+) of \d+ pages free \(4 KiB each\); heap: (\d+) "
                       r"bytes in use; stage-2 tables: (\d+) pages"], timeout=30)
        if i == 0:
            grants[int(vm.match.group(1))] = int(vm.match.group(2))
        else:
            m = vm.match
            return grants, int(m.group(1)) + int(m.group(3)), int(m.group(2))


def test_peer_destroyed_mid_transfer(qemu, built, tmp_path):
    vm = boot_pair(qemu, tmp_path)
    # A short exchange first, so what Linux keeps once it has used grants (ballooned
    # pages, split stage-2 blocks) is in place before arx's accounting is read.
    port, gref = start_listener(vm, "--bytes 1M")
    focus(vm, 2)
    assert " ok " in run(vm, "xchan connect 1 %d %d --bytes 1M" % (port, gref), timeout=300)
    focus(vm, 1)
    run(vm, "wait")
    before = accounting(vm)

    port, gref = start_listener(vm, "--bytes 4G")
    focus(vm, 2)
    vm.sendline("xchan connect 1 %d %d --bytes 4G > /tmp/c.out 2>&1 &" % (port, gref))
    vm.expect(r"\(d2\) .*# ", timeout=30)
    time.sleep(3)
    grants, _, _ = accounting(vm)
    assert grants == {1: 0, 2: 17}, "the right domain maps the left one's 17 pages"
    # The left domain goes (and comes back) while data flows.
    focus(vm, "arx")
    vm.sendline("restart 1")
    vm.expect(r"domain 1 \(left\) ended: .*it will be restarted", timeout=60)
    vm.expect(r"domain 1 \(left\) restarted", timeout=60)
    vm.expect(TAG + "ARX-GUEST-READY", timeout=240)
    focus(vm, 2)
    status, out = vm.shell("wait $!; s=$?; cat /tmp/c.out; echo status=$s", timeout=120)
    assert "stopped responding" in out and "status=2" in out, out
    # Its mappings of the gone domain's pages are gone: arx holds what it held before.
    assert before[0] == {1: 0, 2: 0}
    assert accounting(vm) == before
