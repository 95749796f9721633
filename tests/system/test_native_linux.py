"""The guest Linux booted directly on QEMU (no hypervisor): the reference behaviour
that the same guest must show under arx."""

import pytest

pytestmark = pytest.mark.guest_linux

BOOT_TIMEOUT = 120      # to the ARX-GUEST-READY marker, under TCG
READY = "ARX-GUEST-READY"
XEN_MODULES = ["xen-evtchn", "xenfs", "xen-privcmd", "xen-gntdev", "xen-gntalloc",
               "xen-netfront", "xen-blkfront"]


def boot(qemu, guest, gic, cpus, hostname):
    vm = qemu(["--native", "--gic", gic, "--cpus", cpus,
               "--kernel", guest.image, "--initrd", guest.initrd,
               "--append", "console=ttyAMA0 hostname=%s" % hostname])
    vm.expect_exact(READY, timeout=BOOT_TIMEOUT)
    vm.note("%s after %.1f s" % (READY, vm.elapsed()))
    vm.expect(r"[#$] ", timeout=30)          # the shell's prompt
    return vm


def check(vm, command, status=0):
    got, out = vm.shell(command)
    assert got == status, "%r exited %d, not %d:\n%s" % (command, got, status, out)
    return out


@pytest.mark.parametrize("gic", ["2", "3"], ids=["gic2", "gic3"])
def test_native_boot(qemu, guest_linux, gic, record_property):
    hostname = "native-gic" + gic
    vm = boot(qemu, guest_linux, gic, cpus=2, hostname=hostname)
    record_property("ready_seconds", round(vm.elapsed(), 1))

    assert check(vm, "nproc").strip() == "2"
    assert check(vm, "hostname").strip() == hostname
    assert "<LOOPBACK,UP" in check(vm, "ip link show lo")
    paths = check(vm, "which vi ip ping").split()
    assert [p.rsplit("/", 1)[-1] for p in paths] == ["vi", "ip", "ping"]
    assert ("GICv%s" % gic) in check(vm, "dmesg | grep -i gic")

    # The Xen modules are there, with their dependencies known to modprobe...
    release = check(vm, "uname -r").strip()
    listing = check(vm, "ls /lib/modules/%s/kernel/drivers/xen/ "
                        "/lib/modules/%s/kernel/drivers/xen/xenfs/" % (release, release))
    for name in XEN_MODULES:
        if "front" not in name:
            assert name + ".ko" in listing.split()
    for name in XEN_MODULES:
        assert "%s.ko" % name in check(vm, "modprobe -D " + name)
    assert "xen-privcmd.ko" in check(vm, "modprobe -D xenfs")
    # ...but refuse to start outside Xen (their init returns -ENODEV).
    assert "No such device" in check(vm, "modprobe xen-gntdev 2>&1", status=1)
    # A module with dependencies does load, dependencies first.
    check(vm, "modprobe virtio_net")
    loaded = check(vm, "lsmod")
    for name in ("virtio_net", "net_failover", "failover"):
        assert name in loaded.split()

    vm.sendline("poweroff")
    assert vm.wait_exit(timeout=60) == 0


def test_run_native_script(qemu, guest_linux):
    """scripts/run-native boots the same guest; "poweroff" ends QEMU with status 0."""
    from qemu_session import REPO
    vm = qemu(["--cpus", "1", "--hostname", "run-native"], program=REPO / "scripts" / "run-native",
              env={"GIC": "2"})
    vm.expect_exact(READY, timeout=BOOT_TIMEOUT)
    vm.expect(r"[#$] ", timeout=30)
    assert check(vm, "nproc").strip() == "1"
    assert check(vm, "hostname").strip() == "run-native"
    assert "GICv2" in check(vm, "dmesg | grep -i gic")
    vm.sendline("poweroff")
    assert vm.wait_exit(timeout=60) == 0
