"""The signature: an empty pad cannot pass a consent that needs one, and what was drawn is in the PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPointF

from kiosk.content import Content
from kiosk.content.model import ConsentPage
from kiosk.patient.intake import REVIEW, IntakeController
from kiosk.patient.pipeline import finalize
from kiosk.report.content import build_report
from kiosk.report.pdf import ClinicianReport
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from report_samples import GOLDEN_TIME, complete_answers, complete_submission_for, typical_answer
from ui.signature import SignaturePad


class QuietView:
    def __init__(self) -> None:
        self.problems: list[dict[str, str]] = []

    def show_screen(self, screen) -> None:
        pass

    def show_problems(self, problems: dict[str, str]) -> None:
        self.problems.append(problems)

    def show_crisis(self) -> None:
        pass

    def alert_staff(self, reason: str) -> None:
        pass

    def show_not_saved(self) -> None:
        pass


@pytest.fixture
def controller(content: Content, data_dir: Path, visit_time: dt.datetime):
    conn = connect(data_dir / "kiosk.db")
    ctl = IntakeController(content, SubmissionStore(conn), data_dir / "outbox", lambda: "C", clock=lambda: visit_time)
    view = QuietView()
    ctl.attach(view)
    yield ctl, view
    conn.close()


def signed_consent(content: Content) -> ConsentPage:
    pages = [p for p in content.pages if isinstance(p, ConsentPage) and p.signature]
    assert pages, "the shipped consent asks for a signature"
    return pages[0]


def test_a_consent_that_needs_a_signature_does_not_pass_with_an_empty_pad(controller, content: Content) -> None:
    ctl, view = controller
    page = signed_consent(content)
    ctl.start()
    while ctl.session.position != page.id:
        for qid, value in complete_answers(content).items():
            ctl.set_answer(qid, value)
        assert ctl.next(), view.problems[-1:]
    ctl.set_answer(page.id, True)
    assert ctl.next() is False and ctl.session.position == page.id
    assert f"{page.id}__signature" in view.problems[-1]


def test_submit_refuses_when_the_signature_was_cleared_after_review(controller, content: Content, qtbot) -> None:
    ctl, view = controller
    pad = SignaturePad(ctl.set_signature, "Sign here")
    qtbot.addWidget(pad)
    for qid, value in complete_answers(content).items():
        ctl.set_answer(qid, value)
    pad.add_stroke([QPointF(10, 10), QPointF(80, 40)])
    assert ctl.session.signature_png
    ctl.session.position = REVIEW
    pad.clear()
    assert ctl.session.signature_png is None
    assert ctl.submit() is False
    assert ctl.store.count() == 0 and ctl.session.position == signed_consent(content).id


def test_the_pad_is_empty_until_a_line_is_drawn_and_clear_empties_it(qtbot) -> None:
    seen: list[bytes | None] = []
    pad = SignaturePad(seen.append, "Sign here")
    qtbot.addWidget(pad)
    assert pad.png() is None
    pad.add_stroke([QPointF(40, 40)])  # a tap is not a signature
    assert pad.png() is None and seen[-1] is None
    pad.add_stroke([QPointF(20, 20), QPointF(120, 80), QPointF(200, 30)])
    assert seen[-1] is not None and seen[-1].startswith(b"\x89PNG")
    pad.clear()
    assert pad.is_empty() and seen[-1] is None


def test_the_drawn_signature_is_on_page_one_of_the_pdf(qtbot, content: Content) -> None:
    drawn: list[bytes | None] = []
    pad = SignaturePad(drawn.append, "Sign here")
    qtbot.addWidget(pad)
    pad.resize(400, 160)
    pad.add_stroke([QPointF(20, 120), QPointF(120, 30), QPointF(220, 120), QPointF(380, 40)])
    submission = complete_submission_for(content, answers=complete_answers(content, typical_answer))
    submission.signature_png = drawn[-1]
    report = build_report(content, finalize(content, submission, GOLDEN_TIME), "C")
    first_page = PdfReader(io.BytesIO(ClinicianReport().render(report))).pages[0]
    images = list(first_page.images)
    assert len(images) == 1
    assert images[0].image.size == (400, 160), "the picture printed is the pad's drawing"
