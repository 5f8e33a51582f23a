"""A patient completes the intake through the real widgets: visible buttons, controls found by accessible name."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from date_picking import pick_date
from answer_plans import DATE_OF_BIRTH, FREE_TEXT, PATIENT_NAME, plan_answer
from kiosk.rules.assessment import display_answer
from kiosk.content import Content
from kiosk.content.model import ConsentPage, QuestionPage
from kiosk.rules.flow import visible_questions
from kiosk.patient.intake import REVIEW, THANKS, WELCOME, IntakeController
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from ui.app import build_window
from ui.scale_grid import ScaleGrid
from ui.window import KioskWindow


def by_name(root: QWidget, kind: type, name: str) -> Any:
    found = [w for w in root.findChildren(kind) if w.accessibleName() == name and w.isVisibleTo(root)]
    assert found, f"no visible {kind.__name__} named {name!r}"
    return found[0]


def click(qtbot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def nav(window: KioskWindow, name: str) -> QPushButton:
    button = by_name(window, QPushButton, name)
    assert button.text() == name, "the visible label and the accessible name must match"
    return button


@pytest.fixture
def wizard(qtbot, content: Content, data_dir: Path, visit_time: dt.datetime):
    conn = connect(data_dir / "kiosk.db")
    controller = IntakeController(content, SubmissionStore(conn), data_dir / "reports", lambda: "Riverside Clinic",
                                  clock=lambda: visit_time)
    window = build_window(controller, Settings(clinic_name="Riverside Clinic", speech_engine="mock"), kiosk_mode=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window, controller
    window.allow_close = True
    conn.close()


def answer_question(qtbot, page: QWidget, content: Content, question, language: str = "en") -> None:
    frame = by_name(page, QWidget, question.text.get(language))
    value = plan_answer(content, question)
    if question.type == "choice":
        click(qtbot, by_name(frame, QRadioButton, question.option(value).text.get(language)))
    elif question.type == "boolean":
        click(qtbot, by_name(frame, QRadioButton, content.text("yes" if value else "no", language)))
    elif question.type == "multi":
        for code in value:
            click(qtbot, by_name(frame, QCheckBox, question.option(code).text.get(language)))
    elif question.type == "date":
        pick_date(qtbot, frame, dt.date.fromisoformat(value))
    elif question.type in ("integer", "decimal"):
        qtbot.keyClicks(by_name(frame, QLineEdit, question.text.get(language)), str(value))
    elif question.type == "text":
        qtbot.keyClicks(by_name(frame, QPlainTextEdit, question.text.get(language)), value)
    else:
        qtbot.keyClicks(by_name(frame, QLineEdit, question.text.get(language)), value)


def complete_page(qtbot, window: KioskWindow, controller: IntakeController) -> None:
    content = controller.content
    page = controller.screen().page
    if isinstance(page, ConsentPage):
        click(qtbot, by_name(window.page, QCheckBox, page.agree.get("en")))
        if page.signature:
            window.page.signature.add_stroke([QPointF(20, 20), QPointF(120, 80), QPointF(200, 30)])
    elif isinstance(page, QuestionPage):
        for question in visible_questions(content, page, controller.answers()):
            answer_question(qtbot, window.page, content, question)


def test_a_patient_completes_the_intake(qtbot, wizard, content: Content, data_dir: Path) -> None:
    window, controller = wizard
    assert window.windowTitle() == "Riverside Clinic"
    click(qtbot, nav(window, "Start"))
    seen = 0
    while controller.session.position != REVIEW:
        position = controller.session.position
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
        assert controller.session.position != position, f"Next did not leave {position}"
        seen += 1
        assert seen < 60
    assert "Step" in window.step_label.text()
    # Review lists every answer, each with a way back.
    review = window.page
    change = [b for b in review.findChildren(QPushButton) if b.accessibleName().startswith("Change:")]
    assert len(change) == len(controller.review_rows())
    click(qtbot, change[0])
    assert controller.session.position != REVIEW
    click(qtbot, nav(window, "Next"))
    assert controller.session.position == REVIEW
    click(qtbot, nav(window, "Submit"))
    assert controller.session.position == THANKS

    row = sqlite3.connect(data_dir / "kiosk.db").execute(
        "SELECT id, status, content_version, language FROM submissions").fetchall()
    assert row == [(controller.session.id, "new", content.version, "en")]
    stored = controller.store.get(controller.session.id)
    assert stored.answers[content.manifest.identity.name] == PATIENT_NAME
    assert stored.answers[content.manifest.identity.dob] == DATE_OF_BIRTH
    assert stored.signature_png

    # The PDF is drawn in a render process after thank-you; its answer reaches the outbox through the Qt thread.
    pdf = data_dir / "reports" / f"{controller.session.id}.pdf"
    assert not pdf.exists()
    qtbot.waitUntil(pdf.exists, timeout=60_000)
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert PATIENT_NAME in text and "Riverside Clinic" in text
    for qid, value in stored.answers.items():
        question = content.questions.get(qid)
        if question is not None and question.type in ("string", "text"):
            assert display_answer(question, value) in text
    if any(q.type == "text" for q in content.questions.values()):
        assert FREE_TEXT in text

    click(qtbot, nav(window, "Done"))
    assert controller.session.position == WELCOME
    assert controller.answers() == {}
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert PATIENT_NAME not in [w.text() for w in window.findChildren(QLineEdit)]


def test_next_and_back_and_language_switch_keep_answers(qtbot, wizard, content: Content) -> None:
    window, controller = wizard
    click(qtbot, nav(window, "Start"))
    complete_page(qtbot, window, controller)
    click(qtbot, nav(window, "Next"))
    second = controller.session.position
    click(qtbot, nav(window, "Back"))
    assert controller.screen().step == 1
    click(qtbot, by_name(window, QPushButton, "Español"))
    assert nav(window, "Siguiente")
    click(qtbot, nav(window, "Siguiente"))
    assert controller.session.position == second
    assert window.next_button.text() == "Siguiente"


def test_every_patient_control_has_its_visible_label_as_accessible_name(qtbot, wizard) -> None:
    window, controller = wizard
    click(qtbot, nav(window, "Start"))
    while controller.session.position != REVIEW:
        for button in window.findChildren(QPushButton):
            if button.isVisibleTo(window) and button.text():
                assert button.accessibleName() == button.text()
        for control in window.page.findChildren(QAbstractButton):
            if isinstance(control, (QRadioButton, QCheckBox)):
                row_label = control.parent().label.text() or column_header(control.parent())
                assert control.accessibleName() == row_label
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, controller.content.text("next", "en")))


def column_header(cell: QWidget) -> str:
    """In a grid of items sharing answers, the visible label of a cell is its column's header."""
    grid = cell.parent()
    while grid is not None and not isinstance(grid, ScaleGrid):
        grid = grid.parent()
    assert grid is not None, "an option without its own label sits in a grid under a header"
    return grid.head.findChildren(QLabel, "scale-head")[grid.cells.index(cell) % len(grid.answers)].text()


def test_escape_and_close_do_nothing_in_kiosk_mode(qtbot, content: Content, data_dir: Path) -> None:
    controller = IntakeController(content, SubmissionStore(connect(data_dir / "k.db")), data_dir, lambda: "C")
    window = build_window(controller, Settings(speech_engine="mock"), kiosk_mode=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.close()
    assert window.isVisible()
    window.allow_close = True
