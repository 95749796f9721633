"""A control domain running Debian's own Xen 4.17 toolstack under arx.

One boot per GIC version serves every check of this module (a module-scoped fixture):
arx starts domain 0 (configs/dom0.cfg: Debian's kernel, oxenstored and xenconsoled from
Debian's packages, build/dom0; on GICv2 with the C xenstored, on GICv3 with Debian's default
oxenstored) and a boot-time Linux domain beside it (console=ttyAMA0); first each of the
two shows every line once on arx's console, then the tests
drive Debian's unmodified `xl` at dom0's shell: list, info, create, console, pause,
unpause, shutdown, reboot, destroy, a crash kept with on_crash="preserve", and 50
create/destroy cycles after which both `xl info` and arx itself account the same free
memory as before.
"""

import re
import time

import pytest

from arx_domains import check_each_line_once, make_linux_cfg
from dom0_shell import PROMPT, dom0_booted

pytestmark = pytest.mark.guest_linux


# Both GIC versions, and both of Debian's xenstoreds (oxenstored is its default), one boot each.
@pytest.fixture(scope="module", params=[(2, "c"), (3, "o")],
                ids=["gic2-cxenstored", "gic3-oxenstored"])
def dom0(request, tmp_path_factory, guest_linux):
    tmp = tmp_path_factory.mktemp("dom0")
    boot = make_linux_cfg(tmp, name="linux1", memory=160)
    gic, xenstored = request.param
    with dom0_booted("dom0-toolstack-%s" % request.param_index, tmp, gic, xenstored,
                     others=[boot], ready=[r"\(d1\) ARX-GUEST-READY"]) as shell:
        daemon = "/usr/lib/xen-4.17/bin/%s" % ("xenstored" if xenstored == "c" else "oxenstored")
        assert daemon in shell.run("ps"), "%s is not running" % daemon
        yield shell


def test_dom0_lists_itself_and_the_boot_time_domain(dom0):
    doms = dom0.domains()
    assert doms["Domain-0"][0] == 0 and doms["Domain-0"][1] == 512
    assert doms["linux1"][0] == 1 and doms["linux1"][1] == 160
    info = dom0.run("xl info")
    assert re.search(r"xen_version\s*:\s*4\.17", info) and "xen_scheduler          : null" in info
    assert "control_d" in dom0.run("cat /proc/xen/capabilities")
    # xl dmesg reads arx's own log.
    assert "the control domain" in dom0.run("xl dmesg")
    out = dom0.run("xl vcpu-list")
    assert re.search(r"Domain-0\s+0\s+0\s+\d", out) and re.search(r"linux1\s+1\s+0\s+\d", out)
    assert "Domain-0" in dom0.run("xl uptime")
    top = dom0.run("xentop -b -i 1")
    assert re.search(r"Domain-0\s+-+r", top) and "linux1" in top


def test_each_line_once_on_arx_console(dom0):
    """Dom0 (console=hvc0: console_io) and linux1 (console=ttyAMA0, a Xen domain: Linux
    would make hvc0 a console too) each print every line once. Before any `xl console`,
    which shows other domains' boot banners as dom0's lines."""
    check_each_line_once(dom0.vm, [0, 1], back_to=0)


# Hardware capabilities Linux would report from ID register fields arx filters out
# (docs/id-registers.md): SVE, SME, MTE, pointer authentication, WFxT, MOPS.
FILTERED_HWCAPS = {"sve", "sve2", "sme", "sme2", "mte", "mte3", "paca", "pacg", "wfxt", "mops"}


def test_dom0_sees_the_filtered_cpu(dom0):
    """Linux reads the CPU's features from the ID registers arx traps: both vCPUs report
    the same Features, with FP and AdvSIMD and none that arx removes, no CPU differs from
    the boot CPU, and there is no 32-bit EL0 (natively QEMU's cortex-a57 has it)."""
    features = re.findall(r"^Features\s*:\s*(.*?)\s*$", dom0.run("cat /proc/cpuinfo"), re.M)
    assert len(features) == 2 and features[0] == features[1], features
    hwcaps = set(features[0].split())
    assert {"fp", "asimd"} <= hwcaps and not hwcaps & FILTERED_HWCAPS, hwcaps
    log = dom0.run("dmesg")
    assert "CPU features: " in log
    assert "32-bit EL0" not in log and "Unexpected variation" not in log


