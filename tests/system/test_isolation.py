"""Isolation, proven by an adversarial guest (issue 5).

Two testos domains run side by side under arx, each on a physical CPU of its own, and
once both on the same one:

- the attacker runs the attack suite (testos.suite=attack): it reads, writes and jumps
  outside its RAM and devices, points its page tables and PSCI CPU_ON at foreign memory,
  writes GIC state of interrupts and redistributors it does not have, sends SGIs beyond its
  vCPUs, fuzzes hypercalls and SMCCC calls, looks for another domain's values in CPU
  registers (breakpoints, PMU, ...) and hogs its CPU with interrupts masked. Each case
  prints `ok - attack_x` only when every attempt failed in the defined way;
- the canary (testos.canary=SECONDS) fills its free RAM with a pattern and re-checks it
  until well after the attacker is done, checks the CPU registers it marked, and counts
  interrupts it never asked for.

The attacker must report no failure, the canary must stay intact, arx must not panic, and
both domains power off so that QEMU exits 0. Separately, two testos domains on one CPU
check that hardware breakpoints, watchpoints and PMU counts stay in their own domain. Lines a domain prints may carry arx's console
tag "(dN) "; without it (no console multiplexer) the two guests' first lines may interleave,
which only ever touches their `#` header lines.

Natively (no arx) the attacks behave differently and are not judged; there only the
selection of the attack suite and the canary mode itself are checked."""

import re
import subprocess

import pytest

from arx_domains import TESTOS, boot_arx, console_lines, make_testos_cfg
from qemu_session import REPO

# Keep in step with the SUITE_ATTACK entries of guests/testos/cases/table.c.
ATTACK_CASES = [
    "attack_ipa_sweep", "attack_device_window", "attack_ram_edges", "attack_ipa_random",
    "attack_undecodable", "attack_stage1", "attack_cpu_on", "attack_gicd_lines",
    "attack_gicr_frames", "attack_gic_sizes", "attack_sgi_targets", "attack_hypercalls",
    "attack_smccc", "attack_hvc_imm", "attack_cpu_state", "attack_hog",
]
# GICv2 has no redistributors to attack.
SKIPPED_ON_GICV2 = {"attack_gicr_frames"}

# The canary outlasts the attacker (about 3 s of guest time, 2 of them attack_hog).
CANARY_SECONDS = 15
CANARY_MIN_BYTES = 4 << 20

TAGGED = re.compile(r"^\(d(\d+)\) (.*)$")
RESULT = re.compile(r"^(ok|FAIL|skip) - (\S+?)(?:: (.*))?$")
TOTALS = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$")
CANARY = re.compile(r"^canary (intact|CORRUPTED|DISTURBED|error)\b:? ?(.*)$")
INTACT = re.compile(r"^canary intact: (\d+) bytes checked (\d+) times$")
LATENESS = re.compile(r"^# canary: \d+ timer interrupts, the latest (\d+) us after its deadline$")
STARTED = re.compile(r"domain (\d+) \((\w+)\) (?:started )?from")


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


def domain_ids(lines):
    """{name: domain id} from arx's "domain N (name) started from ..." lines."""
    ids = {}
    for line in lines:
        m = STARTED.search(line)
        if m:
            ids[m.group(2)] = int(m.group(1))
    return ids


def split_by_domain(lines, ids):
    """{domain name: its lines, untagged} and, for each name, where in `lines` its
    totals line is. With arx's console tags, by tag; without, by content: the canary's
    lines are its `# canary` lines and its verdict with the totals line after it, the
    rest is the attacker's (and both headers)."""
    tagged = [TAGGED.match(line) for line in lines]
    if any(tagged):
        names = {domid: name for name, domid in ids.items()}
        split, ends = {name: [] for name in ids}, {}
        for i, m in enumerate(tagged):
            if m and int(m.group(1)) in names:
                name = names[int(m.group(1))]
                split[name].append(m.group(2))
                if TOTALS.match(m.group(2)):
                    ends[name] = i
        return split, ends
    verdict = next((i for i, line in enumerate(lines) if CANARY.match(line)), len(lines))
    end = next((i for i in range(verdict, len(lines)) if TOTALS.match(lines[i])), verdict)
    attacker = lines[:verdict] + lines[end + 1:]
    ends = {"canary": end, "attacker": next(
        (i for i, line in enumerate(lines) if TOTALS.match(line) and i != end), None)}
    canary = [line for line in lines[:verdict] if line.startswith("# canary")]
    return {"attacker": attacker, "canary": canary + lines[verdict:end + 1]}, ends


