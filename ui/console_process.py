"""The kiosk's side of the staff console: start `naltrexone-kiosk console` as a child process and wait for it.

The patient-facing process never unlocks anything, so it never holds the
master secret, the data or index key or a private key. While the console
process runs the kiosk window is hidden; when the child says `unlocked` the
patient session in progress is abandoned (kept for staff per the settings);
when the child ends (staff locked, or cancelled the sign-in) the kiosk comes
back, with the settings staff may have changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal, Slot
from PySide6.QtWidgets import QWidget

from kiosk.system.paths import program_command

log = logging.getLogger(__name__)

UNLOCKED = b"unlocked"


def run_setup_process(command: list[str]) -> int:
    """First-run setup in a console process of its own (before the kiosk shows anything); its exit code."""
    import subprocess

    try:
        return subprocess.run([*command, "--setup-only"], check=False).returncode
    except OSError as exc:
        log.error("first-run setup could not be started: %s", exc)
        return -1


def console_command(data_dir: Path, content: Path | None, windowed: bool) -> list[str]:
    """`naltrexone-kiosk console` as this same program runs it: from a checkout, a wheel or a PyInstaller bundle."""
    line = [*program_command(), "console", "--data-dir", str(data_dir)]
    if content is not None:
        line += ["--content", str(content)]
    return line + (["--windowed"] if windowed else [])


class ConsoleProcess(QObject):
    """`request_unlock()` starts the console process (once at a time); `closed` fires when it has ended.

    One QProcess serves every unlock, started again each time, and lives as long
    as this object: it is never deleted from inside its own `finished` signal,
    which crashed the kiosk (SIGBUS in ~QObject) when the speech probe did it.
    """

    opened = Signal()
    closed = Signal()

    def __init__(self, command: list[str], kiosk: QWidget, abandon: Callable[[], None],
                 show_kiosk: Callable[[], None]) -> None:
        super().__init__(kiosk)
        self.command = command
        self.kiosk = kiosk
        self.abandon = abandon
        self.show_kiosk = show_kiosk
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed)
        self._running = False
        self._pending = b""
        self.exit_codes: list[int] = []

    @property
    def running(self) -> bool:
        return self._running

    def request_unlock(self) -> None:
        if self._running:
            return
        self._running = True
        self._pending = b""
        self.process.setProgram(self.command[0])
        self.process.setArguments(self.command[1:])
        self.kiosk.hide()
        self.process.start()

    @Slot()
    def _read(self, last: bool = False) -> None:
        self._pending += bytes(self.process.readAllStandardOutput())
        *lines, self._pending = self._pending.split(b"\n")
        if last:  # the run ended: its last line counts without a newline, and nothing is left for the next run
            lines, self._pending = [*lines, self._pending], b""
        if any(line.strip() == UNLOCKED for line in lines):
            self.abandon()
            self.opened.emit()

    @Slot(QProcess.ProcessError)
    def _failed(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:  # no `finished` follows
            log.error("the staff console could not be started: %s", self.process.errorString())
            self._finished(-1, QProcess.ExitStatus.CrashExit)

    @Slot(int, QProcess.ExitStatus)
    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        if not self._running:
            return
        self._read(last=True)
        self._running = False
        error = bytes(self.process.readAllStandardError()).decode("utf-8", "replace").strip()
        if code != 0:
            log.error("the staff console ended with code %s: %s", code, error[-500:])
        self.exit_codes.append(code)
        self.show_kiosk()
        self.closed.emit()


def attach_console_process(window: QWidget, abandon: Callable[[], None], command: list[str],
                           show_kiosk: Callable[[], None]) -> ConsoleProcess:
    """Connect the kiosk window's hidden staff exit to the console process (the composition root's part)."""
    flow = ConsoleProcess(command, window, abandon, show_kiosk)
    window.staff_exit_requested.connect(flow.request_unlock)
    window.staff_flow = flow
    return flow
