"""The access control policy against an adversarial guest (issue 13).

Three testos domains with the Xen ABI (xen = 1) run under arx, in this order (so with
ids 1, 2, 3):

- the peer (testos.peer=3:SECONDS, guests/testos/peer.c) grants the attacker four pages
  of its own, writable, and leaves four event channel ports open for it: what a front
  end offers a back end. Then it watches them, printing a heartbeat every second: which
  pages were written, which ports signalled;
- the canary (testos.canary=SECONDS), whose memory must stay intact;
- the attacker runs attack_policy (guests/testos/cases/attack_policy.c): every grant map
  and copy, channel bind, domctl life-cycle call and privileged call naming every other
  domain id (0-15 and ids no domain has), sysctl, and xsm_op's setenforce and load.

With a restrictive policy (the attacker is "untrusted" and may only see the canary,
"telemetry", in lists; the peer is "billing") every attempt must be refused: sharing
and signalling by the policy (GNTST_permission_denied, -EACCES), the life cycle of the
canary with -EACCES and of the peer as if it did not exist (-ESRCH), the rest with
-EPERM. arx logs each denial once, the peer sees none of its pages written and none of
its ports signalled, and arx, the peer and the canary keep running.

With arx's built-in default policy (any two domains share and signal) the same boot
lets the peer's offer through: the attacker maps, copies into and binds exactly what
was offered, and the case fails saying so; the peer sees every page written and every
port signalled. So the attempts do reach the policy, and the refusals of the first run
are the policy's."""

import re
import subprocess

import pytest

from arx_domains import boot_arx, console_lines, focus, lines_by_domain, make_testos_cfg
from qemu_session import REPO
from test_isolation import INTACT, domain_ids, results_of

PEER, CANARY, ATTACKER = 1, 2, 3  # boot-time domains are numbered in package order
SECONDS = 20  # the peer and the canary outlive the attack (a few seconds)
REFS = PEER_PORTS = 4  # guests/testos/include/testos/peer.h

POLICY = """\
policy "attack"
mode enforcing
type dom0_t untrusted_t billing_t telemetry_t
label "dom0" = dom0_t
label "domU" = untrusted_t
label "untrusted" = untrusted_t
label "billing" = billing_t
label "telemetry" = telemetry_t
default dom0 "dom0"
default domU "domU"
allow dom0_t -> * : all
admin dom0_t : setenforce loadpolicy
# The one thing the untrusted domain may do to another: see telemetry in lists.
allow untrusted_t -> telemetry_t : list
"""

TALLY = re.compile(r"^# attack_policy: domain (\d+): map (\d+)/(\d+)/(\d+)/(\d+), "
                   r"copy (\d+)/(\d+)/(\d+)/(\d+), bind (\d+)/(\d+)/(\d+)/(\d+), "
                   r"life (\d+)/(\d+)/(\d+)/(\d+) \(through/denied/refused/absent\)$")
CLASSES = ("through", "denied", "refused", "absent")
FAMILIES = ("map", "copy", "bind", "life")
LISTS = re.compile(r"^# attack_policy: domain (\d+) lists domains:((?: \d+)*)$")
ABSENT = re.compile(r"^# attack_policy: absent:((?: \d+)*)$")
THROUGH = re.compile(r"^# attack_policy: got through: domain 0x(\w+): (.*)$")
XSM = re.compile(r"^# attack_policy: xsm_op answers anyone: getenforce (\d+), ")
OFFER = re.compile(r"^# peer: domain 1 offers domain 3 grant refs 1-4 and ports(?: \d+){4} for "
                   r"%d s$" % SECONDS)
HEARTBEAT = re.compile(r"^peer alive (\d+) s: (\d+) of 4 pages written, (\d+) of 4 ports "
                       r"signalled$")
PEER_DONE = re.compile(r"^peer done: (\d+) of 4 pages written, (\d+) of 4 ports signalled, "
                       r"by domain 3$")
DENIAL = re.compile(r"arx: policy: denied domain (\d+) \((\w+), (\w+)\) -> "
                    r"(?:domain (\d+) \((\w+), (\w+)\)|the policy): (\w+)")
# Ids no domain has, as the case names them (hostile_ids in attack_policy.c).
HOSTILE_IDS = [0x7ff1, 0x7ff2, 0x7ff3, 0x7ff4, 0x7ff5, 0x7ffe, 0x7fff, 0x8000, 0xfffe,
               0xffff]


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos", "build/tools/arxpolicy-host"],
                   cwd=str(REPO), check=True, timeout=600, capture_output=True)


