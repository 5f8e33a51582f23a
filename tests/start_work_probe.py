"""Runs `naltrexone-kiosk --smoke` in this process and prints, as JSON, the SQLite work done before its first paint.

Every connection the kiosk opens counts its virtual-machine steps (rows visited, compared, written) and its
statements; the counts are read when the first widget of the patient window is painted. A large file's
integrity check is forced onto the background path (the one a file of 100,000 submissions takes), so a small
test folder exercises the same start.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEPS_PER_TICK = 10
counts = {"steps": 0, "statements": []}
before_paint: dict[str, object] = {}
lock = threading.Lock()
real_connect = sqlite3.connect


def counting_connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - sqlite3.connect's own signature
    conn = real_connect(*args, **kwargs)

    def tick() -> int:
        with lock:
            counts["steps"] += STEPS_PER_TICK
        return 0

    def statement(sql: str) -> None:
        with lock:
            counts["statements"].append(" ".join(sql.split())[:80])

    conn.set_progress_handler(tick, STEPS_PER_TICK)
    conn.set_trace_callback(statement)
    return conn


def main() -> int:
    sqlite3.connect = counting_connect  # type: ignore[assignment]
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk import services
    from kiosk.cli import main as kiosk_main

    services.BACKGROUND_CHECK_BYTES = 0

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and not before_paint:
                with lock:
                    before_paint.update(steps=counts["steps"], statements=list(counts["statements"]))
            return False

    app = QApplication(sys.argv[:1])
    watcher = FirstPaint()
    app.installEventFilter(watcher)
    code = kiosk_main(["--smoke", "--windowed", "--data-dir", sys.argv[1]])
    print(json.dumps(before_paint))
    return code


if __name__ == "__main__":
    sys.exit(main())
