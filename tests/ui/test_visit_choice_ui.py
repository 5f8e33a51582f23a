"""Welcome asks "First visit" or "Coming back for my shot or pills", unless the kiosk's setting fixes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QRadioButton

from kiosk.content import Content, load_visits
from kiosk.rules.estimate import promised_minutes
from kiosk.patient.intake import IntakeController
from kiosk.system.paths import content_dir
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore


@pytest.fixture(scope="module")
def visits() -> dict[str, Content]:
    return load_visits(content_dir())


def _window(qtbot, visits: dict[str, Content], data_dir: Path, visit_time: dt.datetime, visit_type: str):
    from ui.app import build_window

    settings = Settings(clinic_name="Riverside Clinic", speech_engine="mock", visit_type=visit_type)
    conn = connect(data_dir / "kiosk.db")
    controller = IntakeController(visits["intake"], SubmissionStore(conn), data_dir / "reports",
                                  lambda: "Riverside Clinic", clock=lambda: visit_time, visits=visits,
                                  visit_setting=lambda: settings.visit_type)
    window = build_window(controller, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window, controller, conn


def _texts(window) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible() and label.text()]


def _visit_buttons(window) -> dict[str, QRadioButton]:
    return {b.objectName(): b for b in window.findChildren(QRadioButton)
            if b.objectName().startswith("visit_") and b.isVisible()}


def test_a_returning_patient_taps_coming_back_and_gets_the_follow_up(qtbot, visits, data_dir, visit_time) -> None:
    window, controller, conn = _window(qtbot, visits, data_dir, visit_time, "ask")
    try:
        texts = _texts(window)
        assert "First visit" in texts and "Coming back for my shot or pills" in texts
        assert any(f"about {promised_minutes(visits['intake'])} minutes" in t for t in texts)
        buttons = _visit_buttons(window)
        assert buttons["visit_intake"].isChecked() and not buttons["visit_follow-up"].isChecked()
        qtbot.mouseClick(buttons["visit_follow-up"], Qt.MouseButton.LeftButton)
        assert controller.session.visit == "follow-up"
        assert any(f"about {promised_minutes(visits['follow-up'])} minutes" in t for t in _texts(window))
        assert _visit_buttons(window)["visit_follow-up"].isChecked()
        qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
        assert controller.session.position == "consent"
        assert any("as at your first visit" in t for t in _texts(window)), "the follow-up's own privacy page"
    finally:
        window.allow_close = True
        conn.close()


def test_a_kiosk_fixed_to_one_visit_type_shows_no_choice(qtbot, visits, data_dir, visit_time) -> None:
    window, controller, conn = _window(qtbot, visits, data_dir, visit_time, "follow-up")
    try:
        assert _visit_buttons(window) == {}
        assert "Coming back for my shot or pills" not in _texts(window)
        assert controller.content is visits["follow-up"]
    finally:
        window.allow_close = True
        conn.close()
