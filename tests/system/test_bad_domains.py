"""Bad configs and bad kernels: arx names the file, line and key (or the file and
the problem), does not start that domain, and runs the others."""

import subprocess

import pytest

from arx_domains import GUEST, TESTOS, boot_arx, make_testos_cfg, write_config
from qemu_session import REPO


@pytest.fixture(scope="session")
def built():
    subprocess.run(["make", "-s", "hv", "testos"], cwd=str(REPO), check=True, timeout=600,
                   capture_output=True)


def bad_config(tmp_path, **keys):
    base = dict(name="bad", type="testos", memory=32, vcpus=1, kernel=str(TESTOS))
    base.update(keys)
    return write_config(tmp_path, "bad.cfg", **{k: v for k, v in base.items() if v is not None})


def not_an_image(tmp_path):
    path = tmp_path / "notakernel.bin"
    path.write_bytes(b"#!/bin/sh\necho this is not a kernel\n" * 4)
    return str(path)


def truncated_image(tmp_path):
    path = tmp_path / "truncated.bin"
    path.write_bytes(TESTOS.read_bytes()[:40])  # cut before the magic at offset 56
    return str(path)


CASES = {
    "unknown-key": (lambda t: bad_config(t, raw='colour = "red"'),
                    r"bad\.cfg:6: colour: unknown key; domain not started"),
    "bad-number": (lambda t: bad_config(t, memory=None, raw="memory = lots"),
                   r"bad\.cfg:\d+: memory: not a number; domain not started"),
    "vcpus-out-of-range": (lambda t: bad_config(t, vcpus=9),
                           r"bad\.cfg:\d+: vcpus: out of range \(1-8\); domain not started"),
    "bad-type": (lambda t: bad_config(t, type="windows"),
                 r"bad\.cfg:\d+: type: must be \"linux\" or \"testos\"; domain not started"),
    "missing-name": (lambda t: bad_config(t, name=None),
                     r"bad\.cfg: name: missing \(required\); domain not started"),
    "syntax": (lambda t: bad_config(t, raw="memory 32"),
               r"bad\.cfg:6: syntax error: .*; domain not started"),
    "missing-kernel-file": (lambda t: bad_config(t, kernel=str(t / "nothere.bin")),
                            r"bad\.cfg: kernel: file \".*nothere\.bin\" not found in the boot "
                            r"package; domain not started"),
    "missing-ramdisk-file": (lambda t: bad_config(t, ramdisk=str(t / "noinitrd.gz")),
                             r"bad\.cfg: ramdisk: file \".*noinitrd\.gz\" not found"),
    "not-an-image": (lambda t: bad_config(t, kernel=not_an_image(t)),
                     r"bad\.cfg: kernel \".*notakernel\.bin\" is not an arm64 Image"),
    "truncated-image": (lambda t: bad_config(t, kernel=truncated_image(t)),
                        r"bad\.cfg: kernel \".*truncated\.bin\" is not an arm64 Image"),
    "cpus-not-online": (lambda t: bad_config(t, cpus="5-7"),
                        r"bad\.cfg: cpus: none of the CPUs it may use is online"),
    "cpus-malformed": (lambda t: bad_config(t, cpus="0-x"),
                       r"bad\.cfg:\d+: cpus: expected CPU numbers"),
    "weight-out-of-range": (lambda t: bad_config(t, weight=0),
                            r"bad\.cfg:\d+: weight: out of range \(1-65535\)"),
    "on-crash-bad": (lambda t: bad_config(t, on_crash="explode"),
                     r"bad\.cfg:\d+: on_crash: must be \"destroy\", \"restart\" or \"preserve\""),
    "on-poweroff-preserve": (lambda t: bad_config(t, on_poweroff="preserve"),
                             r"bad\.cfg:\d+: on_poweroff: must be \"destroy\" or \"restart\""),
    "memory-too-small": (lambda t: bad_config(t, memory=4, kernel=str(GUEST / "Image")),
                         r"bad\.cfg: memory is too small for the kernel, ramdisk and device tree"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_domain_is_refused_and_others_run(qemu, built, tmp_path, case):
    make_bad, message = CASES[case]
    if case == "memory-too-small" and not (GUEST / "Image").exists():
        pytest.skip("needs the guest Linux kernel (make guest-linux)")
    good = make_testos_cfg(tmp_path, name="good", cmdline="testos.only=timer_rate")
    bad = make_bad(tmp_path)
    vm = boot_arx(qemu, tmp_path, [good, bad], gic=3, cpus=2, hard_timeout=120)
    vm.expect(r"domain 1 \(good\) started from \S+: 1 vCPU,", timeout=60)
    vm.expect(message, timeout=60)
    vm.expect(r"(\d+) passed, (\d+) failed", timeout=120)
    assert vm.match.group(1) == "1" and vm.match.group(2) == "0"
    vm.expect_exact("domain 1 (good) ended: powered off", timeout=60)
    vm.expect_exact("no domains left; powering off", timeout=60)
    assert vm.wait_exit(timeout=30) == 0