def test_xl_creates_the_test_guest(dom0):
    dom0.write_cfg("/tmp/t1.cfg", name="t1", kernel="/var/lib/arx/testos.bin", memory=32,
                   vcpus=1, extra="testos.only=psci_version,timer_rate")
    out = dom0.run("xl create /tmp/t1.cfg")
    # Its console (console_io: it has no PL011) is arx's, tagged with its id.
    if not re.search(r"2 passed, 0 failed", out):
        dom0.vm.expect(r"\(d\d+\) 2 passed, 0 failed", timeout=120)
    # It powered off; xl's monitor applies on_poweroff = destroy.
    dom0.wait_for(lambda d: "t1" not in d, "t1 gone")


def test_vuart_console_through_xenconsoled(dom0):
    """vuart = "sbsa_uart": the test guest prints on its emulated SBSA UART, whose other end
    is xenconsoled in dom0, and `xl console -t vuart` shows it."""
    dom0.write_cfg("/tmp/tv.cfg", name="tv", kernel="/var/lib/arx/testos.bin", memory=32,
                   vcpus=1, vuart="sbsa_uart", on_poweroff="preserve",
                   extra="testos.only=psci_version,timer_rate")
    dom0.run("xl create /tmp/tv.cfg")
    dom0.wait_for(lambda d: "tv" in d and "s" in d["tv"][3], "tv shut down")
    out = dom0.run("timeout 20 xl console -t vuart tv | grep -m1 'passed,'", timeout=60, ok=False)
    assert "2 passed, 0 failed" in out, out
    dom0.run("xl destroy tv")


def test_linux_domu_console_pause_and_shutdown(dom0):
    dom0.run("xl create /etc/xen/arx/linux.cfg", timeout=180)
    domid = dom0.domains()["linux-domu"][0]
    assert domid >= 2
    vm = dom0.vm
    vm.sendline("xl console linux-domu")
    vm.expect("ARX-GUEST-READY", timeout=240)
    vm.expect(r"root@linux-domu:~# ", timeout=60)
    # 40 s of busy work, so its CPU time shows whether it runs.
    vm.sendline("echo hello""-domu; (end=$(($(date +%s) + 40)); "
                "while [ $(date +%s) -lt $end ]; do :; done) &")
    vm.expect("hello-domu", timeout=60)
    vm.send("\x1d")  # xl console's escape, Ctrl-]
    vm.expect(PROMPT, timeout=60)
    dom0.run("xl pause linux-domu")
    before = dom0.domains()["linux-domu"]
    assert "p" in before[3]
    time.sleep(3)
    still = dom0.domains()["linux-domu"]
    assert still[4] == before[4], "a paused domain ran: %s -> %s" % (before, still)
    dom0.run("xl unpause linux-domu")
    dom0.wait_for(lambda d: d["linux-domu"][4] > before[4] + 1, "linux-domu running again")
    dom0.run("xl shutdown -w linux-domu", timeout=180)
    assert "linux-domu" not in dom0.domains()


def test_reboot_builds_the_domain_again(dom0):
    dom0.run("xl create /etc/xen/arx/linux.cfg", timeout=180)
    first = dom0.domains()["linux-domu"][0]
    dom0.wait_for(lambda d: "b" in d["linux-domu"][3] and d["linux-domu"][4] > 1,
                  "linux-domu booted")
    time.sleep(10)  # its init has its Xen drivers up: the reboot request is seen
    dom0.run("xl reboot linux-domu")
    doms = dom0.wait_for(lambda d: "linux-domu" in d and d["linux-domu"][0] != first,
                         "linux-domu under a new id", timeout=240)
    dom0.run("xl destroy %d" % doms["linux-domu"][0])
    assert "linux-domu" not in dom0.domains()


