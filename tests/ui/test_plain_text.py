"""Patient text is never interpreted as Qt rich text: markup typed by a patient shows as typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from answer_plans import plan_answer, tiny_png
from kiosk.content import Content
from kiosk.content.model import ConsentPage, QuestionPage
from kiosk.rules.flow import visible_questions
from kiosk.patient.intake import REVIEW, IntakeController
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from ui.app import build_window

MARKUP = '<b>bold</b> <img src="/etc/passwd"> <a href="x">link</a> &amp;'


def test_every_label_on_every_screen_is_plain_text(qtbot, content: Content, data_dir: Path, visit_time: dt.datetime) -> None:
    controller = IntakeController(content, SubmissionStore(connect(data_dir / "k.db")), data_dir / "r",
                                  lambda: MARKUP, clock=lambda: visit_time)
    window = build_window(controller, Settings(clinic_name=MARKUP, speech_engine="mock"), kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    controller.next()
    screens = 0
    while True:
        for label in window.findChildren(QLabel):
            assert label.textFormat() == Qt.TextFormat.PlainText, f"rich text possible in {label.text()[:40]!r}"
        screens += 1
        if controller.session.position == REVIEW:
            break
        page = controller.screen().page
        if isinstance(page, ConsentPage):
            controller.set_answer(page.id, True)
            controller.set_signature(tiny_png())
        elif isinstance(page, QuestionPage):
            for question in visible_questions(content, page, controller.answers()):
                value = plan_answer(content, question)
                controller.set_answer(question.id, MARKUP if question.type in ("string", "text") else value)
        assert controller.next()
    review_texts = [label.text() for label in window.page.findChildren(QLabel)]
    assert MARKUP in review_texts, "the review shows the typed markup literally"
    assert screens > 3
    window.allow_close = True


def test_typed_markup_stays_literal_in_a_text_field(qtbot, content: Content, data_dir: Path) -> None:
    controller = IntakeController(content, SubmissionStore(connect(data_dir / "k.db")), data_dir / "r", lambda: "C")
    window = build_window(controller, Settings(speech_engine="mock"), kiosk_mode=False)
    qtbot.addWidget(window)
    controller.set_answer("consent", True)
    name_page = content.page_of[content.manifest.identity.name].id
    controller._go(name_page)
    field = next(f for f in window.page.findChildren(QLineEdit)
                 if f.accessibleName() == content.questions[content.manifest.identity.name].text.get("en"))
    qtbot.keyClicks(field, "<b>Ann</b>")
    assert controller.answers()[content.manifest.identity.name] == "<b>Ann</b>"
    window.allow_close = True
