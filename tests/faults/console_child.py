"""The real staff console process (`ui.console_app.run`, what `naltrexone-kiosk console` runs), driven as staff would.

Run as `python console_child.py DATA_DIR` with the staff name and passphrase in
KIOSK_STAFF_NAME / KIOSK_STAFF_PASSPHRASE. It signs in through the unlock
dialog, opens the first row's preview, prints it, and locks, which ends the
process like a real one. With `--setup-only` (as the kiosk adds it on a first
run) it fills in the first-run setup form instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import ui.console_app as console_app
from ui.console.setup import SetupDialog
from ui.console.unlock import UnlockDialog
from ui.console.window import ConsoleWindow


def find(kind):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def sign_in() -> None:
    dialog = find(UnlockDialog)
    if dialog is None:
        QTimer.singleShot(50, sign_in)
        return
    dialog.name.setText(os.environ["KIOSK_STAFF_NAME"])
    dialog.passphrase.setText(os.environ["KIOSK_STAFF_PASSPHRASE"])
    dialog.try_unlock()
    QTimer.singleShot(50, work)


def set_up() -> None:
    dialog = find(SetupDialog)
    if dialog is None:
        QTimer.singleShot(50, set_up)
        return
    dialog.clinic.setText("Riverside Clinic")
    dialog.admin.setText(os.environ["KIOSK_STAFF_NAME"])
    dialog.passphrase.setText(os.environ["KIOSK_STAFF_PASSPHRASE"])
    dialog.again.setText(os.environ["KIOSK_STAFF_PASSPHRASE"])
    dialog.create()
    dialog.confirm.setChecked(True)
    dialog.accept()


def work() -> None:
    window = find(ConsoleWindow)
    if window is None:
        QTimer.singleShot(50, work)
        return
    window.table.selectRow(0)
    window.print_current()
    window.lock()


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    setup_only = "--setup-only" in sys.argv
    QTimer.singleShot(0, set_up if setup_only else sign_in)
    sys.exit(console_app.run(argparse.Namespace(data_dir=Path(sys.argv[1]), content=None, windowed=True,
                                                setup_only=setup_only)))
