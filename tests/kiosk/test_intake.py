"""The patient's path through the controller, without Qt: the view is a recording fake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.content import Content
from kiosk.patient.intake import REVIEW, THANKS, WELCOME, IntakeController, Screen
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from answer_plans import PATIENT_NAME, drive_to_review
from test_printing import pdf_text


class FakeView:
    def __init__(self) -> None:
        self.screens: list[Screen] = []
        self.problems: list[dict[str, str]] = []
        self.alerts: list[str] = []
        self.crises = 0
        self.not_saved = 0

    def show_screen(self, screen: Screen) -> None:
        self.screens.append(screen)

    def show_problems(self, problems: dict[str, str]) -> None:
        self.problems.append(problems)

    def show_crisis(self) -> None:
        self.crises += 1

    def alert_staff(self, reason: str) -> None:
        self.alerts.append(reason)

    def show_not_saved(self) -> None:
        self.not_saved += 1


@pytest.fixture
def controller(content: Content, data_dir: Path, visit_time: dt.datetime) -> tuple[IntakeController, FakeView]:
    store = SubmissionStore(connect(data_dir / "kiosk.db"))
    ctl = IntakeController(content, store, data_dir / "reports", lambda: "Test Clinic", clock=lambda: visit_time)
    view = FakeView()
    ctl.attach(view)
    return ctl, view


def walk_to_review(ctl: IntakeController) -> None:
    drive_to_review(ctl)


def test_next_stays_on_a_page_with_a_missing_answer(controller) -> None:
    ctl, view = controller
    ctl.next()
    first = ctl.session.position
    assert ctl.next() is False
    assert ctl.session.position == first
    assert view.problems[-1]


def test_full_path_stores_once_and_thanks_only_after_commit(controller, content: Content) -> None:
    ctl, view = controller
    walk_to_review(ctl)
    rows = ctl.review_rows()
    assert any(answer == PATIENT_NAME for _, _, answer in rows)
    assert ctl.store.count() == 0
    assert ctl.submit()
    assert view.screens[-1].name == THANKS, "thank-you is shown right after the commit"
    assert not ctl.outbox_dir.exists(), "before any PDF is drawn: that happens in a child process afterwards"
    stored = ctl.store.get(ctl.session.id)
    assert stored is not None and stored.answers[content.manifest.identity.name] == PATIENT_NAME
    assert stored.content_version == content.version and stored.status == "new"
    assert ctl.settle_printing(wait_s=None) == 0
    made = sorted(ctl.outbox_dir.iterdir())
    assert [p.name for p in made] == [f"{ctl.session.id}.pdf"], "no printer: the PDF waits in the outbox"
    assert PATIENT_NAME in pdf_text(made[0])
    assert ctl.submit() is True, "a second tap on Submit is not an error for the patient"
    assert ctl.session.position == THANKS and ctl.store.count() == 1
    assert ctl.settle_printing(wait_s=None) == 0
    assert sorted(ctl.outbox_dir.iterdir()) == made, "and it makes no second PDF"


def test_step_counts_only_pages_this_patient_sees(controller) -> None:
    ctl, view = controller
    walk_to_review(ctl)
    screen = ctl.screen()
    assert screen.step == screen.steps == len(ctl.sequence()) - 2


def test_change_from_review_returns_to_review(controller) -> None:
    ctl, view = controller
    walk_to_review(ctl)
    page_id = ctl.review_rows()[0][0]
    ctl.change(page_id)
    assert ctl.session.position == page_id
    assert ctl.next()
    assert ctl.session.position == REVIEW


def test_failed_write_keeps_answers_and_says_not_saved(controller, monkeypatch) -> None:
    ctl, view = controller
    walk_to_review(ctl)
    answers = dict(ctl.answers())

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ctl.store, "save", disk_full)
    assert ctl.submit() is False
    assert view.not_saved == 1
    assert ctl.session.position == REVIEW and ctl.answers() == answers
    monkeypatch.undo()
    assert ctl.submit() is True
    assert ctl.store.count() == 1


def test_finish_forgets_the_patient(controller) -> None:
    ctl, view = controller
    walk_to_review(ctl)
    ctl.submit()
    old = ctl.session.id
    ctl.finish()
    assert ctl.session.position == WELCOME and ctl.answers() == {} and ctl.session.id != old


def test_language_switch_keeps_answers(controller) -> None:
    ctl, view = controller
    walk_to_review(ctl)
    before = dict(ctl.answers())
    ctl.set_language("es")
    assert ctl.answers() == before
    assert view.screens[-1].language == "es"


def test_next_on_the_thank_you_screen_greets_the_next_patient(controller) -> None:
    ctl, view = controller
    assert ctl.waiting() and ctl.advance() is False and not ctl.waiting()
    drive_to_review(ctl)
    assert ctl.submit() and ctl.thanked()
    first = ctl.session.id
    assert ctl.advance() is True, "the view is told the visit ended"
    assert ctl.waiting() and ctl.session.id != first and ctl.answers() == {}