def results_of(lines):
    """{case: (ok|FAIL|skip, reason)} and the totals (or None) of one guest's lines."""
    results, totals = {}, None
    for line in lines:
        m = RESULT.match(line)
        if m:
            assert m.group(2) not in results, "case %s reported twice" % m.group(2)
            results[m.group(2)] = (m.group(1), m.group(3))
        m = TOTALS.match(line)
        if m:
            totals = tuple(int(n) for n in m.groups())
    return results, totals


def run_attack(qemu, tmp_path, gic, attacker_vcpus, cpus):
    """Boots arx on `cpus` physical CPUs with the attacker and the canary; returns
    (attacker lines, canary lines) once QEMU has exited 0."""
    attacker = make_testos_cfg(tmp_path, name="attacker", vcpus=attacker_vcpus,
                               cmdline="testos.suite=attack")
    canary = make_testos_cfg(tmp_path, name="canary", vcpus=1,
                             cmdline="testos.canary=%d" % CANARY_SECONDS)
    vm = boot_arx(qemu, tmp_path, [attacker, canary], gic=gic, cpus=cpus, hard_timeout=300)
    end = vm.expect([r"no domains left; powering off", r"PANIC on cpu\d+: .*",
                     r"domain \d+ \(\w+\) (?:ended: )?crashed: .*"], timeout=240)
    assert end == 0, "arx: %s\n%s" % (vm.match.group(0), vm.before[-3000:])
    lines = console_lines(vm.before)
    assert vm.wait_exit(timeout=30) == 0
    ids = domain_ids(lines)
    assert set(ids) == {"attacker", "canary"}, "domains started: %s" % ids
    for name, domid in ids.items():
        assert any(re.search(r"domain %d \(%s\) ended: powered off" % (domid, name), line)
                   for line in lines), "%s did not power off" % name
    split, ends = split_by_domain(lines, ids)
    assert None not in (ends.get("attacker"), ends.get("canary")), "totals missing: %s" % ends
    assert ends["attacker"] < ends["canary"], "the canary ended before the attacker: %s" % [
        line for line in split["canary"] if line.startswith(("# canary", "canary"))]
    return split["attacker"], split["canary"]


def check_attacker(lines, gic):
    results, totals = results_of(lines)
    failed = {name: reason for name, (r, reason) in results.items() if r == "FAIL"}
    assert totals is not None, "the attacker printed no totals"
    assert not failed, "attacks that got through: %s" % failed
    assert totals[1] == 0 and totals[0] > 0, "attacker totals %s" % (totals,)
    assert sorted(results) == sorted(ATTACK_CASES)
    skipped = {name for name, (r, _) in results.items() if r == "skip"}
    assert skipped == (SKIPPED_ON_GICV2 if gic == 2 else set())


def check_canary(lines):
    """Returns the longest delay, in microseconds, from a deadline of the canary's timer
    to the canary taking its interrupt."""
    verdicts = [line for line in lines if CANARY.match(line)]
    assert verdicts, "the canary gave no verdict"
    m = INTACT.match(verdicts[0])
    assert m, "canary: %s" % verdicts[0]
    assert int(m.group(1)) >= CANARY_MIN_BYTES and int(m.group(2)) >= 2
    assert results_of(lines)[1] == (1, 0, 0)
    lateness = [LATENESS.match(line) for line in lines]
    return max(int(m.group(1)) for m in lateness if m)


@pytest.mark.parametrize("gic", [2, 3], ids=["gic2", "gic3"])
def test_attacker_next_to_canary(qemu, built, tmp_path, gic):
    attacker, canary = run_attack(qemu, tmp_path, gic, attacker_vcpus=1, cpus=2)
    check_attacker(attacker, gic)
    check_canary(canary)


@pytest.mark.parametrize("gic", [2, 3], ids=["gic2", "gic3"])
def test_two_vcpu_attacker_next_to_canary(qemu, built, tmp_path, gic):
    """With two vCPUs the SGI attacks also check that each of the attacker's own vCPUs got
    exactly what was sent to it, and CPU_ON is tried on a CPU that is off."""
    attacker, canary = run_attack(qemu, tmp_path, gic, attacker_vcpus=2, cpus=3)
    check_attacker(attacker, gic)
    check_canary(canary)


