"""Read aloud with Qt TextToSpeech, in the screen's language; absent when no engine works."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Q_ARG, QLocale, QMetaObject, QObject, QProcess, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.cli import PROBE_SPEECH

log = logging.getLogger(__name__)

LOCALES = {"en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
           "es": QLocale(QLocale.Language.Spanish, QLocale.Country.UnitedStates)}


class Speech:
    """A thin wrapper so the window can ask for speech without knowing the engine."""

    def __init__(self, engine: QTextToSpeech) -> None:
        self.engine = engine
        self.last: tuple[str, str] | None = None  # (language, text): only the current patient's last request

    def use_language(self, language: str) -> bool:
        """Pick the engine's locale for `language`: the clinic's country first, then Latin American Spanish, then any."""
        locale = LOCALES.get(language)
        if locale is None:
            return False
        matches = [loc for loc in self.engine.availableLocales() if loc.language() == locale.language()]
        matches.sort(key=lambda loc: (loc.territory() != locale.territory(), loc.territory() != QLocale.Country.LatinAmerica))
        if matches:
            self.engine.setLocale(matches[0])
        return bool(matches)

    def voices(self, language: str) -> list[str]:
        """Names of the voices that read `language` (empty when the engine has none)."""
        return [voice.name() for voice in self.engine.availableVoices()] if self.use_language(language) else []

    def say(self, text: str, language: str) -> None:
        self.use_language(language)
        self.last = (language, text)
        self.engine.say(text)

    def forget(self) -> None:
        """Stop talking and drop the last text: it may hold the previous patient's screen."""
        self.engine.stop(QTextToSpeech.BoundaryHint.Immediate)
        self.last = None


def engine_order(preferred: str = "") -> list[str]:
    """The engines to try, the preferred one first; never the mock unless asked for by name."""
    engines = [e for e in QTextToSpeech.availableEngines() if e != "mock"]
    if preferred:
        engines = [preferred] + [e for e in engines if e != preferred]
    return engines


def make_speech(preferred: str = "") -> Speech | None:
    """The first engine that is ready (the preferred one first); None hides the read-aloud button."""
    for name in engine_order(preferred):
        engine = QTextToSpeech(name)
        if engine.state() != QTextToSpeech.State.Error:
            return Speech(engine)
    return None


PROBE_TIMEOUT_MS = 20_000
_OPENING: dict[QThread, QObject] = {}  # worker threads still opening an engine, kept alive until they hand it over


class _HandOver(QObject):
    """Lives on the worker thread; runs after the engine opened there and moves it to the window's thread."""

    opened = Signal(object)

    def __init__(self, engine: QTextToSpeech, home: QThread) -> None:
        super().__init__()
        self.engine, self.home = engine, home

    @Slot()
    def hand_over(self) -> None:
        self.engine.moveToThread(self.home)
        self.opened.emit(self.engine)
        QThread.currentThread().quit()


class _Receiver(QObject):
    """Lives on the window's thread; gives the opened engine to `ready`."""

    def __init__(self, owner: QObject, thread: QThread, ready: Callable[[Speech | None], None]) -> None:
        super().__init__(owner)
        self.thread, self.ready = thread, ready

    @Slot(object)
    def deliver(self, engine: QTextToSpeech) -> None:
        self.thread.wait()  # it quit right after the hand-over
        _OPENING.pop(self.thread, None)  # the receiver itself stays with its owner: see _Probe on deleteLater
        self.ready(Speech(engine) if engine.state() != QTextToSpeech.State.Error else None)


def open_speech(preferred: str, ready: Callable[[Speech | None], None], owner: QObject) -> None:
    """Open the engine on a worker thread, then hand it to the window's thread: the screen never stalls.

    Opening speech-dispatcher's engine blocks for seconds. PySide holds Python's
    lock through a constructor call, so the worker starts from the instant mock
    engine and switches with a queued `setEngine`, which Qt runs on the worker's
    own event loop without Python (and so without its lock).
    """
    name = next(iter(engine_order(preferred)), "")
    thread = QThread()
    engine = QTextToSpeech("mock")
    engine.moveToThread(thread)
    hand_over = _HandOver(engine, QThread.currentThread())
    hand_over.moveToThread(thread)
    receiver = _Receiver(owner, thread, ready)
    hand_over.opened.connect(receiver.deliver)
    _OPENING[thread] = hand_over
    thread.start()
    QMetaObject.invokeMethod(engine, "setEngine", Qt.ConnectionType.QueuedConnection, Q_ARG(str, name))
    QMetaObject.invokeMethod(hand_over, "hand_over", Qt.ConnectionType.QueuedConnection)


def probe(preferred: str) -> int:
    """In a child process: open the engine once; exit 0 when one is ready. The kiosk never risks the first try."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - plug-ins are found through the app
    return 0 if make_speech(preferred) is not None else 1


class _Probe(QObject):
    """The child process that tries the engine first, with its time limit; lives as long as its owner.

    It is never deleted from inside its own `finished` signal: deleteLater() on
    a QProcess whose Python closure was connected to that signal crashed the
    process (SIGBUS in ~QObject) about one start in five when the probe failed.
    """

    def __init__(self, preferred: str, ready: Callable[[Speech | None], None], owner: QObject) -> None:
        super().__init__(owner)
        self.preferred, self.ready, self.owner = preferred, ready, owner
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        self.limit = QTimer(self)
        self.limit.setSingleShot(True)
        self.limit.timeout.connect(self.process.kill)
        self.process.finished.connect(self.done)

    def start(self, program: list[str]) -> None:
        self.process.start(program[0], [*program[1:], PROBE_SPEECH, self.preferred])
        self.limit.start(PROBE_TIMEOUT_MS)

    @Slot(int, QProcess.ExitStatus)
    def done(self, code: int, status: QProcess.ExitStatus) -> None:
        self.limit.stop()
        if status == QProcess.ExitStatus.NormalExit and code == 0:
            open_speech(self.preferred, self.ready, self.owner)
        else:
            log.warning("read aloud is off: the speech engine did not open within %d s (exit %d)",
                        PROBE_TIMEOUT_MS // 1000, code)
            self.ready(None)


def make_speech_later(preferred: str, ready: Callable[[Speech | None], None], owner: QObject,
                      program: list[str]) -> None:
    """Read aloud without delaying or risking the first screen.

    Opening speech-dispatcher's engine takes seconds (it lists every voice) and
    hangs for good when the daemon does; and the call holds Python's lock, so a
    plain thread would not help. A child process (`program --probe-speech`) tries
    it first, on a time limit; only when it succeeded does the kiosk open the
    engine itself, after the first paint, off the window's thread (open_speech).
    Otherwise the read-aloud button stays hidden.
    """
    if preferred == "mock":
        ready(make_speech(preferred))  # instant: the engine tests and demos use
        return
    _Probe(preferred, ready, owner).start(program)
