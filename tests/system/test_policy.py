"""Mandatory access control between domains (issue 13), for real, in two boots.

The policy is configs/meter.policy (the smart meter: app, telemetry, billing, a manager,
rival vendors) with one rule added: billing and the app may signal each other, so that an
xchan between them gets past the event channel and meets the grant map check.

One boot per test class (class-scoped fixtures: the first QEMU ends before the second starts).

Boot 1, no dom0, enforcing: Linux domains app, telemetry,
billing and manager, and test guests vendor_a, vendor_b (its rival), mystery (a label the
policy lacks) and spare (label app). app and telemetry move data with xchan; app's map of
billing's grant and the manager's bind to app's channel are refused, each logged once
however often it is tried; vendor_b and mystery are not started, for the reasons arx
names; the manager destroys and pauses spare through the raw domctl hypercall
(tools/domctl-lite) but cannot even see billing.

Boot 2, dom0 with Debian's xl and `arx.mac=permissive` on arx's command line: the refused
map goes through and is logged as "would deny"; xl getenforce / setenforce; seclabel in
xl configs, rivals refused by xl create while the other runs, `xl list -Z`; xl
loadpolicy of a truncated policy (refused, the old one stays) and of a policy that
forbids a live xchan channel (torn down, both peers stop cleanly and still answer).
"""

import re
import subprocess
from contextlib import contextmanager

import pytest

from arx_domains import (boot_arx, console_lines, focus, make_linux_cfg,
                         make_testos_cfg)
from dom0_shell import dom0_booted
from qemu_session import REPO, QemuSession

pytestmark = pytest.mark.guest_linux

# The smart meter's policy, renamed, with billing and the app allowed to signal each other
# (billing tells the app of a tariff change) but still not to share pages.
TEST_POLICY = (REPO / "configs" / "meter.policy").read_text().replace(
    'policy "meter"', 'policy "meter-test"') + """
allow billing_t -> app_t : signal
allow app_t -> billing_t : signal
"""
# The same with pages shared between the app and billing too.
OPEN_POLICY = TEST_POLICY.replace('policy "meter-test"', 'policy "meter-open"') + """
allow billing_t -> app_t : sharing
allow app_t -> billing_t : sharing
"""

XCHAN_DONE = re.compile(r"XCHAN-DONE sent=(\d+) sent_sum=(\w+) received=(\d+) "
                        r"received_sum=(\w+) ok")
STARTED = re.compile(r"arx: domain (\d+) \((\S+)\) started from ")


def started(vm, labels):
    """{name: (id, name, label)} of the domains arx started from its boot package."""
    found = (STARTED.search(line) for line in console_lines(vm.transcript()))
    return {m.group(2): (int(m.group(1)), m.group(2), labels[m.group(2)]) for m in found if m}


def write_policy(directory, name, text):
    path = directory / name
    path.write_text(text)
    return path


def log_lines(vm, pattern):
    """arx's own lines on the console that match pattern (from "arx: " on; not the copies
    a domain prints, e.g. dom0's `xl dmesg`, which carry its tag)."""
    regex = re.compile("arx: " + pattern)
    return [line for line in console_lines(vm.transcript()) if regex.match(line)]


def denial(subject, object_, op, permissive=False):
    """A regex for arx's denial line: subject and object_ are (id, name, label). Nothing
    may follow the operation: these tests make too few denials for any to be rate-limited,
    so none may say others were left out."""
    verdict = r"would deny \(permissive\)" if permissive else "denied"
    return r"policy: %s domain %d \(%s, %s\) -> domain %d \(%s, %s\): %s$" % (
        (verdict,) + tuple(subject) + tuple(object_) + (op,))


def run(vm, command, timeout=60):
    status, out = vm.shell(command, timeout=timeout)
    assert status == 0, "%r failed (%d): %s" % (command, status, out)
    return out


