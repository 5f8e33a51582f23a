"""One full patient run in the real window (offscreen): page-transition times, submit time, peak memory.

Prints JSON: {"transitions_ms": [...], "submit_ms": float, "rss_kb": int, "pages": int}
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
    from PySide6.QtWidgets import QApplication

    from kiosk.patient.intake import REVIEW
    from kiosk.services import open_kiosk_services
    from kiosk.settings import Settings
    from kiosk.testing.wizard import answer_current_page
    from ui.app import build_window

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
    services = open_kiosk_services(data)
    controller = services.intake_controller()  # the real path: sealed autosave, sealed outbox, settings from the database
    window = build_window(controller, Settings(speech_engine="mock"), kiosk_mode=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    transitions: list[float] = []
    controller.next()
    while controller.session.position != REVIEW:
        reading = time.perf_counter() + 0.4  # a patient reads and taps for seconds; the kiosk uses that time
        while time.perf_counter() < reading:
            app.processEvents()
            time.sleep(0.01)
        answer_current_page(controller)
        start = time.perf_counter()
        controller.next()
        window.repaint()  # the new page painted, as the patient sees it
        app.processEvents()
        transitions.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    controller.submit()
    window.repaint()
    submit_ms = (time.perf_counter() - start) * 1000
    from peak_memory import peak_kb

    rss = peak_kb()  # this process alone: ru_maxrss would carry the bench parent's peak
    window.allow_close = True
    print(json.dumps({"transitions_ms": transitions, "submit_ms": submit_ms, "rss_kb": rss, "pages": len(transitions)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
