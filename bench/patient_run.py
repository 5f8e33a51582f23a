"""One full patient run in the real window (offscreen): page-transition times, submit time, peak memory.

Prints JSON: {"transitions_ms": [...], "submit_ms": float, "rss_kb": int, "speech_rss_kb": int, "pages": int}
`rss_kb` is the kiosk process's own peak; `speech_rss_kb` the read-aloud process's (the speech engine runs there).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from kiosk.content import load_visits
    from kiosk.patient.intake import REVIEW
    from kiosk.rules.estimate import promised_minutes
    from kiosk.services import KioskServices, open_kiosk_database
    from kiosk.storage.sqlite_submissions import SubmissionStore
    from kiosk.system.paths import content_dir
    from kiosk.testing.wizard import answer_current_page
    from ui.app import build_kiosk

    app = QApplication(sys.argv[:1])
    data = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    import atexit
    import shutil

    atexit.register(shutil.rmtree, data, True)
    # Set up in a process of its own, as a clinic does once: scrypt's 128 MiB must not count as the daily kiosk's peak.
    import subprocess

    subprocess.run([sys.executable, "-m", "kiosk", "setup", "--data-dir", str(data), "--clinic", "Bench Clinic",
                    "--admin", "Bench Admin"], env=dict(os.environ, KIOSK_STAFF_PASSPHRASE="bench passphrase 1234"),
                   check=True, capture_output=True)
    # and one start that compiles the content copy: what follows is a daily start, wired as `naltrexone-kiosk`
    # wires it (content from the compiled copy, the kiosk's database connection, ui.app.build_kiosk)
    subprocess.run([sys.executable, "-m", "kiosk", "--smoke", "--windowed", "--data-dir", str(data)],
                   check=True, capture_output=True)
    visits = load_visits(content_dir(), cache_dir=data / "cache", prepare=promised_minutes)
    conn, integrity = open_kiosk_database(data, check_now=False)
    services = KioskServices(content=visits["intake"], data_dir=data, conn=conn, store=SubmissionStore(conn),
                             visits=visits)
    window = build_kiosk(services, kiosk_mode=False, integrity=integrity)
    controller = window.controller  # the real path: sealed autosave, sealed outbox, settings from the database
    settled: list[bool] = []  # read aloud opened (or given up): the kiosk's last start-up chore
    set_speech = window.set_speech
    window.set_speech = lambda speech: (settled.append(True), set_speech(speech))
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    # The first patient arrives once the kiosk has settled: opening read aloud takes seconds on the UI thread
    # a moment after the first paint, which would otherwise land in this run's page transitions.
    waiting = time.perf_counter() + 30
    while not settled and time.perf_counter() < waiting:
        app.processEvents()
        time.sleep(0.01)
    class Paints(QObject):
        """Counts the window's repaints: Qt paints what changed when the window takes its UpdateRequest."""

        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.UpdateRequest:
                self.count += 1
            return False

    paints = Paints()
    window.installEventFilter(paints)
    transitions: list[float] = []
    controller.next()
    while controller.session.position != REVIEW:
        reading = time.perf_counter() + 0.4  # a patient reads and taps for seconds; the kiosk uses that time
        while time.perf_counter() < reading:
            app.processEvents()
            # what app.exec() does between events: pages the window let go of (deleteLater) are freed; without it
            # every page of the run stayed alive and counted in the peak
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            time.sleep(0.01)
        answer_current_page(controller)
        painted = paints.count
        start = time.perf_counter()
        controller.next()
        # As the event loop shows the new page: its layout passes, then one paint. A forced window.repaint() here
        # painted it twice, first with the layout not yet done (PHQ-9: 12 cells, then 16).
        app.processEvents()
        transitions.append((time.perf_counter() - start) * 1000)
        if paints.count == painted:
            raise SystemExit("a page change was timed without the new page painted")
    start = time.perf_counter()
    controller.submit()
    window.repaint()
    submit_ms = (time.perf_counter() - start) * 1000
    from peak_memory import peak_kb

    rss = peak_kb()  # this process alone: ru_maxrss would carry the bench parent's peak
    speech = getattr(window, "speech_process", None)
    speech_rss = peak_kb(speech.pid()) if speech is not None and speech.pid() > 0 else 0
    window.allow_close = True
    print(json.dumps({"transitions_ms": transitions, "submit_ms": submit_ms, "rss_kb": rss, "speech_rss_kb": speech_rss,
                      "pages": len(transitions)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
