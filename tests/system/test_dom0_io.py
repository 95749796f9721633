"""Disks and networks for domUs: Linux's own blkback and netback in domain 0 serve the
blkfront and netfront of domUs that Debian's unmodified `xl` creates, through Debian's
`block` and `vif-bridge` hotplug scripts, all under arx.

One boot per GIC version serves the whole module (GICv2 with the C xenstored, GICv3 with
oxenstored): dom0, a boot-time domain bt1 whose arx config has disk and vif keys, and two
domUs xl creates, io1 and io2, each with a file-backed disk and a vif on dom0's bridge
xenbr0 (io1 also with a read-only disk and a `phy:` disk). The checks: bt1 (console=hvc0)
shows every line once on arx's console; a file system on xvda holds 64 MiB of random data whose
checksum dom0 reads back from the image file; writes to the read-only disk fail; the phy:
disk's blocks are the loop device's; ping and 64 MiB over TCP (iperf3, Debian's) between
the domUs and to dom0 with matching checksums; a domU destroyed in the middle of disk and
network I/O leaves dom0, the other domU and the accounting as they were; a hostile
frontend (tools/hostile-front) gets errors from real backends, not a crash.
"""

import re
import time

import pytest

from arx_domains import check_each_line_once, focus
from dom0_shell import PROMPT, dom0_booted
from qemu_session import REPO

pytestmark = pytest.mark.guest_linux

DOM0_IP = "169.254.77.1"  # dom0 on xenbr0 (guests/dom0/init): nothing else is on it
MIB = 64
IO_DOMAINS = {"io1": ("169.254.77.11", "00:16:3e:77:00:11"),
              "io2": ("169.254.77.12", "00:16:3e:77:00:12")}
IO2_SECOND_IP, IO2_SECOND_MAC = "169.254.77.22", "00:16:3e:77:00:22"  # io2's eth1


def io_cfg(dom0, name, disks, ip, macs, memory=320):
    """An xl config for the guest Linux with `disks` and a vif on xenbr0 for each of `macs`;
    the first's address (eth0) the guest's init sets from arx.ip."""
    path = "/tmp/%s.cfg" % name
    dom0.write_cfg(path, name=name, kernel="/var/lib/arx/Image",
                   ramdisk="/var/lib/arx/domu-initramfs.cpio.gz", memory=memory, vcpus=1,
                   extra="console=hvc0 hostname=%s arx.ip=%s/24" % (name, ip), disk=disks,
                   vif=["bridge=xenbr0, mac=%s" % mac for mac in macs])
    return path


def start_io_domain(dom0, name, disks, ip, *macs):
    """xl create with disks and vifs, eth0 at `ip`; waits for its shell. Returns its id."""
    dom0.run("xl create %s" % io_cfg(dom0, name, disks, ip, macs), timeout=300)
    assert ip in dom0.in_domu(name, wait_for_address(ip), timeout=240)
    return dom0.domains()[name][0]


def wait_for_address(ip):
    """A command that waits up to 60 s for eth0 to have `ip` (the guest's init sets it in
    the background once the PV NIC appears), then shows eth0."""
    return ("i=0; until ip addr show eth0 2>/dev/null | grep -q 'inet %s/'; do "
            "[ $i -lt 300 ] || break; sleep 0.2; i=$((i+1)); done; ip addr show eth0" % ip)


def md5(text):
    found = re.findall(r"\b([0-9a-f]{32})\b", text)
    assert found, "no md5sum in %r" % text
    return found[-1]


# A domain arx starts at boot with a disk and a vif (configs/linux-io.cfg's disk and vif
# keys): once dom0's toolstack is up, arx-dom0less gives it a xenstore and attaches them.
# Its disk is the image dom0's init makes.
BOOT_IP, BOOT_MAC = "169.254.77.30", "00:16:3e:77:00:30"
BOOT_IMAGE = "/var/lib/arx/linux-io.img"


def boot_time_cfg(directory):
    """configs/linux-io.cfg, the example, named bt1, its paths made absolute."""
    text = (REPO / "configs" / "linux-io.cfg").read_text()
    text = text.replace('"../build/', '"%s/build/' % REPO).replace('"linux-io"', '"bt1"')
    text = text.replace("hostname=linux-io", "hostname=bt1")
    assert BOOT_IMAGE in text and BOOT_IP in text and BOOT_MAC in text
    path = directory / "bt1.cfg"
    path.write_text(text)
    return path