def test_attacker_and_canary_share_a_cpu(qemu, built, tmp_path):
    """On one physical CPU, while the attacker spins 2 s with interrupts masked
    (attack_hog), arx must keep giving the canary its time: its timer interrupts come
    late by a time slice or so, never by the length of the hog."""
    attacker, canary = run_attack(qemu, tmp_path, 3, attacker_vcpus=1, cpus=1)
    check_attacker(attacker, 3)
    assert check_canary(canary) < 1000000


def run_native(qemu, append, gic=3, cpus=1):
    """testos booted directly on QEMU with a command line; its lines once QEMU exited 0."""
    vm = qemu(["--native", "--gic", str(gic), "--cpus", str(cpus), "--kernel", TESTOS,
               "--append", append], hard_timeout=180)
    vm.expect(r"\d+ passed, \d+ failed, \d+ skipped\r*\n", timeout=120)
    lines = console_lines(vm.before + vm.match.group(0))
    assert vm.wait_exit(timeout=30) == 0
    return lines


def test_attack_suite_is_selected_by_suite_and_pattern(qemu, built):
    """Natively the attacks need not fail (there is no hypervisor); only which cases run
    is checked here."""
    results, _ = results_of(run_native(qemu, "testos.suite=attack"))
    assert sorted(results) == sorted(ATTACK_CASES)
    results, totals = results_of(run_native(
        qemu, "testos.only=attack_hvc*,psci_version testos.suite=nosuch"))
    assert sorted(results) == ["attack_hvc_imm", "nosuch", "psci_version"]
    assert results["nosuch"] == ("FAIL", "no such suite")
    assert results["psci_version"] == ("ok", None)
    results, _ = results_of(run_native(qemu, "testos.only=attack_nothing*"))
    assert results == {"attack_nothing*": ("FAIL", "no such case")}


def test_canary_natively(qemu, built):
    lines = run_native(qemu, "testos.canary=2")
    assert any(INTACT.match(line) for line in lines), lines[-5:]
    assert results_of(lines)[1] == (1, 0, 0)


@pytest.mark.parametrize("value", ["0", "x", "3601", "2s"])
def test_canary_refuses_a_bad_duration(qemu, built, value):
    lines = run_native(qemu, "testos.canary=" + value)
    assert any(line.startswith("canary error: ") for line in lines)
    assert results_of(lines)[1] == (0, 1, 0)


DEBUG_RESULT = re.compile(r"^\(d(\d+)\) (ok|FAIL|skip) - (\S+?)(?:: (.*))?$")
DEBUG_ROUNDS = re.compile(r"^\(d\d+\) # debug: (\d+) rounds")


@pytest.mark.parametrize("gic", [2, 3])
def test_breakpoints_and_counters_stay_in_their_domain(qemu, built, tmp_path, gic):
    """Hardware debug and PMU state are each vCPU's own: two testos domains share one
    physical CPU; one (debug_isolation_hold) arms a breakpoint and a watchpoint on
    testos's code and data and sleeps, the other (debug_isolation_run), the same image at
    the same addresses, runs that code and writes that data with debug exceptions enabled
    all the while. The runner must take no debug exception, and the holder's breakpoint
    must still fire after. Then the holder sets its cycle counter to a mark and sleeps
    (pmu_isolation_hold) while the runner must find its own counter below the mark and
    keeps resetting all of its counters (pmu_isolation_run); the holder's count must
    survive."""
    holder = make_testos_cfg(tmp_path, name="holder", cpus="0",
                             cmdline="testos.only=debug_isolation_hold,pmu_isolation_hold")
    runner = make_testos_cfg(tmp_path, name="runner", cpus="0",
                             cmdline="testos.only=debug_isolation_run,pmu_isolation_run")
    vm = boot_arx(qemu, tmp_path, [holder, runner], gic=gic, cpus=1, hard_timeout=180)
    vm.expect_exact("no domains left; powering off", timeout=120)
    results = {}
    rounds = 0
    for line in console_lines(vm.before):
        m = DEBUG_RESULT.match(line)
        if m:
            results[m.group(3)] = (m.group(2), m.group(4))
        m = DEBUG_ROUNDS.match(line)
        if m:
            rounds = int(m.group(1))
    assert results == {"debug_isolation_hold": ("ok", None), "pmu_isolation_hold": ("ok", None),
                       "debug_isolation_run": ("ok", None), "pmu_isolation_run": ("ok", None)}
    assert rounds > 0
    assert vm.wait_exit(timeout=30) == 0
