"""One patient-facing kiosk per data folder: an OS file lock held for the process's life.

Two kiosks on one database would each believe the other's autosaved patient
crashed and hand that session to staff as "abandoned" mid-intake. The lock is
an advisory OS lock (`flock` on POSIX, `msvcrt.locking` on Windows) on
`kiosk.lock` in the data folder; the OS drops it when the process ends, even
on kill -9, so a stale file never blocks the next start. The file holds the
owner's pid, for the message a second start prints.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = "kiosk.lock"
_PID_OFFSET = 16  # Windows locks byte 0; the pid lives past it so a second process can still read it


class AlreadyRunning(Exception):
    """Another kiosk process holds the data folder."""

    def __init__(self, data_dir: Path, pid: int | None) -> None:
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"the kiosk is already running on {data_dir} ({who}); "
                         "close it first, or use another --data-dir")
        self.data_dir = data_dir
        self.pid = pid


class InstanceLock:
    """`acquire()` or `try_acquire()`; `release()` (or process exit) lets the next kiosk start."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if not self.try_acquire():
            raise AlreadyRunning(self.data_dir, self.owner_pid())

    def try_acquire(self) -> bool:
        """Take the lock without waiting; False if another process (or another lock object here) holds it."""
        if self._fd is not None:
            return True
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            if not _lock(fd):
                os.close(fd)
                return False
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        try:
            os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
            os.write(fd, f"{os.getpid():<20}\n".encode("ascii"))
            os.ftruncate(fd, _PID_OFFSET + 21)
        except OSError as exc:  # the pid is only for the message; the lock itself is what counts
            log.warning("could not write the pid into %s (%s)", self.path, exc.strerror)
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def owner_pid(self) -> int | None:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(_PID_OFFSET)
                text = handle.read(32).decode("ascii", "replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def __enter__(self) -> "InstanceLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import errno
    import fcntl

    def _lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