def run(qemu, tmp_path, restrictive):
    """One boot of the three domains; returns (arx's transcript lines, {domid: lines})
    once QEMU has exited 0, after checking that arx listed the peer and the canary as
    running once the attacker was done."""
    def label(name):
        return {"seclabel": name} if restrictive else {}
    configs = [
        make_testos_cfg(tmp_path, name="peer", xen=1,
                        cmdline="testos.peer=%d:%d" % (ATTACKER, SECONDS), **label("billing")),
        make_testos_cfg(tmp_path, name="canary", xen=1, cmdline="testos.canary=%d" % SECONDS,
                        **label("telemetry")),
        make_testos_cfg(tmp_path, name="attacker", xen=1, cmdline="testos.only=attack_policy",
                        **label("untrusted")),
    ]
    policy = None
    if restrictive:
        policy = tmp_path / "attack.policy"
        policy.write_text(POLICY)
    vm = boot_arx(qemu, tmp_path, configs, gic=3, cpus=2, hard_timeout=300, policy=policy)
    fatal = [r"PANIC on cpu\d+: .*", r"domain \d+ \(\w+\) (?:ended: )?crashed: .*"]
    end = vm.expect([r"domain 3 \(attacker\) ended: powered off"] + fatal, timeout=200)
    assert end == 0, "arx: %s\n%s" % (vm.match.group(0), vm.before[-3000:])
    # arx answers its console, and the peer and the canary still run.
    focus(vm, "arx")
    vm.sendline("list")
    vm.expect(r"arx: memory: \d+ of \d+ pages free", timeout=30)
    for domid, name in ((PEER, "peer"), (CANARY, "canary")):
        assert re.search(r"arx:\s+%d %s\s+running" % (domid, name), vm.before), vm.before[-2000:]
    end = vm.expect([r"no domains left; powering off"] + fatal, timeout=SECONDS + 120)
    assert end == 0, "arx: %s\n%s" % (vm.match.group(0), vm.before[-3000:])
    assert vm.wait_exit(timeout=30) == 0
    text = vm.transcript()
    lines = console_lines(text)
    assert domain_ids(lines) == {"peer": PEER, "canary": CANARY, "attacker": ATTACKER}
    for domid, name in ((PEER, "peer"), (CANARY, "canary"), (ATTACKER, "attacker")):
        assert any("domain %d (%s) ended: powered off" % (domid, name) in line
                   for line in lines), "%s did not power off" % name
    return lines, lines_by_domain(text)


def attack_report(lines):
    """What attack_policy printed: its result, {domid: {family: {class: n}}}, the ids it
    may list, the absent ids, the got-through notes and getenforce's answer."""
    results, totals = results_of(lines)
    assert totals == (1, 0, 0) or totals == (0, 1, 0), "totals: %s" % (totals,)
    tallies, listed, absent, through, mode = {}, None, None, [], None
    for line in lines:
        m = TALLY.match(line)
        if m:
            n = [int(x) for x in m.groups()[1:]]
            tallies[int(m.group(1))] = {f: dict(zip(CLASSES, n[4 * i:4 * i + 4]))
                                        for i, f in enumerate(FAMILIES)}
        m = LISTS.match(line)
        if m:
            assert int(m.group(1)) == ATTACKER
            listed = sorted(int(x) for x in m.group(2).split())
        m = ABSENT.match(line)
        if m:
            absent = sorted(int(x) for x in m.group(1).split())
        m = THROUGH.match(line)
        if m:
            through.append((int(m.group(1), 16), m.group(2)))
        m = XSM.match(line)
        if m:
            mode = int(m.group(1))
    assert listed is not None and absent is not None and mode is not None, lines[-40:]
    return results["attack_policy"], tallies, listed, absent, through, mode


def check_others(tallies, absent):
    """Every id but the peer's and the canary's is absent: no domain has it."""
    assert sorted(tallies) == [PEER, CANARY]
    assert absent == sorted([i for i in range(16) if i not in (PEER, CANARY, ATTACKER)] +
                            HOSTILE_IDS)


def peer_report(lines):
    """(heartbeats, (pages written, ports signalled) at the end)."""
    assert any(OFFER.match(l) for l in lines), lines[:10]
    beats = [int(m.group(1)) for m in map(HEARTBEAT.match, lines) if m]
    done = [m for m in map(PEER_DONE.match, lines) if m]
    assert len(done) == 1, lines[-10:]
    assert results_of(lines)[1] == (1, 0, 0)
    return beats, (int(done[0].group(1)), int(done[0].group(2)))


def check_canary(lines):
    verdicts = [line for line in lines if line.startswith("canary ")]
    assert verdicts and INTACT.match(verdicts[0]), "canary: %s" % verdicts
    assert results_of(lines)[1] == (1, 0, 0)


def check_peer_outlived_the_attack(arx_lines, by_domain):
    """The peer kept its heartbeat until its end, well after the attacker had ended."""
    beats, _ = peer_report(by_domain[PEER])
    assert beats == list(range(1, SECONDS + 1)), beats
    offer = next(i for i, l in enumerate(arx_lines) if "(d1) # peer: domain 1 offers" in l)
    attack = next(i for i, l in enumerate(arx_lines) if "(d3) # attack_policy:" in l)
    assert offer < attack, "the attacker began before the peer had made its offer"


