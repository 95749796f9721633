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


def make_linux_cfg(directory, name="linux", vcpus=1, memory=256, cmdline=None):
    cmdline = cmdline or "console=ttyAMA0 hostname=%s" % name
    return write_config(directory, name + ".cfg", name=name, type="linux", memory=memory,
                        vcpus=vcpus, kernel=str(GUEST / "Image"),
                        ramdisk=str(GUEST / "initramfs.cpio.gz"), cmdline=cmdline)


def boot_package(directory, configs):
    pkg = directory / "bootpkg.cpio"
    subprocess.run(["/usr/bin/python3", str(MKBOOTPKG), "-o", str(pkg)] +
                   [str(c) for c in configs], check=True, capture_output=True, timeout=120)
    return pkg


def boot_arx(qemu, directory, configs, gic=3, cpus=2, hard_timeout=300, mem=1024, append=None):
    """arx with the configs packed as its initrd; append: arx's own command line."""
    pkg = boot_package(directory, configs)
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
