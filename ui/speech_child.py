"""The read-aloud process: the kiosk starts this same program with a hidden flag to hold the speech engine.

The speech engine (speech-dispatcher through Qt's speechd plug-in) takes
seconds to open, hangs when the daemon does, and has crashed the process that
held it; it also costs the memory of its plug-ins. Here it can do none of that
to a patient's session: the kiosk hides the read-aloud button when this process
fails, and starts it again.

It talks with the kiosk in lines of JSON, one object a line:
    kiosk -> here   {"say": TEXT, "language": "en"}      read the screen's text
                    {"stop": true}                      stop talking, forget the text
    here -> kiosk   {"ready": ENGINE, "voices": {"en": [NAMES], "es": [NAMES]}}
                    {"failed": WHY}                     then this process exits 1
It ends when the kiosk closes its stdin, and with the kiosk itself (Linux:
PR_SET_PDEATHSIG), so it is never left behind.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: the kernel ends this process when the kiosk ends, even when the kiosk is killed or crashes."""
    if not sys.platform.startswith("linux"):
        return  # the closed stdin ends it elsewhere
    import ctypes

    parent = os.environ.get("KIOSK_SPEECH_PARENT", "")
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent and os.getppid() != int(parent):  # the kiosk was already gone before the request took hold
        os._exit(0)


def send(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str]) -> int:
    """Open the engine (the preferred one first), say "ready" with its voices, then read aloud what the kiosk sends."""
    die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from kiosk.system.hardening import forbid_core_dumps

    forbid_core_dumps()  # it holds the text of a patient's screen
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    from ui.speech import LOCALES, QTextToSpeech, make_speech

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    speech = make_speech(argv[0] if argv else "")
    if speech is None:
        send({"failed": "no text-to-speech engine opened"})
        return 1
    send({"ready": speech.engine.engine(), "voices": {language: speech.voices(language) for language in LOCALES}})

    class Requests(QObject):
        """Lives on the main thread: the stdin thread's lines arrive here, queued."""

        line = Signal(str)
        closed = Signal()

        @Slot(str)
        def handle(self, text: str) -> None:
            try:
                request = json.loads(text)
            except ValueError:
                log.warning("read aloud: a request that is not JSON was ignored")
                return
            if not isinstance(request, dict):
                return
            if isinstance(request.get("say"), str):
                speech.say(request["say"], str(request.get("language", "en")))
            elif request.get("stop"):
                speech.forget()

        @Slot()
        def end(self) -> None:
            app.exit(0)  # the kiosk closed its end (or is gone): nothing more to read aloud

    def engine_state(state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Error:
            log.warning("read aloud: the engine reported an error (%s); the kiosk will start it again",
                        speech.engine.errorString())
            send({"failed": "the engine stopped working"})
            app.exit(1)

    requests = Requests()
    requests.line.connect(requests.handle)
    requests.closed.connect(requests.end)
    speech.engine.stateChanged.connect(engine_state)

    def read_stdin() -> None:
        for raw in sys.stdin.buffer:
            requests.line.emit(raw.decode("utf-8", errors="replace"))
        requests.closed.emit()

    threading.Thread(target=read_stdin, name="read-aloud requests", daemon=True).start()
    return int(app.exec())