@pytest.fixture(scope="module", params=[(2, "c"), (3, "o")], ids=["gic2", "gic3"])
def dom0(request, tmp_path_factory, guest_linux):
    tmp = tmp_path_factory.mktemp("dom0-io")
    gic, xenstored = request.param
    with dom0_booted("dom0-io-gic%d" % gic, tmp, gic, xenstored, others=[boot_time_cfg(tmp)],
                     ready=[r"\(d1\) ARX-GUEST-READY"]) as shell:
        # io1: a 256 MiB file, a read-only file, and a loop device given as phy:.
        shell.run("truncate -s 256M /root/io1.img /root/io2.img && "
                  "dd if=/dev/urandom of=/root/ro.img bs=1M count=4 2>/dev/null && "
                  "truncate -s 16M /root/phy.img && losetup /dev/loop7 /root/phy.img")
        ip, mac = IO_DOMAINS["io1"]
        start_io_domain(shell, "io1", [
            "format=raw, vdev=xvda, access=rw, target=/root/io1.img",
            "format=raw, vdev=xvdb, access=ro, target=/root/ro.img",
            "phy:/dev/loop7,xvdc,w"], ip, mac)
        ip, mac = IO_DOMAINS["io2"]
        # io2: its disk, and one for tools/hostile-front to drive the backend of by hand.
        shell.run("truncate -s 4M /root/hostile.img")
        start_io_domain(shell, "io2", ["format=raw, vdev=xvda, access=rw, target=/root/io2.img",
                                       "format=raw, vdev=xvdb, access=rw, "
                                       "target=/root/hostile.img"], ip, mac, IO2_SECOND_MAC)
        yield shell


def test_backends_are_connected(dom0):
    store = dom0.run("xenstore-ls -f /local/domain/0/backend")
    for name in IO_DOMAINS:
        domid = dom0.domains()[name][0]
        assert re.search(r"backend/vbd/%d/51712/state = \"4\"" % domid, store), store
        assert re.search(r"backend/vif/%d/0/state = \"4\"" % domid, store), store
        assert re.search(r"backend/vif/%d/0/hotplug-status = \"connected\"" % domid, store)
    assert "vif" in dom0.run("ls /sys/class/net/xenbr0/brif")


def test_each_line_once_on_arx_console(dom0):
    """bt1 (console=hvc0: the PV console arx serves) prints every line once. (Dom0's are
    checked in test_dom0_toolstack: here `xl console` has shown the domUs' boot there.)"""
    check_each_line_once(dom0.vm, [1], back_to=0)


def test_boot_time_domain_has_its_disk_and_vif(dom0):
    """bt1, started by arx from the boot package with disk and vif keys, got a xenstore from
    dom0's toolstack and both devices: it writes its disk, dom0 reads the same bytes from
    the image, and it reaches dom0 and io1 over the bridge."""
    store = dom0.run("xenstore-ls -f /local/domain/0/backend")
    assert re.search(r"backend/vbd/1/51712/state = \"4\"", store), store
    assert re.search(r"backend/vif/1/0/state = \"4\"", store), store
    assert "bt1" in dom0.domains()
    vm = dom0.vm
    focus(vm, 1)  # bt1's console is arx's (its PV console), not xenconsoled's
    vm.sendline("")
    vm.expect(r"root@bt1:[^#\n]*# ", timeout=60)
    status, out = vm.shell("dd if=/dev/urandom bs=1M count=8 2>/dev/null | tee /dev/xvda | "
                           "md5sum && sync && %s && ping -c 2 -W 5 %s && ping -c 2 -W 5 %s" %
                           (wait_for_address(BOOT_IP), DOM0_IP, IO_DOMAINS["io1"][0]),
                           timeout=180)
    focus(vm, 0)
    vm.sendline("")
    vm.expect(PROMPT, timeout=60)
    assert status == 0, out
    assert out.count("2 packets transmitted, 2 packets received") == 2, out
    assert md5(dom0.run("dd if=%s bs=1M count=8 2>/dev/null | md5sum" % BOOT_IMAGE)) == md5(out)


def test_disk_file_system_round_trip(dom0):
    """64 MiB of random data through ext4 on xvda, read back after dropping caches, and
    the same bytes in the image file as dom0 sees it."""
    # /usr/sbin/mke2fs is e2fsprogs' (domu-tools.cpio.gz); busybox has a smaller one.
    out = dom0.in_domu("io1", "/usr/sbin/mke2fs -q -F -t ext4 /dev/xvda && mount /dev/xvda "
                       "/mnt && "
                       "dd if=/dev/urandom bs=1M count=%d 2>/dev/null | tee /mnt/data | md5sum "
                       "&& sync" % MIB, timeout=600)
    written = md5(out)
    out = dom0.in_domu("io1", "echo 3 > /proc/sys/vm/drop_caches && md5sum /mnt/data && "
                       "stat -c %s /mnt/data && umount /mnt", timeout=600)
    assert md5(out) == written
    assert str(MIB << 20) in out
    # dom0 reads the file out of the image file itself (e2fsprogs' debugfs).
    out = dom0.run("debugfs -R 'cat /data' /root/io1.img 2>/dev/null | md5sum", timeout=300)
    assert md5(out) == written


