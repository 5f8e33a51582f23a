"""One staff sign-in as staff feel it, in a fresh process like the console's: Unlock pressed -> first queue page painted.

`python bench/console_sign_in.py FOLDER NAME PASSPHRASE` prints the milliseconds; with `--bare` it prints the time
of the KDF alone (scrypt at the account's cost) in a fresh process, the floor the sign-in is measured against.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bare(folder: Path, name: str, passphrase: str) -> float:
    import hashlib
    import sqlite3

    with sqlite3.connect(folder / "kiosk.db") as conn:
        salt, n, r, p = conn.execute("SELECT kdf_salt, kdf_n, kdf_r, kdf_p FROM staff WHERE name = ?", (name,)).fetchone()
    start = time.perf_counter()
    hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)
    return (time.perf_counter() - start) * 1000


def sign_in(folder: Path, name: str, passphrase: str) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.console.factory import console_factory
    from kiosk.content import load_content
    from kiosk.staff.gate import DatabaseGate
    from kiosk.storage.db import connect
    from kiosk.system.paths import content_dir
    from ui.console.flow import StaffFlow

    app = QApplication([])
    content = load_content(content_dir())
    flow = StaffFlow(DatabaseGate(connect(folder / "kiosk.db"), content, folder),
                     console_factory(content, folder / "outbox"), QWidget(), abandon=lambda: None,
                     show_kiosk=lambda: None, full_screen=False)
    flow.request_unlock()
    app.processEvents()
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and flow.window is not None and watched is flow.window.table.viewport():
                painted.append(time.perf_counter())
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    dialog = flow.unlock_dialog
    assert dialog is not None
    dialog.name.setText(name)
    dialog.passphrase.setText(passphrase)
    start = time.perf_counter()
    dialog.unlock_button.click()
    while not painted:
        app.processEvents()
    assert flow.window is not None and flow.window.model.rowCount() > 0
    return (painted[0] - start) * 1000


if __name__ == "__main__":
    measure = bare if "--bare" in sys.argv else sign_in
    folder, name, passphrase = (arg for arg in sys.argv[1:] if arg != "--bare")
    print(f"{measure(Path(folder), name, passphrase):.1f}")
