"""Hardware debug state is each vCPU's own: two testos domains share one physical CPU;
one (debug_isolation_hold) arms a breakpoint and a watchpoint on testos's code and data
and sleeps, the other (debug_isolation_run), the same image at the same addresses, runs
that code and writes that data with debug exceptions enabled all the while. The runner
must take no debug exception, and the holder's breakpoint must still fire after."""

import re
import subprocess

import pytest

from arx_domains import boot_arx, console_lines, make_testos_cfg
from qemu_session import REPO

RESULT = re.compile(r"^\(d(\d+)\) (ok|FAIL|skip) - (\S+?)(?:: (.*))?$")
ROUNDS = re.compile(r"^\(d\d+\) # debug: (\d+) rounds")


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


@pytest.mark.parametrize("gic", [2, 3])
def test_breakpoints_stay_in_their_domain(qemu, built, tmp_path, gic):
    holder = make_testos_cfg(tmp_path, name="holder", cpus="0",
                             cmdline="testos.only=debug_isolation_hold")
    runner = make_testos_cfg(tmp_path, name="runner", cpus="0",
                             cmdline="testos.only=debug_isolation_run")
    vm = boot_arx(qemu, tmp_path, [holder, runner], gic=gic, cpus=1, hard_timeout=180)
    vm.expect_exact("no domains left; powering off", timeout=120)
    results = {}
    rounds = 0
    for line in console_lines(vm.before):
        m = RESULT.match(line)
        if m:
            results[m.group(3)] = (m.group(2), m.group(4))
        m = ROUNDS.match(line)
        if m:
            rounds = int(m.group(1))
    assert results == {"debug_isolation_hold": ("ok", None),
                       "debug_isolation_run": ("ok", None)}
    assert rounds > 0
    assert vm.wait_exit(timeout=30) == 0
