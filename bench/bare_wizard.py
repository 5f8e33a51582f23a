"""Baseline for start-up and memory: a bare PySide6 QWizard that quits on its first paint."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peak_memory import peak_kb
from ui.start_clock import since_process_start_ms

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage


class FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print(f"first screen painted {since_process_start_ms():.0f} ms after the start", flush=True)
            QTimer.singleShot(0, lambda: self.app.exit(0))
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    wizard = QWizard()
    page = QWizardPage()
    page.setTitle("Welcome")
    layout = QVBoxLayout(page)
    layout.addWidget(QLabel("Please answer some questions before your visit."))
    wizard.addPage(page)
    watcher = FirstPaint(app)
    wizard.installEventFilter(watcher)
    wizard.show()
    code = app.exec()
    if "--rss" in sys.argv:
        print(peak_kb())
    return code


if __name__ == "__main__":
    sys.exit(main())
