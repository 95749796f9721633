"""Drive QEMU (through scripts/qemu) from a system test, with pexpect.

    with QemuSession(["--native", "--gic", "3", "--kernel", image, ...], "my-test") as vm:
        vm.expect_exact("ARX-GUEST-READY", timeout=120)
        status, out = vm.shell("nproc")
        vm.sendline("poweroff")
        assert vm.wait_exit(timeout=60) == 0

Every wait is bounded twice: by its own timeout and by the session's hard timeout
(counted from the start).  The whole console transcript, what the machine printed and
the echo of what was typed, goes to build/test-logs/<name>.log.
"""

import os
import re
import time
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parents[2]
QEMU_SCRIPT = REPO / "scripts" / "qemu"
LOG_DIR = REPO / "build" / "test-logs"

# Terminal control sequences (busybox's line editor asks for the cursor position at
# every prompt, for one), and what arx sends to reset the terminal when it takes the
# console from a guest (CAN, SI/SO, a character set), removed from shell() output.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|[\x0e\x0f\x18]")
# Under arx, each line a domain prints starts with its tag, "(d1) ".
_TAG = re.compile(r"^\(d\d+\) ", re.MULTILINE)


class QemuTimeout(AssertionError):
    """A wait on the console timed out or QEMU exited early; the message ends with the
    last lines of the transcript."""


def log_name(name):
    """A file name made of a test's name: test_x[gic2] -> test_x-gic2."""
    name = name.replace("[", "-").replace("]", "")
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", name)


class QemuSession:
    """One QEMU run on a pseudo-terminal.

    qemu_args: the arguments of scripts/qemu (or of `program`, when given).
    name: names the log file, build/test-logs/<name>.log.
    hard_timeout: seconds after which every wait fails, whatever its own timeout.
    program: what to run instead of scripts/qemu (e.g. scripts/run-native).
    env: extra environment variables.
    """

    def __init__(self, qemu_args, name, hard_timeout=600, program=QEMU_SCRIPT, env=None):
        self.args = [str(a) for a in qemu_args]
        self.start = time.monotonic()
        self.deadline = self.start + hard_timeout
        self.exit_status = None
        self._marker = 0
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / (log_name(name) + ".log")
        self._log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self._log.write("# %s %s\n" % (os.path.relpath(str(program), REPO),
                                        " ".join(repr(a) if " " in a else a for a in self.args)))
        self._log.flush()
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.child = pexpect.spawn(str(program), self.args, cwd=str(REPO), env=full_env,
                                   encoding="utf-8", codec_errors="replace",
                                   timeout=hard_timeout, dimensions=(50, 200))
        self.child.logfile_read = self._log

    # ------------------------------------------------------------------ waiting
    def elapsed(self):
        """Seconds since QEMU was started."""
        return time.monotonic() - self.start

    def _bounded(self, timeout):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise QemuTimeout("hard timeout of the QEMU session passed" + self._tail())
        return left if timeout is None else min(timeout, left)

    def _tail(self, lines=25):
        self._log.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        tail = _ANSI.sub("", text).replace("\r", "").split("\n")[-lines:]
        return "\n--- last console lines (%s) ---\n%s" % (self.log_path, "\n".join(tail))

    def _expect(self, how, pattern, timeout):
        what = pattern if isinstance(pattern, str) else getattr(pattern, "pattern", pattern)
        try:
            return how(pattern, timeout=self._bounded(timeout))
        except pexpect.TIMEOUT:
            raise QemuTimeout("timed out after %.0f s waiting for %r" % (self.elapsed(), what)
                              + self._tail()) from None
        except pexpect.EOF:
            raise QemuTimeout("QEMU exited (status %s) while waiting for %r"
                              % (self._reap(), what) + self._tail()) from None

    def expect(self, pattern, timeout=None):
        """Wait for a regular expression (or a list of them); returns pexpect's index.
        self.match and self.before are set as pexpect sets them."""
        return self._expect(self.child.expect, pattern, timeout)

    def expect_exact(self, text, timeout=None):
        """Wait for a plain string (or a list of them); returns pexpect's index."""
        return self._expect(self.child.expect_exact, text, timeout)

    @property
    def match(self):
        return self.child.match

    @property
    def before(self):
        return self.child.before

    def transcript(self):
        """The whole console transcript so far, as in the log (control sequences kept)."""
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def note(self, text):
        """Write a line of the test's own into the log, marked with '# arx-test:'."""
        self._log.write("\n# arx-test: %s\n" % text)
        self._log.flush()

    # ------------------------------------------------------------------ typing
    def send(self, text):
        self.child.send(text)

    def sendline(self, line=""):
        self.child.sendline(line)

    def shell(self, command, timeout=30):
        """Run one command line at the shell prompt on the console; returns (exit status,
        output), the output with \n line ends and without terminal control sequences.

        The command is typed between two echo commands of a marker, written with "" in
        its middle so that the echo of the typed line never looks like the printed
        marker: the output is exactly what is printed between the two markers (kernel
        messages printed meanwhile included), without the tags arx puts on the lines
        of a domain's output.
        """
        self._marker += 1
        mark = "@ARX%d@" % self._marker
        typed = '%s""%s' % (mark[:4], mark[4:])
        self.sendline("echo %s; %s; echo %s$?" % (typed, command, typed))
        self.expect(re.escape(mark) + r"\r*\n", timeout)
        self.expect(re.escape(mark) + r"(\d+)\r*\n", timeout)
        status = int(self.match.group(1))
        return status, _TAG.sub("", _ANSI.sub("", self.before).replace("\r", ""))

    # ------------------------------------------------------------------ ending
    def _reap(self):
        """QEMU's exit status once it has exited, else None: the code it exited with,
        or minus the number of the signal that ended it."""
        if self.exit_status is None and not self.child.isalive():
            if self.child.signalstatus is not None:
                self.exit_status = -self.child.signalstatus
            else:
                self.exit_status = self.child.exitstatus
        return self.exit_status

    def wait_exit(self, timeout=60):
        """Wait for QEMU to exit by itself (reading the console to the end) and return its
        exit status (minus the signal number if a signal ended it)."""
        try:
            self.child.expect(pexpect.EOF, timeout=self._bounded(timeout))
        except pexpect.TIMEOUT:
            raise QemuTimeout("QEMU did not exit within %s s" % timeout + self._tail()) from None
        end = time.monotonic() + 10
        while self._reap() is None:
            if time.monotonic() > end:
                raise QemuTimeout("QEMU closed its console but did not exit" + self._tail())
            time.sleep(0.05)
        return self.exit_status

    def close(self):
        """Stop QEMU if it still runs (SIGHUP, SIGINT, then SIGKILL) and close the log."""
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)
        self._reap()
        if not self._log.closed:
            self._log.write("\n# QEMU exit status: %s\n" % self.exit_status)
            self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
