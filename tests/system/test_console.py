"""The console shared by arx and its domains: every line a domain prints carries its
tag "(dN) " and no line mixes two sources; Ctrl-\\ moves the input round-robin between
arx's own console and the domains, and falls back to arx's console when the focused
domain is gone or does not read; arx's console runs help, list, pause, unpause,
destroy and restart, and says so when a command is wrong."""

import re
import subprocess

import pytest

from arx_domains import boot_arx, console_lines, focus, make_linux_cfg, make_testos_cfg
from qemu_session import REPO

TAGGED = re.compile(r"^\(d(\d+)\) (.*)$")


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


def command(vm, line, answer):
    """Runs a line at arx's console and waits for the answer and the next prompt."""
    vm.sendline(line)
    vm.expect(answer, timeout=10)
    vm.expect_exact("arx> ", timeout=10)


def domain_command(vm, line, done, name):
    """A command on a domain that restarts all the time: when it finds the domain
    between two runs (dying, or gone for a moment), try again. Returns once `done`
    is seen: what the domain prints next may come before or after the prompt."""
    busy = [r"arx: domain \d+ \(%s\) cannot be" % name, r"arx: no domain \d+"]
    for _ in range(5):
        vm.sendline(line)
        if vm.expect([done] + busy, timeout=10) == 0:
            return
        vm.expect_exact("arx> ", timeout=10)
    raise AssertionError("%r did not succeed" % line)


def test_each_line_carries_its_source(qemu, built, tmp_path):
    cfgs = [make_testos_cfg(tmp_path, name=name, cmdline="testos.only=timer_rate")
            for name in ("alpha", "beta")]
    vm = boot_arx(qemu, tmp_path, cfgs, gic=3, cpus=2, hard_timeout=90)
    vm.expect(r"arx: ready after \d+ us\r*\n", timeout=30)
    vm.expect_exact("arx: no domains left; powering off", timeout=60)
    lines = console_lines(vm.before)
    assert vm.wait_exit(timeout=30) == 0

    said = {1: [], 2: []}
    for line in filter(None, lines):
        tagged = TAGGED.match(line)
        if tagged:
            text = tagged.group(2)
            assert int(tagged.group(1)) in said, "unknown tag: %r" % line
            assert not re.search(r"\(d\d+\) |arx: ", text), "two sources in: %r" % line
            said[int(tagged.group(1))].append(text)
        else:
            assert line.startswith("arx: "), "a line of no source: %r" % line
            assert not re.search(r"\(d\d+\) ", line), "two sources in: %r" % line
    for domid in said:
        # A line may have been cut by another source's, and gone on after it.
        text = "".join(said[domid])
        assert "# testos: bare-metal test guest" in text
        assert "ok - timer_rate" in text
        assert "1 passed, 0 failed, 0 skipped" in text
        assert "FAIL" not in text


