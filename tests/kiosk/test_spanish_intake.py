"""A patient takes the whole intake in Spanish, through the Qt-free controller: every text they see is the Spanish one.

Also: switching language on any screen keeps every answer, and an urgent answer
brings up the crisis information, whose words come from the content.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from answer_plans import answer_current_page, plan_answer
from kiosk.rules.assessment import display_answer
from kiosk.content import Content
from kiosk.content.model import ConsentPage, InfoPage, Page, QuestionPage, Text
from kiosk.rules.flow import date_words, visible_questions
from kiosk.patient.intake import REVIEW, THANKS, IntakeController, Screen
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore

# Words that are the same in both languages (names, numbers, "No"): allowed to match the English.
SAME_IN_BOTH = {"No", "Alcohol"}


class RecordingView:
    """Shows nothing; remembers what it was told, in the language it was told."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.screens: list[Screen] = []
        self.problems: list[dict[str, str]] = []
        self.crisis_texts: list[tuple[str, str]] = []
        self.alerts: list[str] = []

    def show_screen(self, screen: Screen) -> None:
        self.screens.append(screen)

    def show_problems(self, problems: dict[str, str]) -> None:
        self.problems.append(problems)

    def show_crisis(self) -> None:
        language = self.screens[-1].language
        self.crisis_texts.append((self.content.text("crisis_title", language), self.content.text("crisis_body", language)))

    def alert_staff(self, reason: str) -> None:
        self.alerts.append(reason)

    def show_not_saved(self) -> None:
        raise AssertionError("the submission should have been saved")


@pytest.fixture
def intake(content: Content, data_dir: Path, visit_time: dt.datetime) -> tuple[IntakeController, RecordingView]:
    store = SubmissionStore(connect(data_dir / "kiosk.db"))
    ctl = IntakeController(content, store, data_dir / "reports", lambda: "Test Clinic", clock=lambda: visit_time)
    view = RecordingView(content)
    ctl.attach(view)
    return ctl, view


def page_texts(page: Page, ctl: IntakeController) -> list[Text]:
    """Every content text the patient sees on a page, given their answers so far."""
    texts: list[Text | None] = [page.title]
    if isinstance(page, InfoPage):
        texts.append(page.body)
    elif isinstance(page, ConsentPage):
        texts += [page.body, page.agree]
    elif isinstance(page, QuestionPage):
        texts.append(page.intro)
        for question in visible_questions(ctl.content, page, ctl.answers()):
            texts += [question.text, question.help] + [o.text for o in question.options]
            if page.teach_back:
                texts.append(question.feedback)
    return [t for t in texts if t is not None]


def answer_page(ctl: IntakeController, page: Page, plan: dict[str, Any] | None = None) -> None:
    assert page is ctl.screen().page
    answer_current_page(ctl, lambda content, question: (plan or {}).get(question.id, plan_answer(content, question)))


def test_a_patient_takes_the_whole_intake_in_spanish(intake, content: Content) -> None:
    ctl, view = intake
    ctl.set_language("es")
    ctl.next()
    seen = 0
    while ctl.session.position != REVIEW:
        screen = ctl.screen()
        assert screen.language == "es" and screen.page is not None
        if isinstance(screen.page, QuestionPage) and any(q.required for q in screen.page.questions):
            assert ctl.next() is False, "an unanswered required question keeps the patient on the page"
            assert set(view.problems[-1].values()) <= {content.text(k, "es") for k in ("required_missing", "consent_required")}
        elif isinstance(screen.page, ConsentPage):
            assert ctl.next() is False
            assert list(view.problems[-1].values()) == [content.text("consent_required", "es")]
        answer_page(ctl, screen.page)
        for text in page_texts(screen.page, ctl):
            spanish = text.root.get("es", "")
            assert spanish.strip(), f"{screen.page.id}: no Spanish for {text.get('en')!r}"
            assert spanish != text.root["en"] or spanish in SAME_IN_BOTH, f"{screen.page.id}: {spanish!r} is English"
        assert ctl.next(), f"stuck on {ctl.session.position}: {view.problems[-1:]}"
        seen += 1
        assert seen < 60
    rows = ctl.review_rows()
    assert rows
    for _page_id, question_text, answer in rows:
        question = next(q for q in content.questions.values() if q.text.get("es") == question_text)
        value = ctl.answers().get(question.id)
        shown = date_words(content, value, "es") if question.type == "date" else display_answer(question, value, "es")
        assert answer in (shown, content.text("not_answered", "es"))
        if question.type == "boolean" and ctl.answers().get(question.id) is not None:
            assert answer in ("Sí", "No")
    assert ctl.submit()
    assert ctl.session.position == THANKS and view.screens[-1].language == "es"
    stored = ctl.store.get(ctl.session.id)
    assert stored is not None and stored.language == "es"
    assert content.manifest.language_names[stored.language].startswith("Spanish")


def test_switching_language_on_every_screen_keeps_every_answer(intake) -> None:
    ctl, view = intake
    ctl.next()
    while ctl.session.position != REVIEW:
        page = ctl.screen().page
        answer_page(ctl, page)
        before, position = dict(ctl.answers()), ctl.session.position
        ctl.set_language("es")
        assert view.screens[-1].language == "es" and ctl.session.position == position
        ctl.set_language("en")
        assert ctl.answers() == before and ctl.session.position == position
        assert ctl.next()


def test_an_urgent_answer_shows_crisis_information_from_the_content(intake, content: Content) -> None:
    ctl, view = intake
    ctl.set_language("es")
    ctl.next()
    while ctl.session.position != "phq9":
        answer_page(ctl, ctl.screen().page)
        assert ctl.next()
    answer_page(ctl, ctl.screen().page, {"phq9_9": "several_days"})
    assert view.crisis_texts == []
    assert ctl.next()
    assert view.alerts == ["urgent"]
    assert view.crisis_texts == [(content.text("crisis_title", "es"), content.text("crisis_body", "es"))]
    assert "988" in view.crisis_texts[0][1]
