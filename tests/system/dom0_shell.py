"""Driving domain 0 under arx: boot it (with Debian's Xen toolstack, build/dom0), run
commands at its shell, and at the shells of the domUs `xl console` reaches from there."""

import re
import subprocess
import time
from contextlib import contextmanager

from arx_domains import boot_arx
from qemu_session import REPO, QemuSession

DOM0_CFG = REPO / "configs" / "dom0.cfg"
PROMPT = r"root@dom0:[^#\n]*# "
XL_LIST_LINE = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([-rbpscd]{6})\s+([\d.]+)$",
                          re.MULTILINE)
XL_CONSOLE_ESCAPE = "\x1d"  # Ctrl-]


class Dom0:
    """Dom0's shell on arx's console."""

    def __init__(self, vm):
        self.vm = vm

    def run(self, command, timeout=120, ok=True):
        status, out = self.vm.shell(command, timeout=timeout)
        if ok:
            assert status == 0, "%r failed (%d): %s" % (command, status, out)
        return out

    def domains(self):
        """xl list as {name: (id, memory MiB, vcpus, state, seconds)}."""
        out = self.run("xl list")
        return {m.group(1): (int(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5),
                             float(m.group(6))) for m in XL_LIST_LINE.finditer(out)}

    def wait_for(self, predicate, what, timeout=120):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            doms = self.domains()
            if predicate(doms):
                return doms
            time.sleep(1)
        raise AssertionError("xl list never showed %s: %s" % (what, self.domains()))

    def free_memory(self):
        return int(re.search(r"free_memory\s*:\s*(\d+)", self.run("xl info")).group(1))

    def write_cfg(self, path, **keys):
        """An xl config: strings quoted, numbers not, lists (disk, vif) as xl's lists."""
        def value(v):
            if isinstance(v, int):
                return str(v)
            if isinstance(v, (list, tuple)):
                return "[%s]" % ", ".join('"%s"' % x for x in v)
            return '"%s"' % v
        lines = ["%s = %s" % (k, value(v)) for k, v in keys.items()]
        self.run("printf '%%s\\n' %s > %s" % (" ".join("'%s'" % l for l in lines), path))

    @contextmanager
    def console(self, name, prompt=None, timeout=120):
        """Inside the block, self.vm.shell() runs commands at domU `name`'s shell (through
        `xl console`); Ctrl-] brings dom0's shell back at the end."""
        self.vm.sendline("xl console %s" % name)
        time.sleep(1)
        self.vm.sendline("")
        self.vm.expect(prompt or r"root@%s:[^#\n]*# " % re.escape(name), timeout=timeout)
        try:
            yield self.vm
        finally:
            self.vm.send(XL_CONSOLE_ESCAPE)
            self.vm.expect(PROMPT, timeout=60)

    def in_domu(self, name, command, timeout=120, ok=True):
        """One command line at domU `name`'s shell: its output."""
        with self.console(name):
            status, out = self.vm.shell(command, timeout=timeout)
        if ok:
            assert status == 0, "%s: %r failed (%d): %s" % (name, command, status, out)
        return out


def dom0_cfg(directory, xenstored):
    """configs/dom0.cfg with arx.xenstored=c|o on dom0's command line, paths made absolute."""
    text = DOM0_CFG.read_text().replace('"../build/', '"%s/build/' % REPO)
    text = text.replace('cmdline = "console=hvc0"',
                        'cmdline = "console=hvc0 arx.xenstored=%s"' % xenstored)
    path = directory / "dom0.cfg"
    path.write_text(text)
    return path


@contextmanager
def dom0_booted(name, directory, gic, xenstored="o", others=(), ready=(), mem=2048,
                hard_timeout=1500, policy=None, append=None):
    """arx on QEMU with domain 0 and the boot-time domains of config files `others`,
    whose marker lines (regexes) `ready` are awaited too; yields dom0's shell. policy and
    append: as boot_arx's (the package's access control policy, arx's command line)."""
    subprocess.run(["make", "-s", "hv", "testos", "guest-dom0"], cwd=str(REPO), check=True,
                   timeout=1800, capture_output=True)
    sessions = []

    def start(args, **kwargs):
        session = QemuSession(args, name, **kwargs)
        sessions.append(session)
        return session

    try:
        vm = boot_arx(start, directory, [dom0_cfg(directory, xenstored)] + list(others),
                      gic=gic, cpus=2, mem=mem, hard_timeout=hard_timeout, policy=policy,
                      append=append)
        waiting = [r"\(d0\) ARX-DOM0-READY"] + list(ready)
        seen = set()
        while len(seen) < len(waiting):  # the domains boot side by side, in any order
            seen.add(vm.expect(waiting, timeout=300))
        vm.sendline("")
        vm.expect(r"\(d0\) " + PROMPT, timeout=60)
        yield Dom0(vm)
    finally:
        for s in sessions:
            s.close()
