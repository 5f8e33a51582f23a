"""Read aloud from the kiosk's side: the speech engine runs in a process of its own (ui/speech_child.py).

The window gets a `SpeechProcess` once that process says it is ready; when the
process dies or hangs the window gets None (the read-aloud button hides) and the
process is started again, a few times at most. Only the screen's text is sent.
This module loads no speech plug-in: the kiosk stays small and survives the engine.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment, QTimer, Slot

from kiosk.cli import SPEECH_CHILD

log = logging.getLogger(__name__)

OPEN_TIMEOUT_MS = 20_000  # speech-dispatcher lists every voice on opening: seconds on a slow machine
RESTART_AFTER_MS = 3_000
MAX_STARTS = 3  # the first start and two more after a crash or a hang; then read aloud stays off
STOP_WAIT_MS = 1_000
_RUNNING: set[SpeechProcess] = set()  # kept alive here, not by a Qt parent: see SpeechProcess.stop


class SpeechProcess(QObject):
    """The read-aloud process and the window's handle on it: `say`, `forget`, `voices`, as the in-process Speech.

    It has no Qt parent: a QProcess destroyed with its parent while still running
    only warns. It is stopped (stdin closed, then killed) when its owner is
    destroyed or the application quits, and the child ends by itself with the kiosk.
    """

    def __init__(self, preferred: str, ready: Callable[[object | None], None], owner: QObject,
                 program: list[str]) -> None:
        super().__init__()
        self.preferred, self.ready, self.program = preferred, ready, program
        self.engine_name = ""
        self.last: tuple[str, str] | None = None  # (language, text): only the current patient's last request
        self._voices: dict[str, list[str]] = {}
        self.starts = 0
        self.available = False  # the window holds this object (the button shows)
        self.reported = False  # the window was told at least once
        self.stopping = False
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("KIOSK_SPEECH_PARENT", str(os.getpid()))  # the child checks it outlived no one
        self.process.setProcessEnvironment(environment)
        self.process.readyReadStandardOutput.connect(self.read_lines)
        self.process.finished.connect(self.ended)
        self.process.errorOccurred.connect(self.failed_to_start)
        self.limit = QTimer(self)
        self.limit.setSingleShot(True)
        self.limit.timeout.connect(self.hung)
        self.again = QTimer(self)
        self.again.setSingleShot(True)
        self.again.timeout.connect(self.start)
        _RUNNING.add(self)
        owner.destroyed.connect(self.stop)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    # -- the window's side -----------------------------------------------------------

    def say(self, text: str, language: str) -> None:
        self.last = (language, text)
        self._send({"say": text, "language": language})

    def forget(self) -> None:
        """Stop talking and drop the last text: it may hold the previous patient's screen."""
        self.last = None
        self._send({"stop": True})

    def voices(self, language: str) -> list[str]:
        """Names of the voices that read `language`, as the process listed them when it opened the engine."""
        return list(self._voices.get(language, []))

    def pid(self) -> int:
        return int(self.process.processId())

    # -- the process -----------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        if self.stopping or self.process.state() != QProcess.ProcessState.NotRunning:
            return
        self.starts += 1
        self.process.start(self.program[0], [*self.program[1:], SPEECH_CHILD, self.preferred])
        self.limit.start(OPEN_TIMEOUT_MS)

    @Slot()
    def stop(self) -> None:
        """At exit, or when the window goes: the process ends now; nothing is restarted."""
        if self.stopping:
            return
        self.stopping = True
        self.limit.stop()
        self.again.stop()
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.closeWriteChannel()  # the child's stdin ends: it quits by itself
            if not self.process.waitForFinished(STOP_WAIT_MS):
                self.process.kill()
                self.process.waitForFinished(STOP_WAIT_MS)

    def _send(self, message: dict) -> None:
        if self.process.state() == QProcess.ProcessState.Running:
            self.process.write((json.dumps(message, ensure_ascii=True) + "\n").encode("ascii"))

    @Slot()
    def read_lines(self) -> None:
        while self.process.canReadLine():
            line = bytes(self.process.readLine().data()).decode("utf-8", errors="replace").strip()
            try:
                message = json.loads(line) if line else {}
            except ValueError:
                continue  # not ours (a library writing to stdout): ignored
            if not isinstance(message, dict):
                continue
            if "ready" in message and not self.stopping:
                self.limit.stop()
                self.engine_name = str(message["ready"])
                voices = message.get("voices")
                self._voices = voices if isinstance(voices, dict) else {}
                self.available = self.reported = True
                self.ready(self)
            elif "failed" in message:
                log.warning("read aloud: %s", message["failed"])

    @Slot()
    def hung(self) -> None:
        log.warning("read aloud is off: the speech engine did not open within %d s", OPEN_TIMEOUT_MS // 1000)
        self.process.kill()  # `ended` follows

    @Slot(QProcess.ProcessError)
    def failed_to_start(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.limit.stop()
            log.warning("read aloud is off: its process could not start (%s)", self.process.errorString())
            self._lost()

    @Slot(int, QProcess.ExitStatus)
    def ended(self, code: int, status: QProcess.ExitStatus) -> None:
        self.limit.stop()
        if self.stopping:
            return
        if status == QProcess.ExitStatus.CrashExit:
            log.warning("read aloud is off: its process ended (crash)")
        else:
            log.warning("read aloud is off: its process ended (exit %d)", code)
        self._lost()

    def _lost(self) -> None:
        if self.available or not self.reported:
            self.available, self.reported = False, True
            self.ready(None)
        if self.starts < MAX_STARTS and not self.stopping:
            self.again.start(RESTART_AFTER_MS)


@atexit.register
def _stop_all() -> None:
    """A program that ends without leaving Qt's event loop (a script, a test run) still ends its read-aloud process."""
    for speech in list(_RUNNING):
        speech.stop()


def make_speech_later(preferred: str, ready: Callable[[object | None], None], owner: QObject,
                      program: list[str]) -> SpeechProcess | None:
    """Read aloud without delaying or risking the first screen or the patient's session.

    The engine opens in a process of its own (`program --read-aloud ENGINE`);
    `ready` gets the handle once it is ready, and None whenever it is not
    (the read-aloud button hides). The mock engine, for tests and demos, opens
    here at once.
    """
    if preferred == "mock":
        from ui.speech import make_speech

        ready(make_speech(preferred))
        return None
    speech = SpeechProcess(preferred, ready, owner, program)
    speech.start()
    return speech
