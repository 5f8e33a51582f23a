"""The kiosk's log file: `logs/kiosk.log` in the data directory, size-bounded, and never a word a patient wrote.

Why a log at all: staff and whoever supports the clinic need to see that the
kiosk started, which version, and what failed (a full disk, a dead printer).
Why it is careful: the data is 42 CFR Part 2 / HIPAA material, and a log file
is copied, mailed and kept far more loosely than the sealed database. So:

- code logs events and exception *types*, never answers (see kiosk/patient/intake.py);
- the formatter drops exception *messages* and keeps only the type and where it
  happened, because a message may quote the value that failed (a name, a note);
- the file rotates at `MAX_BYTES`, `BACKUPS` old files kept, so it cannot fill a disk.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

LOG_DIR = "logs"
LOG_FILE = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class WithheldMessageFormatter(logging.Formatter):
    """Formats tracebacks as exception types and code locations only; the message text is withheld."""

    def format(self, record: logging.LogRecord) -> str:
        # logging caches the first handler's traceback text on the record; never reuse one that holds the message
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 - logging's name
        lines = ["Traceback (exception messages withheld: they can quote patient data):"]
        seen: set[int] = set()
        exc: BaseException | None = ei[1]
        chain: list[BaseException] = []
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            chain.append(exc)
            exc = exc.__cause__ or exc.__context__
        for position, error in enumerate(reversed(chain)):
            if position:
                lines.append("  ...which led to:")
            for frame in traceback.extract_tb(error.__traceback__):
                lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            lines.append(f"{type(error).__module__}.{type(error).__qualname__}")
        return "\n".join(lines)


class CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (as logging's own last-resort handler does), not the one at set-up."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self):  # the stream logging writes to: always the current stderr
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass

    def filter(self, record: logging.LogRecord) -> bool:  # type: ignore[override]
        """Records marked `extra=FILE_ONLY` (a traceback the user was already told about in one line) skip stderr."""
        return not getattr(record, "file_only", False) and bool(super().filter(record))


FILE_ONLY = {"file_only": True}


class RotatingLogFile(logging.FileHandler):
    """The log file, moved to `.1` (and `.1` to `.2`...) before a record would take it past `max_bytes`; `backups`
    old files are kept. Every file it opens is owner-only from its creation, the fresh one after a rotation too.

    (logging.handlers' RotatingFileHandler rotates the same way, but its module loads socket and selectors for its
    network handlers, a few milliseconds of every start, and it makes each new file with the process's umask.)
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        self.max_bytes = max_bytes
        self.backups = backups
        super().__init__(path, encoding="utf-8")

    def _open(self) -> io.TextIOWrapper:  # logging's own hook for opening the stream
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115 - the handler owns it

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._would_overflow(record):
                self._rotate()
        except Exception:  # noqa: BLE001 - logging's rule: a failing handler reports on stderr, never raises
            self.handleError(record)
            return
        super().emit(record)

    def _would_overflow(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0 or not os.path.isfile(self.baseFilename):
            return False  # unbounded, or not a regular file (/dev/null): nothing to rotate
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() + len(f"{self.format(record)}{self.terminator}") >= self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        for number in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{number + 1}")
        if self.backups > 0:
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        else:
            open(self.baseFilename, "w").close()  # noqa: SIM115 - no backups kept: start the file again
        self.stream = self._open()


def _our_handler(handler: logging.Handler) -> bool:
    return getattr(handler, "_kiosk_log", False)


def log_file(data_dir: Path) -> Path:
    return data_dir / LOG_DIR / LOG_FILE


def setup_logging(data_dir: Path | None, level: int = logging.INFO) -> Path | None:
    """Log to `<data dir>/logs/kiosk.log` and warnings to stderr; returns the file, or None when it cannot be written.

    A log that cannot be written never stops the kiosk or a subcommand: the
    problem is said once on stderr and the program goes on. Calling it again
    (tests, a second start in one process) replaces the handlers, never doubles them.
    """
    from kiosk.system.paths import default_data_dir

    root = logging.getLogger()
    for handler in [h for h in root.handlers if _our_handler(h)]:
        root.removeHandler(handler)
        handler.close()
    formatter = WithheldMessageFormatter(FORMAT)
    console = CurrentStderr()
    console.setLevel(logging.WARNING)
    handlers: list[logging.Handler] = [console]
    path: Path | None = log_file(Path(data_dir) if data_dir is not None else default_data_dir())
    try:
        path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data folder is owner-only
        path.parent.mkdir(mode=0o700, exist_ok=True)
        handlers.append(RotatingLogFile(path, MAX_BYTES, BACKUPS))
        if os.name == "posix":
            path.chmod(0o600)
    except OSError as exc:
        print(f"naltrexone-kiosk: no log file, {path.parent} cannot be written ({exc.strerror}); going on without it.",
              file=sys.stderr)
        path = None
    for handler in handlers:
        handler.setFormatter(formatter)
        handler._kiosk_log = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    return path
