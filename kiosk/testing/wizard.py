"""One way to answer the wizard as a patient would: a plausible answer for any question, page by page to the end.

Tests, `make bench`, tools/ and the bundle check all use this, so each follows
the shipped content as it grows instead of keeping its own copy.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.content import Content
from kiosk.content.model import ConsentPage, Question, QuestionPage
from kiosk.rules.flow import visible_pages, visible_questions
from kiosk.storage.submissions import Submission

if TYPE_CHECKING:
    from kiosk.patient.intake import IntakeController

PATIENT_NAME = "Alex Testpatient"
DATE_OF_BIRTH = "1988-04-09"
FREE_TEXT = "I work nights"
SAMPLE_TIME = dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.timezone.utc)

Choose = Callable[[Content, Question], Any]


class Stuck(AssertionError):
    """Next refused: the planned answers did not satisfy a page."""


def plan_answer(content: Content, question: Question) -> Any:
    """A plausible answer: identity from constants, the first option of a choice, the low end of a range."""
    identity = content.manifest.identity
    if question.id == identity.name:
        return PATIENT_NAME
    if question.id == identity.dob:
        return DATE_OF_BIRTH
    if question.type == "choice":
        return question.options[0].code
    if question.type == "multi":
        return [question.options[-1].code]
    if question.type == "boolean":
        return False
    if question.type == "date":
        return "2026-11-01"
    if question.type in ("integer", "decimal"):
        return int(question.min or 0) + 1
    return FREE_TEXT


def tiny_png() -> bytes:
    """A real 2x2 black PNG, standing in for a drawn signature."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def answer_current_page(ctl: IntakeController, choose: Choose | None = None) -> None:
    """Answer what the controller shows now as a patient would: consent given and signed, every visible question."""
    page = ctl.screen().page
    if isinstance(page, ConsentPage):
        ctl.set_answer(page.id, True)
        if page.signature:
            ctl.set_signature(tiny_png())
    elif isinstance(page, QuestionPage):
        for question in visible_questions(ctl.content, page, ctl.answers()):
            ctl.set_answer(question.id, (choose or plan_answer)(ctl.content, question))


def drive_to_review(ctl: IntakeController, choose: Choose | None = None,
                    after_next: Callable[[], None] | None = None) -> int:
    """From welcome (or wherever the patient is) to the review screen; returns how many pages were answered.

    `after_next` runs after each Next (a benchmark paints, a tool takes a screenshot).
    """
    from kiosk.patient.intake import REVIEW, WELCOME

    if ctl.session.position == WELCOME:
        ctl.next()
    pages = 0
    while ctl.session.position != REVIEW:
        answer_current_page(ctl, choose)
        if not ctl.next():
            raise Stuck(f"Next refused on {ctl.session.position}")
        pages += 1
        if after_next is not None:
            after_next()
    return pages


def complete_answers(content: Content, choose: Choose = plan_answer) -> dict[str, Any]:
    """An answer for every question a patient would see, every consent given, without a controller."""
    answers: dict[str, Any] = {}
    for _ in range(4):  # answers open more pages; settle
        for page in visible_pages(content, answers):
            if isinstance(page, ConsentPage):
                answers[page.id] = True
            elif isinstance(page, QuestionPage):
                for question in visible_questions(content, page, answers):
                    answers.setdefault(question.id, choose(content, question))
    return answers


def sample_submission(content: Content, submission_id: str = "0123456789abcdef0123456789abcdef",
                      answers: dict[str, Any] | None = None, signed: bool = True) -> Submission:
    """A complete, signed submission started 20 minutes before SAMPLE_TIME (not yet assessed)."""
    return Submission(id=submission_id, started_at=SAMPLE_TIME - dt.timedelta(minutes=20),
                      content_version=content.version, language="en",
                      answers=dict(answers if answers is not None else complete_answers(content)),
                      signature_png=tiny_png() if signed else None)