def listen(vm, domid, peer, args=""):
    """xchan listen on domain domid for peer, in the background; returns (port, gref)."""
    focus(vm, domid)
    out = run(vm, "xchan listen %d %s > /tmp/listen.out 2>&1 & for i in $(seq 100); do "
                  "grep -q XCHAN-LISTEN /tmp/listen.out && break; sleep 0.1; done; "
                  "cat /tmp/listen.out" % (peer, args))
    m = re.search(r"XCHAN-LISTEN port=(\d+) gref=(\d+)", out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


# ------------------------------------------------------------------ boot 1: no dom0


@contextmanager
def session(name, directory, configs, **kwargs):
    """boot_arx for a class-scoped fixture (the qemu fixture is per test)."""
    sessions = []

    def start(args, **kw):
        sessions.append(QemuSession(args, name, **kw))
        return sessions[-1]

    try:
        yield boot_arx(start, directory, configs, **kwargs)
    finally:
        for s in sessions:
            s.close()


class Meter:
    """Boot 1: the console, and each started domain's (id, name, label) by name."""

    def __init__(self, vm, dom):
        self.vm = vm
        self.dom = dom

    def id(self, name):
        return self.dom[name][0]


@pytest.fixture(scope="class")
def meter(tmp_path_factory, guest_linux):
    subprocess.run(["make", "-s", "hv", "testos", "tools"], cwd=str(REPO), check=True,
                   timeout=600, capture_output=True)
    tmp = tmp_path_factory.mktemp("meter")
    labels = {"app": "app", "telemetry": "telemetry", "billing": "billing",
              "manager": "manager", "vendor_a": "vendor_a", "vendor_b": "vendor_b",
              "mystery": "no_such_label", "spare": "app"}
    linux = ["app", "telemetry", "billing", "manager"]
    cfgs = [make_linux_cfg(tmp, name=n, memory=128, seclabel=labels[n]) for n in linux]
    # Test guests that stay up (the canary, over 16 MiB) and cost little.
    cfgs += [make_testos_cfg(tmp, name=n, memory=16, cmdline="testos.canary=3600",
                             seclabel=labels[n])
             for n in ("vendor_a", "vendor_b", "mystery", "spare")]
    policy = write_policy(tmp, "meter-test.pol", TEST_POLICY)
    with session("policy-meter", tmp, cfgs, policy=policy, mem=1024,
                 hard_timeout=1200) as vm:
        for _ in linux:
            vm.expect(r"\(d\d+\) ARX-GUEST-READY", timeout=300)
        yield Meter(vm, started(vm, labels))


def connect_twice(vm, domid, peer, port, gref):
    """xchan connect from domid, twice: the outputs (each must fail)."""
    focus(vm, domid)
    outs = []
    for _ in range(2):
        status, out = vm.shell("xchan connect %d %d %d --bytes 1M" % (peer, port, gref),
                               timeout=120)
        assert status == 1, "xchan connect did not fail (%d): %s" % (status, out)
        outs.append(out)
    return outs


def visible_domains(vm):
    """The ids the focused domain sees through getdomaininfo (domctl-lite list)."""
    out = run(vm, "domctl-lite list")
    listed = re.search(r"DOMCTL-LIST((?: \d+)*)\n", out)
    assert listed, out
    return sorted(map(int, listed.group(1).split()))


# ------------------------------------------------------------------ boot 2: dom0 and xl


@pytest.fixture(scope="class")
def dom0(tmp_path_factory, guest_linux):
    """dom0 with Debian's xl and boot-time Linux domains pa (label app, domain 1) and pb
    (billing, domain 2); the policy enforcing, but arx.mac=permissive at boot."""
    tmp = tmp_path_factory.mktemp("policy-dom0")
    policy = write_policy(tmp, "meter-test.pol", TEST_POLICY)
    others = [make_linux_cfg(tmp, name=n, memory=128, seclabel=l)
              for n, l in (("pa", "app"), ("pb", "billing"))]
    with dom0_booted("policy-dom0", tmp, 3, "o", others=others, policy=policy,
                     append="arx.mac=permissive",
                     ready=[r"\(d1\) ARX-GUEST-READY", r"\(d2\) ARX-GUEST-READY"]) as shell:
        shell.dom = started(shell.vm, {"Domain-0": "dom0", "pa": "app", "pb": "billing"})
        assert (shell.dom["pa"][0], shell.dom["pb"][0]) == (1, 2), shell.dom
        yield shell


@contextmanager
def at(dom0, domid):
    """Console input to boot-time domain domid inside the block, then back to dom0."""
    focus(dom0.vm, domid)
    try:
        yield dom0.vm
    finally:
        focus(dom0.vm, 0)


def exchange(dom0, nbytes="1M"):
    """pb listens for pa, pa connects: (pa's exit status and output, pb's output)."""
    port, gref = listen(dom0.vm, 2, 1, "--bytes %s" % nbytes)
    with at(dom0, 1) as vm:
        mine = vm.shell("xchan connect 2 %d %d --bytes %s" % (port, gref, nbytes), timeout=300)
    with at(dom0, 2) as vm:
        if mine[0]:
            run(vm, "kill %1")
        theirs = run(vm, "wait; cat /tmp/listen.out", timeout=120)
    return mine, theirs


def getenforce(dom0):
    """xl getenforce's word; xl exits with the mode itself (1 when enforcing), as on Xen."""
    status, out = dom0.vm.shell("xl getenforce", timeout=60)
    assert (out.strip(), status) in (("Enforcing", 1), ("Permissive", 0)), (status, out)
    return out.strip()


def create_canary(dom0, name, seclabel, ok=True):
    """xl create of a test guest that stays up (the canary) with seclabel: (status, output)."""
    dom0.write_cfg("/tmp/%s.cfg" % name, name=name, kernel="/var/lib/arx/testos.bin",
                   memory=16, vcpus=1, extra="testos.canary=3600", seclabel=seclabel)
    status, out = dom0.vm.shell("xl create /tmp/%s.cfg" % name, timeout=120)
    if ok:
        assert status == 0, "xl create %s failed (%d): %s" % (name, status, out)
    return status, out


def xl_labels(dom0):
    """xl list -Z as {name: security label}."""
    out = dom0.run("xl list -Z")
    return {m.group(1): m.group(2) for m in
            re.finditer(r"^(\S+)\s+\d+\s+\d+\s+\d+\s+\S+\s+[\d.]+\s+(\S+)$", out, re.M)}


def compile_in_dom0(dom0, name, text):
    """The policy text written into dom0's /tmp and compiled there by its arxpolicy:
    the compiled file's path."""
    lines = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    assert not any("'" in l for l in lines)
    dom0.run(": > /tmp/%s.pol" % name)
    for i in range(0, len(lines), 6):  # short command lines: the console is typed into
        dom0.run("printf '%%s\\n' %s >> /tmp/%s.pol"
                 % (" ".join("'%s'" % l for l in lines[i:i + 6]), name))
    dom0.run("arxpolicy compile /tmp/%s.pol -o /tmp/%s.bin" % (name, name))
    return "/tmp/%s.bin" % name


class TestBootTimePolicy:
    """Boot 1 (the meter fixture): no dom0, enforcing."""

    def test_boot_policy_is_loaded_and_misfits_are_not_started(self, meter):
        vm = meter.vm
        assert log_lines(vm, r'policy "meter-test": \d+ types, \d+ labels, enforcing$')
        assert log_lines(vm, r"the boot package's policy checked in \d+ us")
        assert sorted(meter.dom) == ["app", "billing", "manager", "spare", "telemetry",
                                     "vendor_a"]
        # vendor_b comes after vendor_a in the package: its rival runs, so it does not.
        assert log_lines(vm, r"policy: domain \d+ \(vendor_b\) conflicts with running "
                             r"domain %d \(vendor_a\)$" % meter.id("vendor_a"))
        assert log_lines(vm, r"\S+/vendor_b\.cfg: seclabel: its types conflict with a running "
                             r"domain's \(policy\); domain not started$")
        assert log_lines(vm, r'\S+/mystery\.cfg: seclabel: "no_such_label": the policy has no such '
                             r'label; domain not started$')

    def test_app_and_telemetry_move_data(self, meter):
        vm = meter.vm
        app, tel = meter.id("app"), meter.id("telemetry")
        port, gref = listen(vm, tel, app, "--bytes 1M")
        focus(vm, app)
        mine = XCHAN_DONE.search(run(vm, "xchan connect %d %d %d --bytes 1M" % (tel, port, gref),
                                     timeout=300))
        assert mine and int(mine.group(1)) == int(mine.group(3)) == 1 << 20
        focus(vm, tel)
        theirs = XCHAN_DONE.search(run(vm, "wait; cat /tmp/listen.out", timeout=120))
        assert theirs, "telemetry's side did not finish"
        assert theirs.group(2) == mine.group(4) and theirs.group(4) == mine.group(2)

    def test_app_may_not_map_billing(self, meter):
        """The channel binds (the two may signal), the map of billing's header page is refused:
        xchan says so, and arx logs the denial once for the two attempts."""
        vm = meter.vm
        app, billing = meter.id("app"), meter.id("billing")
        port, gref = listen(vm, billing, app)
        for out in connect_twice(vm, app, billing, port, gref):
            assert re.search(r"xchan: (IOCTL_GNTDEV_MAP_GRANT_REF|mmap /dev/xen/gntdev) "
                             r"\(header page\): ", out), out
        focus(vm, billing)
        run(vm, "kill %1; wait")
        lines = log_lines(vm, denial(meter.dom["app"], meter.dom["billing"], "map"))
        assert len(lines) == 1, lines
        # The denial is the app's: billing's side of the map (granting to the app) is not
        # even asked once the app's own is refused, so nothing is logged against billing.
        assert not log_lines(vm, denial(meter.dom["billing"], meter.dom["app"], r"\w+"))

    def test_manager_may_not_signal_app(self, meter):
        vm = meter.vm
        app, manager = meter.id("app"), meter.id("manager")
        port, gref = listen(vm, app, manager)
        for out in connect_twice(vm, manager, app, port, gref):
            assert "xchan: IOCTL_EVTCHN_BIND_INTERDOMAIN: Permission denied" in out, out
        focus(vm, app)
        run(vm, "kill %1; wait")
        lines = log_lines(vm, denial(meter.dom["manager"], meter.dom["app"], "signal"))
        assert len(lines) == 1, lines

    def test_manager_controls_its_app_domain_only(self, meter):
        """The manager (control rights on app_t only) sees itself and the app domains, pauses
        and destroys spare (label app) through the raw domctl hypercall, and gets ESRCH for
        billing and vendor_a, which stay up."""
        vm = meter.vm
        ids = {name: meter.id(name) for name in meter.dom}
        focus(vm, ids["manager"])
        # Without a xenstore Linux holds a domU's opens of privcmd (tools/domctl-lite).
        run(vm, "rmmod xenfs xen_privcmd; modprobe xen-privcmd unrestricted=1")
        assert visible_domains(vm) == sorted([ids["app"], ids["manager"], ids["spare"]])
        for op, name in (("destroy", "billing"), ("pause", "vendor_a"), ("destroy", "telemetry")):
            status, out = vm.shell("domctl-lite %s %d" % (op, ids[name]), timeout=60)
            assert status == 1 and "domctl-lite: %s %d: No such process (errno 3)" % (
                op, ids[name]) in out, out
        for op in ("pause", "unpause", "destroy"):
            assert "domctl-lite: %s %d: ok" % (op, ids["spare"]) in run(
                vm, "domctl-lite %s %d" % (op, ids["spare"]))
        assert log_lines(vm, r"domain %d \(spare\) ended: destroyed by a managing domain"
                         % ids["spare"])
        assert visible_domains(vm) == sorted([ids["app"], ids["manager"]])
        # Billing was not touched: it still answers.
        focus(vm, ids["billing"])
        assert "billing-alive" in run(vm, "echo billing-al''ive")


class TestWithXl:
    """Boot 2 (the dom0 fixture): dom0 and Debian's xl, permissive at boot."""

    def test_permissive_at_boot_lets_the_denied_map_through(self, dom0):
        """arx.mac=permissive overrides the policy's own mode: the app maps billing's pages and
        data moves, and arx logs what it would have denied, once each way."""
        assert getenforce(dom0) == "Permissive"
        assert log_lines(dom0.vm, r'policy "meter-test": \d+ types, \d+ labels, permissive$')
        (status, out), theirs = exchange(dom0)
        assert status == 0 and XCHAN_DONE.search(out), out
        assert XCHAN_DONE.search(theirs), theirs
        pa, pb = dom0.dom["pa"], dom0.dom["pb"]
        assert len(log_lines(dom0.vm, denial(pa, pb, "map", permissive=True))) == 1
        assert len(log_lines(dom0.vm, denial(pb, pa, "grant", permissive=True))) == 1

    def test_setenforce_and_the_denial_in_xl_dmesg(self, dom0):
        for mode, word in ((1, "Enforcing"), (0, "Permissive"), (1, "Enforcing")):
            dom0.run("xl setenforce %d" % mode)
            assert getenforce(dom0) == word
        assert log_lines(dom0.vm, r"policy now permissive \(domain 0\)$")
        # Enforcing now: the same map is refused, and this time that is what arx logs.
        (status, out), _ = exchange(dom0)
        assert status == 1 and "(header page): " in out, out
        pa, pb = dom0.dom["pa"], dom0.dom["pb"]
        dmesg = dom0.run("xl dmesg")
        assert re.search("^arx: " + denial(pa, pb, "map"), dmesg, re.M), dmesg[-2000:]

    def test_rival_vendors_through_xl(self, dom0):
        """xl create takes seclabel; a domain whose types conflict with a running one's is
        refused until that one is destroyed; xl list -Z shows every domain's label."""
        create_canary(dom0, "va", "vendor_a")
        status, out = create_canary(dom0, "vb", "vendor_b", ok=False)
        assert status != 0 and "domain creation fail: Operation not permitted" in out, out
        assert "vb" not in dom0.domains()
        assert log_lines(dom0.vm, r"policy: domain \d+ \(\S+\) conflicts with running domain "
                                  r"%d \(\S+\)$" % dom0.domains()["va"][0])
        assert xl_labels(dom0) == {"Domain-0": "dom0", "pa": "app", "pb": "billing",
                                "va": "vendor_a"}
        dom0.run("xl destroy va")
        create_canary(dom0, "vb", "vendor_b")
        assert xl_labels(dom0)["vb"] == "vendor_b"
        dom0.run("xl destroy vb")
        status, out = create_canary(dom0, "vx", "no_such_label", ok=False)
        # libxl 4.17 says "init_seclabel" of xl's seclabel.
        assert status != 0 and re.search(r"Invalid (init_)?seclabel: no_such_label", out), out

    def test_loadpolicy_refuses_a_truncated_policy(self, dom0):
        """A truncated binary is refused by arx, which says why; the policy in force stays."""
        full = compile_in_dom0(dom0, "meter-test", TEST_POLICY)
        dom0.run("head -c 200 %s > /tmp/short.bin" % full)
        status, out = dom0.vm.shell("xl loadpolicy /tmp/short.bin", timeout=60)
        # (xl 4.17 names EPERM whatever the error: it sets errno from libxc's -1.)
        assert status != 0 and "Unable to load new Flask policy" in out, out
        refused = log_lines(dom0.vm, r"policy from domain 0 refused: (.+)$")
        assert len(refused) == 1 and "truncated" in refused[0], refused
        assert not log_lines(dom0.vm, r'policy "[^"]*" loaded by domain 0')
        assert getenforce(dom0) == "Enforcing"
        assert xl_labels(dom0) == {"Domain-0": "dom0", "pa": "app", "pb": "billing"}
        # The old rules still apply: the app may still not map billing's pages.
        (status, out), _ = exchange(dom0)
        assert status == 1 and "(header page): " in out, out

    def test_loadpolicy_cuts_a_live_channel(self, dom0):
        """A policy that lets the app and billing share is loaded, an xchan runs between pa and
        pb, and loading configs/meter.policy (neither sharing nor signalling between them)
        cuts it: arx revokes pa's mappings and closes the channel, both xchans stop with an
        error of their own, and both domains (and dom0, and arx) carry on."""
        opened = compile_in_dom0(dom0, "meter-open", OPEN_POLICY)
        closed = compile_in_dom0(dom0, "meter", (REPO / "configs" / "meter.policy").read_text())
        assert "Successfully loaded policy." in dom0.run("xl loadpolicy %s" % opened)
        assert log_lines(dom0.vm, r'policy "meter-open" loaded by domain 0 in \d+ us: '
                                  r'\d+ types, \d+ labels, enforcing$')
        # Neither side gives up on a peer slowed down by a busy host before the cut.
        port, gref = listen(dom0.vm, 2, 1, "--bytes 4G --timeout 10")
        with at(dom0, 1) as vm:
            run(vm, "xchan connect 2 %d %d --bytes 4G --timeout 10 > /tmp/c.out 2>&1 & sleep 1"
                % (port, gref))
        dom0.run("sleep 3")  # data flows meanwhile
        assert "Successfully loaded policy." in dom0.run("xl loadpolicy %s" % closed)
        revoked = log_lines(dom0.vm, r"policy: domain 1's mapping of domain 2's grant \d+ revoked$")
        assert len(revoked) == 17, revoked  # the header and xchan's 16 data pages
        assert len(log_lines(dom0.vm, r"policy: channel between domain [12] port \d+ and domain "
                                      r"[12] port \d+ closed$")) == 1
        stopped = r"xchan: peer domain %d stopped responding"
        with at(dom0, 1) as vm:
            out = run(vm, "wait $!; echo status=$?; cat /tmp/c.out", timeout=120)
            assert "status=2" in out and re.search(stopped % 2, out), out
            assert not re.search(r"Oops|BUG:|Call trace", run(vm, "dmesg"))
        with at(dom0, 2) as vm:
            out = run(vm, "wait $!; echo status=$?; cat /tmp/listen.out", timeout=120)
            assert "status=2" in out and re.search(stopped % 1, out), out
            assert not re.search(r"Oops|BUG:|Call trace", run(vm, "dmesg"))
        doms = dom0.domains()
        assert all(re.search("[rb]", doms[n][3]) for n in ("Domain-0", "pa", "pb")), doms
        # The meter's rules are in force: a new channel is refused.
        (status, out), _ = exchange(dom0)
        assert status == 1 and "IOCTL_EVTCHN_BIND_INTERDOMAIN: Permission denied" in out, out
