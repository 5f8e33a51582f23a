"""Run by test_on_screen_keyboard in its own process: QT_IM_MODULE must be chosen before QApplication exists.

Starts the patient window as `run` does for a touch-only device, taps the name field, and prints what
the on-screen keyboard did as JSON. Saves a screenshot of the whole screen when given a path.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main(touch_only: bool, shot: str) -> dict:
    from kiosk.settings import Settings
    from ui.app import build_window, configure_input_method, show_kiosk

    settings = Settings(clinic_name="Riverside Clinic", touch_only=touch_only, speech_engine="mock")
    configure_input_method(settings, os.environ)
    from PySide6.QtCore import QElapsedTimer, QPoint, QRect, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from kiosk.content import load_content
    from kiosk.patient.intake import IntakeController
    from kiosk.system.paths import content_dir
    from kiosk.storage.db import connect
    from kiosk.storage.sqlite_submissions import SubmissionStore

    app = QApplication([])
    data = Path(tempfile.mkdtemp(prefix="kiosk-vk-"))
    content = load_content(content_dir())
    controller = IntakeController(content, SubmissionStore(connect(data / "kiosk.db")), data / "reports",
                                  lambda: settings.clinic_name)
    window = build_window(controller, settings, kiosk_mode=True)
    show_kiosk(window, app)
    name_question = content.questions[content.manifest.identity.name]
    controller._go(content.page_of[name_question.id].id)
    clock = QElapsedTimer()
    clock.start()
    while clock.elapsed() < 500:
        app.processEvents()
    field = next(f for f in window.page.findChildren(QLineEdit) if f.accessibleName() == name_question.text.get("en"))
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    keyboard = QGuiApplication.inputMethod()
    clock.restart()
    while clock.elapsed() < 4000 and not (keyboard.isVisible() and keyboard.keyboardRectangle().height() > 0):
        app.processEvents()
    clock.restart()
    while clock.elapsed() < 500:
        app.processEvents()
    rect = keyboard.keyboardRectangle().toRect()

    def on_screen(widget) -> QRect:
        return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())

    if shot:
        app.primaryScreen().grabWindow(0).save(shot)
    result = {
        "im_module": os.environ.get("QT_IM_MODULE", ""),
        "visible": keyboard.isVisible(),
        "keyboard": [rect.x(), rect.y(), rect.width(), rect.height()],
        "covers_next": keyboard.isVisible() and rect.intersects(on_screen(window.next_button)),
        "covers_field": keyboard.isVisible() and rect.intersects(on_screen(field)),
    }
    window.allow_close = True
    shutil.rmtree(data, True)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] == "touch", sys.argv[2] if len(sys.argv) > 2 else "")), flush=True)
    os._exit(0)  # the keyboard's QML engine aborts if torn down after QApplication