def test_read_only_disk_refuses_writes(dom0):
    expected = md5(dom0.run("md5sum /root/ro.img"))
    out = dom0.in_domu("io1", "cat /sys/block/xvdb/ro; md5sum /dev/xvdb; echo ---; "
                       "dd if=/dev/zero of=/dev/xvdb bs=4k count=1 conv=fsync 2>&1; "
                       "echo dd-status=$?")
    assert re.search(r"^1$", out, re.MULTILINE), out
    assert md5(out.split("---")[0]) == expected
    assert "dd-status=0" not in out, out
    assert md5(dom0.run("md5sum /root/ro.img")) == expected


def test_phy_disk_is_the_loop_device(dom0):
    out = dom0.in_domu("io1", "dd if=/dev/urandom bs=1M count=8 2>/dev/null | tee /dev/xvdc | "
                       "md5sum && sync")
    written = md5(out)
    out = dom0.run("dd if=/dev/loop7 bs=1M count=8 2>/dev/null | md5sum")
    assert md5(out) == written


def test_vifs_have_their_mac_and_ping(dom0):
    ip1, mac1 = IO_DOMAINS["io1"]
    ip2, mac2 = IO_DOMAINS["io2"]
    out = dom0.in_domu("io1", "cat /sys/class/net/eth0/address; ping -c 3 -W 5 %s && "
                       "ping -c 3 -W 5 %s" % (ip2, DOM0_IP))
    assert mac1 in out
    assert out.count("3 packets transmitted, 3 packets received") == 2, out
    # io2's second vif is its eth1, with its own MAC; given an address, it answers too.
    out = dom0.in_domu("io2", "cat /sys/class/net/eth0/address /sys/class/net/eth1/address; "
                       "ip addr add %s/24 dev eth1 && ip link set eth1 up" % IO2_SECOND_IP)
    assert mac2 in out and IO2_SECOND_MAC in out, out
    out = dom0.run("ping -c 3 -W 5 %s && ping -c 3 -W 5 %s" % (ip2, IO2_SECOND_IP))
    assert out.count("3 packets transmitted, 3 packets received") == 2, out
    assert re.search(r"vif\d+\.1", dom0.run("ls /sys/class/net/xenbr0/brif"))


def tcp_transfer(dom0, receiver, sender, sender_ip):
    """MIB MiB of random data from sender to receiver over TCP (busybox's httpd serves a
    file, wget fetches it: HTTP knows where the data ends, so every byte is counted); the
    checksums on both sides. Then 16 MiB with iperf3, which measures but checks nothing.
    receiver/sender: a domU name, or None for dom0."""
    def at(who, command, timeout=120):
        if who is None:
            return dom0.run(command, timeout=timeout)
        return dom0.in_domu(who, command, timeout=timeout)
    out = at(sender, "mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/tx bs=1M count=%d "
             "2>/dev/null && md5sum /tmp/www/tx && httpd -p 8080 -h /tmp/www && "
             "iperf3 -s -1 -D" % MIB)
    sent = md5(out)
    out = at(receiver, "wget -q -O - http://%s:8080/tx | md5sum && "
             "iperf3 -c %s -n 16M" % (sender_ip, sender_ip), timeout=900)
    received = md5(out.split("Connecting")[0])
    assert re.search(r"receiver", out) and "iperf Done" in out, out
    at(sender, "killall httpd; rm -rf /tmp/www")
    return sent, received


def test_tcp_between_domus(dom0):
    sent, received = tcp_transfer(dom0, "io1", "io2", IO_DOMAINS["io2"][0])
    assert sent == received


def test_tcp_from_domu_to_dom0(dom0):
    sent, received = tcp_transfer(dom0, None, "io2", IO_DOMAINS["io2"][0])
    assert sent == received