def test_crash_is_preserved_until_destroyed(dom0):
    dom0.write_cfg("/tmp/crash.cfg", name="crasher", kernel="/var/lib/arx/testos.bin",
                   memory=32, vcpus=1, on_crash="preserve",
                   extra="testos.only=xen_shutdown_crash")
    dom0.run("xl create /tmp/crash.cfg")
    doms = dom0.wait_for(lambda d: "crasher" in d and "c" in d["crasher"][3], "crasher crashed")
    time.sleep(3)
    assert "c" in dom0.domains()["crasher"][3]  # still there: preserved
    dom0.run("xl destroy crasher")
    assert "crasher" not in dom0.domains()
    assert doms["crasher"][0] > 0


def vcpu_cpu(dom0, name):
    """The physical CPU and hard affinity of vCPU 0 of `name`, from xl vcpu-list."""
    m = re.search(r"^%s\s+\d+\s+0\s+(\d+)\s+\S+\s+[\d.]+\s+(\S+) /" % name,
                  dom0.run("xl vcpu-list %s" % name), re.MULTILINE)
    assert m, "no vCPU 0 of %s in xl vcpu-list" % name
    return int(m.group(1)), m.group(2)


def test_vcpu_pin_moves_a_running_vcpu(dom0):
    cpu, _ = vcpu_cpu(dom0, "linux1")
    other = 1 - cpu
    dom0.run("xl vcpu-pin linux1 0 %d" % other)
    end = time.monotonic() + 30
    while vcpu_cpu(dom0, "linux1")[0] != other:
        assert time.monotonic() < end, "linux1's vCPU never moved to CPU %d" % other
        time.sleep(1)
    assert vcpu_cpu(dom0, "linux1")[1] == str(other)
    before = dom0.domains()["linux1"][4]
    time.sleep(5)
    after = dom0.domains()["linux1"]
    assert "c" not in after[3] and after[4] >= before  # it goes on there
    dom0.run("xl vcpu-pin linux1 0 all")
    assert vcpu_cpu(dom0, "linux1")[1] == "all"


def test_fuzzed_control_calls_leave_everyone_running(dom0):
    """100,000 random domctl, sysctl and memory_op calls from dom0 (tools/xenfuzz)."""
    out = dom0.run("xenfuzz -n 100000 -s 7", timeout=900)
    assert "xenfuzz: done" in out, out
    counts = re.search(r"(\d+) calls \(seed 7\): (\d+) succeeded", out)
    assert counts and int(counts.group(1)) == 100000, out
    # arx, dom0 and the boot-time domain beside it are all still there and answering.
    doms = dom0.domains()
    assert doms["Domain-0"][0] == 0 and doms["linux1"][0] == 1
    assert "b" in doms["linux1"][3] or "r" in doms["linux1"][3]
    assert "xen_version" in dom0.run("xl info")


def test_pause_and_destroy_a_boot_time_domain(dom0):
    dom0.run("xl pause linux1")
    assert "p" in dom0.domains()["linux1"][3]
    dom0.run("xl unpause linux1")
    dom0.run("xl destroy linux1")
    dom0.wait_for(lambda d: "linux1" not in d, "linux1 gone")


def test_fifty_create_destroy_cycles_return_all_memory(dom0):
    dom0.write_cfg("/tmp/cyc.cfg", name="cyc", kernel="/var/lib/arx/testos.bin", memory=32,
                   vcpus=1, on_poweroff="preserve", extra="testos.only=psci_version")
    free_before = dom0.free_memory()
    script = ("n=0; for i in $(seq 50); do xl create -q /tmp/cyc.cfg || break; "
              "until xl list cyc | grep -q -- '--s-\\|---s'; do sleep 0.2; done; "
              "xl destroy cyc || break; n=$((n+1)); done; echo cycles=$n")
    out = dom0.run(script, timeout=1200)
    assert "cycles=50" in out, out
    assert dom0.free_memory() == free_before
    # arx's own count after each domain is gone: its free pages (plus the stage-2 table pages
    # the live domains grew meanwhile: dom0's, as its balloon splits blocks) and heap bytes.
    log = dom0.run("xl dmesg")
    gone = [(int(f) + int(t), int(h)) for f, h, t in re.findall(
        r"arx: domain \d+ gone; (\d+) pages free, (\d+) heap bytes in use, (\d+) pages of "
        r"stage-2 tables", log)]
    assert len(gone) >= 50
    assert len(set(gone[-49:])) == 1, "arx's accounting moved: %s" % sorted(set(gone[-49:]))
