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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import ui.console_app as console_app
from console_driving import sign_in_then, when_shown
from ui.console.setup import SetupDialog
from ui.console.window import ConsoleWindow


def fill_in_setup(dialog: SetupDialog) -> None:
    dialog.clinic.setText("Riverside Clinic")
    dialog.admin.setText(os.environ["KIOSK_STAFF_NAME"])
    dialog.passphrase.setText(os.environ["KIOSK_STAFF_PASSPHRASE"])
    dialog.again.setText(os.environ["KIOSK_STAFF_PASSPHRASE"])
    dialog.create()
    dialog.confirm.setChecked(True)
    dialog.accept()


def print_first_row(window: ConsoleWindow) -> None:
    window.table.selectRow(0)
    window.print_current()
    window.lock()


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    setup_only = "--setup-only" in sys.argv
    QTimer.singleShot(0, (lambda: when_shown(SetupDialog, fill_in_setup)) if setup_only
                      else (lambda: sign_in_then(lambda: when_shown(ConsoleWindow, print_first_row))))
    sys.exit(console_app.run(argparse.Namespace(data_dir=Path(sys.argv[1]), content=None, windowed=True,
                                                setup_only=setup_only)))
