"""What the kiosk leaves until its first screen is painted, and that it is in place before a patient can use it."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.content import Content
from kiosk.patient.intake import IntakeController
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from test_wizard_e2e import click, complete_page, nav
from ui.app import build_window, collect_after_first_paint


def _unshown_kiosk(qtbot, content: Content, data_dir: Path, visit_time: dt.datetime):
    conn = connect(data_dir / "kiosk.db")
    controller = IntakeController(content, SubmissionStore(conn), data_dir / "reports", lambda: "Riverside Clinic",
                                  clock=lambda: visit_time)
    settings = Settings(clinic_name="Riverside Clinic", idle_timeout_s=5, idle_warning_s=3, speech_engine="mock")
    window = build_window(controller, settings, kiosk_mode=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    return window, controller, conn


def test_the_idle_watcher_listens_from_the_first_painted_screen(qtbot, content: Content, data_dir: Path,
                                                                visit_time: dt.datetime) -> None:
    window, controller, conn = _unshown_kiosk(qtbot, content, data_dir, visit_time)
    try:
        assert not window.idle.listening, "no application-wide filter before the first screen"
        with qtbot.waitSignal(window.first_paint, timeout=5000):
            window.show()
        assert window.idle.listening, "input is heard from the first painted frame on"
        # from the first painted frame on, a patient who starts at once and keeps answering is never counted idle
        click(qtbot, nav(window, "Start"))
        complete_page(qtbot, window, controller)
        assert controller.in_progress()
        window.idle.tick()
        assert window.idle.idle_s == 1 and window.idle.dialog is None
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Shift)  # as a real key press arrives: at the window first
        assert window.idle.idle_s == 0, "a key press restarts the idle time"
    finally:
        window.allow_close = True
        conn.close()


def test_garbage_is_collected_again_once_the_first_screen_is_painted(qtbot, content: Content, data_dir: Path,
                                                                      visit_time: dt.datetime) -> None:
    window, _controller, conn = _unshown_kiosk(qtbot, content, data_dir, visit_time)
    gc.disable()  # as `run` does from the start
    try:
        collect_after_first_paint(window)
        assert not gc.isenabled()
        window.show()
        qtbot.waitUntil(gc.isenabled, timeout=5000)
    finally:
        gc.enable()
        window.allow_close = True
        conn.close()
