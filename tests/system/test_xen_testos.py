"""Xen's guest ABI under arx, checked call by call by the bare-metal test guest.

testos.suite=xen (guests/testos/cases/xen_*.c) calls every hypercall arx implements with
valid and hostile arguments and checks each answer: xen_version, memory_op, hvm_op,
vcpu_op, event channels (with the upcall, PPI 31), grant tables (mapping its own grants
into holes it made, copies), sched_op and both consoles. It runs in a domain with
`xen = 1` on GICv2 and GICv3 with 2 vCPUs, next to a canary domain whose memory must stay
intact; arx must stay up and answer its console. Then: a domain without `xen = 1` gets
-ENOSYS for everything, and SCHEDOP_shutdown(crash) ends a domain as crashed."""

import re
import subprocess

import pytest

from arx_domains import boot_arx, focus, make_testos_cfg
from qemu_session import REPO
from test_isolation import (CANARY_MIN_BYTES, INTACT, console_lines, domain_ids,
                            results_of, split_by_domain)

# Keep in step with the SUITE_XEN entries of guests/testos/cases/table.c.
XEN_CASES = [
    "xen_version", "xen_unknown_call", "xen_domid", "xen_bad_pointers",
    "xen_stage1_pointers", "xen_shared_info",
    "xen_grant_frames", "xen_reservation", "xen_hvm_param", "xen_vcpu_op",
    "xen_evtchn_interdomain", "xen_evtchn_ipi_virq", "xen_evtchn_status",
    "xen_evtchn_bad_ports", "xen_evtchn_foreign", "xen_evtchn_exhaust", "xen_gnttab_setup",
    "xen_gnttab_map", "xen_gnttab_map_hostile", "xen_gnttab_readonly", "xen_gnttab_copy",
    "xen_sched_op", "xen_console_io", "xen_pv_console", "xen_control_refused",
]
# The canary outlives the suite (a few seconds of guest time) so that arx's console can be
# asked `list` while it still runs.
CANARY_SECONDS = 40
TAG = r"(?:\(d\d+\) )?"


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


@pytest.mark.parametrize("gic", [2, 3], ids=["gic2", "gic3"])
def test_xen_suite_next_to_canary(qemu, built, tmp_path, gic):
    xen = make_testos_cfg(tmp_path, name="xen", vcpus=2, cmdline="testos.suite=xen", xen=1)
    canary = make_testos_cfg(tmp_path, name="canary", vcpus=1,
                             cmdline="testos.canary=%d" % CANARY_SECONDS)
    vm = boot_arx(qemu, tmp_path, [xen, canary], gic=gic, cpus=2, hard_timeout=300)
    end = vm.expect([r"domain \d+ \(xen\) ended: powered off", r"PANIC on cpu\d+: .*",
                     r"domain \d+ \(\w+\) (?:ended: )?crashed: .*"], timeout=200)
    assert end == 0, "arx: %s\n%s" % (vm.match.group(0), vm.before[-3000:])
    suite_output = vm.before
    # arx is alive and answers its own console while the canary still runs.
    focus(vm, "arx")
    vm.sendline("list")
    vm.expect(r"arx: memory: \d+ of \d+ pages free", timeout=30)
    listing = vm.before
    assert re.search(r"arx:\s+\d+ canary\s+running", listing), listing[-2000:]
    end = vm.expect([r"no domains left; powering off", r"PANIC on cpu\d+: .*",
                     r"domain \d+ \(\w+\) (?:ended: )?crashed: .*"],
                    timeout=CANARY_SECONDS + 120)
    assert end == 0, "arx: %s\n%s" % (vm.match.group(0), vm.before[-3000:])
    lines = console_lines(suite_output + vm.before)
    assert vm.wait_exit(timeout=30) == 0
    ids = domain_ids(lines)
    assert set(ids) == {"xen", "canary"}, "domains started: %s" % ids
    split, _ = split_by_domain(lines, ids)

    results, totals = results_of(split["xen"])
    # When another domain prints in the middle of the focused guest's line, arx shows the
    # part so far, cuts it and shows the whole line again: drop such a cut part (a name no
    # case has, the start of one that was reported).
    results = {name: r for name, r in results.items() if name in XEN_CASES or not any(
        case.startswith(name) and case in results for case in XEN_CASES)}
    failed = {name: reason for name, (r, reason) in results.items() if r != "ok"}
    assert not failed, "xen cases not ok: %s" % failed
    assert sorted(results) == sorted(XEN_CASES)
    assert totals == (len(XEN_CASES), 0, 0)
    # What the guest wrote through console_io and the PV console ring, under its own tag.
    assert "xen console_io from testos" in split["xen"]
    assert "hello from hvc" in split["xen"]

    verdicts = [line for line in split["canary"] if line.startswith("canary ")]
    assert verdicts and INTACT.match(verdicts[0]), "canary: %s" % verdicts
    assert int(INTACT.match(verdicts[0]).group(1)) >= CANARY_MIN_BYTES
    assert results_of(split["canary"])[1] == (1, 0, 0)


def test_hypercalls_need_xen_in_the_config(qemu, built, tmp_path):
    cfg = make_testos_cfg(tmp_path, name="plain", cmdline="testos.only=xen_disabled", xen=0)
    vm = boot_arx(qemu, tmp_path, [cfg], gic=3, cpus=1, hard_timeout=180)
    vm.expect(TAG + r"(ok|FAIL) - xen_disabled([^\r\n]*)", timeout=120)
    assert vm.match.group(1) == "ok", vm.match.group(0)
    vm.expect(TAG + r"1 passed, 0 failed, 0 skipped", timeout=30)
    vm.expect_exact("no domains left; powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0


def test_shutdown_crash_ends_the_domain(qemu, built, tmp_path):
    cfg = make_testos_cfg(tmp_path, name="crasher", cmdline="testos.only=xen_shutdown_crash",
                          xen=1)
    vm = boot_arx(qemu, tmp_path, [cfg], gic=3, cpus=1, hard_timeout=180)
    vm.expect(r"domain (\d+) \(crasher\) started", timeout=60)
    domid = vm.match.group(1)
    vm.expect(r"domain %s \(crasher\) ended: crashed: the guest reported a crash "
              r"\(SCHEDOP_shutdown\)" % domid, timeout=120)
    assert "FAIL - xen_shutdown_crash" not in vm.before
    vm.expect_exact("no domains left; powering off", timeout=30)
    assert vm.wait_exit(timeout=30) == 0
