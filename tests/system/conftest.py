"""Fixtures shared by arx's system tests (QEMU-based)."""

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qemu_session import REPO, QemuSession  # noqa: E402

GUEST_DIR = REPO / "build" / "guests" / "linux"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "guest_linux: needs the guest Linux (built by scripts/build-guest-linux)")


class GuestLinux:
    """The built guest: kernel Image, initramfs and the VERSION text."""

    def __init__(self, directory):
        self.image = directory / "Image"
        self.initrd = directory / "initramfs.cpio.gz"
        self.version = (directory / "VERSION").read_text()


@pytest.fixture(scope="session")
def guest_linux():
    """Builds the guest Linux if needed (quick when it is built already)."""
    subprocess.run([str(REPO / "scripts" / "build-guest-linux")], cwd=str(REPO),
                   check=True, timeout=1800)
    return GuestLinux(GUEST_DIR)


@pytest.fixture
def qemu(request):
    """Starts QemuSessions logged under the test's name and stops them at the end:
    qemu(args_of_scripts_qemu, **QemuSession_keywords)."""
    sessions = []

    def start(args, **kwargs):
        name = request.node.name
        if sessions:
            name += "-%d" % (len(sessions) + 1)
        session = QemuSession(args, name, **kwargs)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()