def test_focus_falls_back_and_arx_console_commands(qemu, built, tmp_path):
    # quick ends at once, long before loop (which starts again each time it ends) first
    # ends: the last domain must not end while another is being built again.
    quick = make_testos_cfg(tmp_path, name="quick", cmdline="testos.only=psci_version")
    loop = make_testos_cfg(tmp_path, name="loop", cmdline="testos.only=timer_rate",
                           on_poweroff="restart")
    vm = boot_arx(qemu, tmp_path, [quick, loop], gic=3, cpus=2, hard_timeout=90)
    vm.expect_exact("arx: console input now goes to d1 (quick); Ctrl-\\ switches", timeout=30)

    # The focused domain ends: the next key finds it gone and goes nowhere.
    vm.expect_exact("arx: domain 1 gone", timeout=30)
    vm.send("x")
    vm.expect_exact('arx: d1 has stopped; console input now goes to arx (type "help"); '
                    "Ctrl-\\ switches", timeout=10)
    vm.expect_exact("arx> ", timeout=10)

    command(vm, "help", r"arx:   destroy N +end domain N")
    command(vm, "frobnicate 7", r'arx: unknown command "frobnicate" \(try help\)')
    command(vm, "pause", r'arx: pause needs a domain id: pause N \("list" shows them\)')
    command(vm, "pause two", r'arx: pause: "two" is not a domain id')
    command(vm, "pause 99999999999", r'arx: pause: "99999999999" is not a domain id')
    command(vm, "pause 1 2", r"arx: pause takes one domain id: pause N")
    command(vm, "list 1", r"arx: list takes no arguments")
    command(vm, "destroy 9", r"arx: no domain 9")
    # Arrow keys and other control characters are ignored; Ctrl-U clears the line,
    # Backspace and DEL erase one character.
    command(vm, "\x1b[Aho\x15lisx\x7fz\x08t", r"arx: memory: \d+ of \d+ pages free")

    domain_command(vm, "pause 2", r"arx: domain 2 \(loop\) paused", "loop")
    command(vm, "list", r"arx: +2 loop +paused +1 +32 +\d+\.\d\d +\d+\r")

    # A domain that does not read cannot keep the console: Ctrl-\\ still gets through.
    focus(vm, "d2")
    vm.expect_exact("(loop, paused); Ctrl-\\ switches", timeout=10)
    vm.send("a" * 1500)
    vm.expect_exact("arx: d2 is not reading its console; keys dropped (Ctrl-\\ switches)",
                    timeout=10)
    focus(vm, "arx")
    vm.expect_exact("arx> ", timeout=10)

    domain_command(vm, "unpause 2", r"arx: domain 2 \(loop\) unpaused", "loop")
    vm.expect(r"\(d2\) ", timeout=10)  # it runs again
    domain_command(vm, "restart 2", r"arx: domain 2 \(loop\) ended: restarted from arx's "
                   r"console", "loop")
    vm.expect_exact("arx: domain 2 (loop) restarted from", timeout=10)
    domain_command(vm, "destroy 2", r"arx: domain 2 \(loop\) ended: destroyed from arx's "
                   r"console; it will be destroyed", "loop")
    vm.expect_exact("arx: no domains left; powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0


@pytest.mark.guest_linux
def test_focus_moves_between_linux_and_arx(qemu, built, guest_linux, tmp_path):
    linux = make_linux_cfg(tmp_path, name="linux1")
    tos = make_testos_cfg(tmp_path, name="tos", cmdline="testos.only=timer_rate",
                          on_poweroff="restart")
    vm = boot_arx(qemu, tmp_path, [linux, tos], gic=3, cpus=2, hard_timeout=120)
    vm.expect_exact("arx: console input now goes to d1 (linux1); Ctrl-\\ switches", timeout=30)
    vm.expect_exact("ARX-GUEST-READY", timeout=60)
    vm.expect(r"[#$] ", timeout=30)

    focus(vm, "arx")
    vm.expect_exact('(type "help"); Ctrl-\\ switches', timeout=10)
    vm.expect_exact("arx> ", timeout=10)
    command(vm, "help", r"arx:   list +domains: id, name, state")
    for _ in range(3):  # the test guest may be between two runs
        vm.sendline("list")
        vm.expect(r"arx: memory: \d+ of \d+ pages free \(4 KiB each\); heap: \d+ bytes",
                  timeout=10)
        table = vm.before
        vm.expect_exact("arx> ", timeout=10)
        if re.search(r"^arx: +2 tos +(running|dying) +1 +32 ", table, re.M):
            break
    assert re.search(r"^arx: +1 linux1 +running +1 +256 +\d+\.\d\d +\d+\r", table, re.M), table
    assert re.search(r"^arx: +2 tos +(running|dying) +1 +32 +\d+\.\d\d +\d+\r", table, re.M), table

    # Quiet the test guest, then type into Linux.
    domain_command(vm, "destroy 2", r"arx: domain 2 \(tos\) ended: destroyed", "tos")
    vm.expect_exact("arx: domain 2 gone", timeout=10)
    focus(vm, "d1")
    vm.expect_exact("(linux1); Ctrl-\\ switches", timeout=10)
    vm.sendline("echo focus-$((40 + 2))")
    vm.expect(r"\(d1\) focus-42\r", timeout=20)
    vm.sendline("poweroff")
    vm.expect_exact("arx: no domains left; powering off", timeout=60)
    assert vm.wait_exit(timeout=30) == 0