def test_destroy_mid_io_leaves_everyone_healthy(dom0):
    """A third domU streams to its disk and over TCP to io1; `xl destroy` in the middle.
    Afterwards its backends, loop device, vif and hotplug state are gone, arx has given
    back all of it (its 'gone' line: no page left mapped by dom0), xl info's free memory is
    what it was, and io1 still works."""
    free_before = dom0.free_memory()
    dom0.run("truncate -s 128M /root/io3.img")
    domid = start_io_domain(dom0, "io3", ["format=raw, vdev=xvda, access=rw, "
                                          "target=/root/io3.img"],
                            "169.254.77.13", "00:16:3e:77:00:13")
    dom0.in_domu("io1", "iperf3 -s -1 -D -I /tmp/iperf3.pid && sleep 1")
    # It rewrites its first 32 MiB over and over: busy until destroyed, however fast the
    # disk is, and never more of dom0's tmpfs than that (a full tmpfs fails every disk).
    dom0.in_domu("io3", "(while :; do dd if=/dev/urandom of=/dev/xvda bs=1M count=32 "
                 "conv=fsync; done >/dev/null 2>&1 &); (iperf3 -c %s -t 120 >/dev/null 2>&1 &); "
                 "sleep 8; grep xvda /proc/diskstats" % IO_DOMAINS["io1"][0], timeout=120)
    dom0.run("xl destroy io3", timeout=120)
    dom0.wait_for(lambda d: "io3" not in d, "io3 gone")
    # The backends' store entries and the hotplug scripts' work are undone.
    end = time.monotonic() + 60
    while True:
        store = dom0.run("xenstore-ls -f /local/domain/0/backend 2>/dev/null; "
                         "losetup -a; ls /sys/class/net")
        leftovers = [s for s in ("backend/vbd/%d/" % domid, "backend/vif/%d/" % domid,
                                 "/root/io3.img", "vif%d.0" % domid) if s in store]
        if not leftovers or time.monotonic() > end:
            break
        time.sleep(2)
    assert not leftovers, "left behind: %s\n%s" % (leftovers, store)
    log = dom0.run("xl dmesg | grep 'domain %d '" % domid)
    assert re.search(r"arx: domain %d gone; \d+ pages free" % domid, log), log
    assert dom0.free_memory() == free_before
    dom0.run("rm -f /root/io3.img")  # dom0's RAM: its file system is a tmpfs
    # The others are fine: dom0 answers (this), io1 reaches dom0 and io2.
    out = dom0.in_domu("io1", "killall iperf3; ping -c 2 -W 5 %s && ping -c 2 -W 5 %s" %
                       (DOM0_IP, IO_DOMAINS["io2"][0]))
    assert out.count("2 packets transmitted, 2 packets received") == 2, out


def test_hostile_frontend_gets_errors(dom0):
    """tools/hostile-front takes io2's xvdb from blkfront and drives blkback by hand with bad
    grant refs, a read-only grant, too many segments, bad sector ranges, an unknown and an
    oversized indirect operation, and a producer index far past the ring: each answered
    with an error (the ring overrun: no answer, the ring halted), valid reads answered
    before and after. dom0, arx and the other domains go on as before."""
    out = dom0.in_domu("io2", "echo vbd-51728 > /sys/bus/xen/drivers/vbd/unbind && "
                       "hostile-front 51728", timeout=180, ok=False)
    cases = re.findall(r"HOSTILE-FRONT case (\S+): .* (ok|FAILED)$", out, re.MULTILINE)
    assert len(cases) == 12, out
    assert all(verdict == "ok" for _, verdict in cases), out
    assert "hostile-front: 12 passed, 0 failed" in out, out
    # dom0's kernel is healthy, its backends serve the others, arx's domains are all there.
    log = dom0.run("dmesg")
    assert not re.search(r"Oops|BUG:|Call trace|panic", log), log
    assert {"Domain-0", "io1", "io2"} <= set(dom0.domains())
    out = dom0.in_domu("io1", "dd if=/dev/xvda bs=1M count=4 2>/dev/null | md5sum && "
                       "ping -c 2 -W 5 %s" % DOM0_IP)
    assert "2 packets transmitted, 2 packets received" in out, out



def test_xl_example_with_disk_and_vif(dom0):
    """dom0's /etc/xen/arx/linux-io.cfg: one `xl create` gives a domU a disk and a network."""
    dom0.run("xl create /etc/xen/arx/linux-io.cfg", timeout=300)
    out = dom0.in_domu("linux-io", "%s && cat /sys/block/xvda/size && ping -c 2 -W 5 %s" %
                       (wait_for_address("169.254.77.20"), DOM0_IP), timeout=240)
    assert "inet 169.254.77.20/24" in out and str(256 << 11) in out, out
    assert "2 packets transmitted, 2 packets received" in out, out
    dom0.run("xl destroy linux-io", timeout=120)
    dom0.wait_for(lambda d: "linux-io" not in d, "linux-io gone")
