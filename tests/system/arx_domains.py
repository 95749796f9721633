"""Helpers for system tests that run domains under arx: write configs, pack them
with scripts/mkbootpkg, boot arx with the package as its initrd."""

import re
import subprocess

from qemu_session import REPO

ARX = REPO / "build" / "arx.bin"
TESTOS = REPO / "build" / "guests" / "testos" / "testos.bin"
GUEST = REPO / "build" / "guests" / "linux"
MKBOOTPKG = REPO / "scripts" / "mkbootpkg"


def write_config(directory, filename, **keys):
    """A config file from keyword arguments: strings are quoted, numbers are not.
    A key given as raw=... is written verbatim (for malformed-config tests)."""
    lines = []
    for key, value in keys.items():
        if key == "raw":
            lines.append(value)
        elif isinstance(value, int):
            lines.append("%s = %d" % (key, value))
        else:
            lines.append('%s = "%s"' % (key, value))
    path = directory / filename
    path.write_text("\n".join(lines) + "\n")
    return path


def make_testos_cfg(directory, name="testos", vcpus=1, memory=32, cmdline="", **extra):
    return write_config(directory, name + ".cfg", name=name, type="testos", memory=memory,
                        vcpus=vcpus, kernel=str(TESTOS), cmdline=cmdline, **extra)


def make_linux_cfg(directory, name="linux", vcpus=1, memory=256, cmdline=None, **extra):
    cmdline = cmdline or "console=ttyAMA0 hostname=%s" % name
    return write_config(directory, name + ".cfg", name=name, type="linux", memory=memory,
                        vcpus=vcpus, kernel=str(GUEST / "Image"),
                        ramdisk=str(GUEST / "initramfs.cpio.gz"), cmdline=cmdline, **extra)


def boot_package(directory, configs, policy=None):
    """policy: an access control policy (text or compiled) for the package."""
    pkg = directory / "bootpkg.cpio"
    extra = ["--policy", str(policy)] if policy else []
    subprocess.run(["/usr/bin/python3", str(MKBOOTPKG), "-o", str(pkg)] + extra +
                   [str(c) for c in configs], check=True, capture_output=True, timeout=120)
    return pkg


def boot_arx(qemu, directory, configs, gic=3, cpus=2, hard_timeout=300, mem=1024, append=None,
             policy=None):
    """arx with the configs (and policy) packed as its initrd; append: arx's own command
    line."""
    pkg = boot_package(directory, configs, policy)
    extra = ["--append", append] if append else []
    return qemu(["--gic", str(gic), "--cpus", str(cpus), "--mem", str(mem),
                 "--kernel", ARX, "--initrd", pkg] + extra, hard_timeout=hard_timeout)


FOCUS_KEY = "\x1c"  # Ctrl-\\: arx moves console input to the next domain (or to arx)


def focus(vm, who, tries=8):
    """Presses Ctrl-\\ until arx says console input goes to who: "arx", "dN" or domain id
    N. A domain restarting just then is skipped, so it may take another turn."""
    who = "d%d" % who if isinstance(who, int) else who
    for _ in range(tries):
        vm.send(FOCUS_KEY)
        vm.expect(r"console input now goes to (d\d+|arx)", timeout=30)
        if vm.match.group(1) == who:
            return
    raise AssertionError("Ctrl-\\ never gave the console input to %s" % who)


# Terminal control sequences in a transcript: busybox's, and the resets arx sends when it
# hands the console from one source to another.
CONTROLS = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|[\x0e\x0f\x18]")


def console_lines(text):
    """The transcript's lines, without line ends and terminal control sequences."""
    return CONTROLS.sub("", text).replace("\r", "").split("\n")


TAGGED_LINE = re.compile(r"^\(d(\d+)\) (.*)$")


def lines_by_domain(text):
    """{domain id: its lines, untagged} in a transcript. When another source prints in the
    middle of the focused domain's line, arx shows the part so far, cuts it and shows the
    whole line again when the domain goes on: such a part (a line its domain's next line
    starts with) is left out, so each line the domain printed is counted once."""
    lines = {}
    for line in console_lines(text):
        m = TAGGED_LINE.match(line)
        if m:
            mine = lines.setdefault(int(m.group(1)), [])
            if mine and m.group(2).startswith(mine[-1]):
                mine.pop()
            mine.append(m.group(2))
    return lines


BANNER = re.compile(r"\[ *[\d.]+\] Linux version ")


def check_each_line_once(vm, domids, back_to):
    """Each Linux domain of domids (at a shell) writes a kernel message (/dev/kmsg) and a
    line of its own, and each appears once on arx's console, under its tag; so does each
    domain's boot banner. Whether Linux's console is the PL011 or hvc0, a domain is one
    stream. Console input goes to back_to at the end."""
    for domid in domids:
        focus(vm, domid)
        status, _ = vm.shell('echo ARX-K""MARK-%d > /dev/kmsg; echo ARX-U""MARK-%d'
                             % (domid, domid), timeout=60)
        assert status == 0
    focus(vm, back_to)
    vm.shell("sleep 1", timeout=30)  # the kernel messages are out
    lines = lines_by_domain(vm.transcript())
    for domid in domids:
        mine = lines.get(domid, [])
        assert len([l for l in mine if BANNER.match(l)]) == 1, "d%d's banner" % domid
        for mark in ("ARX-KMARK-%d" % domid, "ARX-UMARK-%d" % domid):
            seen = [(d, l) for d, ls in lines.items() for l in ls if l.endswith(mark)]
            assert seen and all(d == domid for d, _ in seen), "%s: %s" % (mark, seen)
            assert len(seen) == 1, "%s shown %d times: %s" % (mark, len(seen), seen)