def denials(arx_lines):
    """{(subject, object or None, operation): times logged} from arx's denial lines."""
    found = {}
    for line in arx_lines:
        m = DENIAL.search(line)
        if m:
            key = (int(m.group(1)), int(m.group(4)) if m.group(4) else None, m.group(7))
            found[key] = found.get(key, 0) + 1
    return found


def test_untrusted_domain_is_refused_everything(qemu, built, tmp_path):
    arx_lines, by_domain = run(qemu, tmp_path, restrictive=True)
    assert any('arx: policy "attack": 4 types, 5 labels, enforcing' in l for l in arx_lines)
    result, tallies, listed, absent, through, mode = attack_report(by_domain[ATTACKER])
    assert result == ("ok", None), "got through: %s (%s)" % (result, through)
    assert not through
    check_others(tallies, absent)
    assert listed == [CANARY]
    for domid in (PEER, CANARY):
        t = tallies[domid]
        for family in ("map", "copy", "bind"):
            # Every sharing and signalling call is refused by the policy itself, before
            # arx looks at the ref or port (which past the table would be refused anyway).
            assert t[family]["denied"] > 0, (domid, t)
            assert t[family]["through"] == t[family]["refused"] == t[family]["absent"] == 0, (
                domid, t)
    # The canary may be listed, so controlling it is denied; the peer may not even be
    # seen: to the attacker it does not exist.
    assert tallies[CANARY]["life"] == {"through": 0, "denied": 3, "refused": 0, "absent": 0}
    assert tallies[PEER]["life"] == {"through": 0, "denied": 0, "refused": 0, "absent": 3}
    assert mode == 1

    written, signalled = peer_report(by_domain[PEER])[1]
    assert (written, signalled) == (0, 0), "the peer's offer was used"
    check_peer_outlived_the_attack(arx_lines, by_domain)
    check_canary(by_domain[CANARY])

    # Each denial logged once, naming both domains, their labels and the operation.
    who = {PEER: ("peer", "billing"), CANARY: ("canary", "telemetry")}
    expected = {(ATTACKER, PEER, op) for op in ("map", "copy", "signal")}
    expected |= {(ATTACKER, CANARY, op) for op in ("map", "copy", "signal", "pause", "destroy")}
    expected |= {(ATTACKER, None, op) for op in ("setenforce", "loadpolicy")}
    found = denials(arx_lines)
    assert set(found) == expected, sorted(found, key=str)
    assert all(n == 1 for n in found.values()), found
    for line in arx_lines:
        m = DENIAL.search(line)
        if m:
            assert (m.group(2), m.group(3)) == ("attacker", "untrusted"), line
            if m.group(4):
                assert (m.group(5), m.group(6)) == who[int(m.group(4))], line


def test_default_policy_lets_the_offer_through(qemu, built, tmp_path):
    """The control run: arx's built-in policy lets any two domains share and signal, so
    what the peer offers is used, and the case says so."""
    arx_lines, by_domain = run(qemu, tmp_path, restrictive=False)
    assert any('arx: policy "default": 2 types' in l for l in arx_lines)
    result, tallies, listed, absent, through, mode = attack_report(by_domain[ATTACKER])
    assert result[0] == "FAIL" and result[1].startswith("got through: domain 0x1: "), result
    check_others(tallies, absent)
    assert listed == []
    peer, canary = tallies[PEER], tallies[CANARY]
    # Exactly the offer: refs 1-4 mapped and copied out of and into, ports 1-4 bound.
    assert peer["map"]["through"] == REFS and peer["copy"]["through"] == 2 * REFS, peer
    assert peer["bind"]["through"] == PEER_PORTS, peer
    assert all(peer[f]["absent"] == 0 for f in ("map", "copy", "bind")), peer
    assert all(canary[f]["through"] == 0 and canary[f]["absent"] == 0
               for f in ("map", "copy", "bind")), canary
    # Nobody may control anyone but dom0, which is not here: both look absent.
    for t in (peer, canary):
        assert t["life"] == {"through": 0, "denied": 0, "refused": 0, "absent": 3}, t
    assert {domid for domid, _ in through} == {PEER}
    assert any(re.match(r"map of ref 0x1, which reads 0x9ee7000100000000$", what)
               for _, what in through), through
    assert mode == 1

    written, signalled = peer_report(by_domain[PEER])[1]
    assert (written, signalled) == (REFS, PEER_PORTS)
    check_peer_outlived_the_attack(arx_lines, by_domain)
    check_canary(by_domain[CANARY])
    # Only the admin calls are denied (and logged) under the default policy.
    assert set(denials(arx_lines)) == {(ATTACKER, None, "setenforce"),
                                       (ATTACKER, None, "loadpolicy")}
