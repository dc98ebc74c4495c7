"""`SyncLock`: one sync per store across threads (thread lock) and processes (OS file lock)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fieldapp.sync.errors import SyncBusy
from fieldapp.sync.lock import SyncLock

REPO = Path(__file__).resolve().parents[3]
HOLDER = (
    "import sys\n"
    "from pathlib import Path\n"
    "from fieldapp.sync.lock import SyncLock\n"
    "with SyncLock(Path(sys.argv[1])).hold():\n"
    "    print('held', flush=True)\n"
    "    sys.stdin.readline()\n"
    "print('released', flush=True)\n"
)


class Attempt(threading.Thread):
    """`SyncLock(folder).hold(wait_s)` on another thread; holds until `release` is set."""

    def __init__(self, folder: Path, wait_s: float) -> None:
        super().__init__(daemon=True)
        self.folder, self.wait_s = folder, wait_s
        self.acquired = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with SyncLock(self.folder).hold(self.wait_s):
                self.acquired.set()
                self.release.wait(30)
        except BaseException as exc:
            self.error = exc

    def busy(self) -> bool:
        """Run to the end without holding on; True when it was refused with SyncBusy. (On a
        thread: a hold that never gives up fails the test instead of hanging it.)"""
        self.release.set()
        self.start()
        self.join(30)
        return isinstance(self.error, SyncBusy) and not self.acquired.is_set()

    def finish(self) -> None:
        self.release.set()
        self.join(30)
        assert not self.is_alive()


@contextmanager
def holder_process(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process that holds the lock on `folder` until a line arrives on its stdin.
    Always killed on the way out."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line != "held\n":
                proc.kill()
                _, err = proc.communicate(timeout=30)
                pytest.fail(f"the holder process did not take the lock: {line!r} {err}")
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)


def test_one_hold_at_a_time_and_free_again_after_release(tmp_path: Path) -> None:
    lock = SyncLock(tmp_path)
    with lock.hold():
        assert lock.path.exists()
    with lock.hold():  # released: a second sync may start
        pass


def test_the_lock_is_released_when_the_sync_fails(tmp_path: Path) -> None:
    lock = SyncLock(tmp_path)
    with pytest.raises(RuntimeError), lock.hold():
        raise RuntimeError("sync blew up")
    with lock.hold():
        pass


def test_a_nested_hold_in_the_same_thread_is_busy_not_a_deadlock(tmp_path: Path) -> None:
    with SyncLock(tmp_path).hold(), pytest.raises(SyncBusy), SyncLock(tmp_path).hold():
        pass


def test_a_second_hold_in_another_thread_is_busy(tmp_path: Path) -> None:
    with SyncLock(tmp_path).hold():
        assert Attempt(tmp_path, wait_s=0.0).busy()


def test_other_folders_are_not_blocked(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    with SyncLock(tmp_path / "a").hold():
        other = Attempt(tmp_path / "b", wait_s=0.0)
        other.start()
        assert other.acquired.wait(10)
        other.finish()
        assert other.error is None


def test_a_waiting_hold_gets_the_lock_when_the_first_is_released(tmp_path: Path) -> None:
    first = Attempt(tmp_path, wait_s=0.0)
    first.start()
    assert first.acquired.wait(10)
    second = Attempt(tmp_path, wait_s=30.0)
    second.start()
    assert not second.acquired.wait(0.3)  # still held by the first
    first.finish()
    assert second.acquired.wait(10)
    second.finish()
    assert first.error is None and second.error is None


def test_a_waiting_hold_gives_up_after_wait_s(tmp_path: Path) -> None:
    with SyncLock(tmp_path).hold():
        assert Attempt(tmp_path, wait_s=0.2).busy()


def test_another_process_holding_the_lock_makes_hold_busy(tmp_path: Path) -> None:
    with holder_process(tmp_path):
        refused = Attempt(tmp_path, wait_s=0.0)
        assert refused.busy()
        assert "another program" in str(refused.error)
        assert Attempt(tmp_path, wait_s=0.3).busy()  # polls, then gives up


def test_the_lock_is_free_after_the_holding_process_is_killed(tmp_path: Path) -> None:
    with holder_process(tmp_path) as proc:
        assert Attempt(tmp_path, wait_s=0.0).busy()
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        with SyncLock(tmp_path).hold():  # the OS dropped the dead process's lock
            pass


def test_a_waiting_hold_gets_the_lock_when_the_other_process_releases_it(tmp_path: Path) -> None:
    with holder_process(tmp_path) as proc:
        waiting = Attempt(tmp_path, wait_s=30.0)
        waiting.start()
        assert not waiting.acquired.wait(0.3)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("done\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == "released\n"
        assert waiting.acquired.wait(10)
        waiting.finish()
        assert waiting.error is None
