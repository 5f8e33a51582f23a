"""`naltrexone-kiosk console --database URL` as a front-desk PC with no patient screens runs it, driven as staff would.

Run as `python shared_console_child.py DATA_DIR URL` with KIOSK_STAFF_NAME / KIOSK_STAFF_PASSPHRASE set. It signs
in through the unlock dialog, prints each queue row's cells as `ROW a | b | c`, and locks, which ends the process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from console_driving import POLL_MS, find, sign_in_then
from kiosk.cli import main
from ui.console.window import ConsoleWindow

DEADLINE = time.monotonic() + 60


def read_queue() -> None:
    window = find(ConsoleWindow)
    if window is None or (window.model.rowCount() == 0 and time.monotonic() < DEADLINE):
        QTimer.singleShot(POLL_MS, read_queue)
        return
    model = window.model
    print(f"WINDOW {window.width()}x{window.height()} {window.isFullScreen()}", flush=True)
    for row in range(model.rowCount()):
        cells = [model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole) for column in range(model.columnCount())]
        print("ROW " + " | ".join(str(c) for c in cells if c is not None), flush=True)
    window.lock()


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    QTimer.singleShot(0, lambda: sign_in_then(read_queue))
    sys.exit(main(["console", "--data-dir", sys.argv[1], "--database", sys.argv[2], "--windowed"]))
