"""A valid answer for any question of the shipped content, so end-to-end tests follow the content as it grows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.content import Content
from kiosk.content.model import Question

if TYPE_CHECKING:
    from kiosk.intake import IntakeController

PATIENT_NAME = "Alex Testpatient"
DATE_OF_BIRTH = "1988-04-09"
FREE_TEXT = "I work nights"


def plan_answer(content: Content, question: Question) -> Any:
    """A plausible answer: identity from constants, the first option of a choice, the low end of a range."""
    identity = content.manifest.identity
    if question.id == identity.name:
        return PATIENT_NAME
    if question.id == identity.dob:
        return DATE_OF_BIRTH
    if question.type in ("choice",):
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
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


Choose = Callable[[Content, Question], Any]


def answer_current_page(ctl: "IntakeController", choose: Choose | None = None) -> None:
    """Answer what the controller shows now as a patient would: consent given and signed, every visible question."""
    from kiosk.content.model import ConsentPage, QuestionPage
    from kiosk.flow import visible_questions

    page = ctl.screen().page
    if isinstance(page, ConsentPage):
        ctl.set_answer(page.id, True)
        if page.signature:
            ctl.set_signature(tiny_png())
    elif isinstance(page, QuestionPage):
        for question in visible_questions(ctl.content, page, ctl.answers()):
            ctl.set_answer(question.id, (choose or plan_answer)(ctl.content, question))
