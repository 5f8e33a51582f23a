"""Which pages and questions this patient sees, and whether an answer is acceptable.

Conditions may only look at earlier questions (the loader enforces it), so one
pass in page order decides visibility. Answers to questions that became hidden
stay in memory, so a patient who changes their mind back finds them again,
but they are never stored, scored or printed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.conditions import all_hold
from kiosk.content import Content
from kiosk.content.model import ConsentPage, Page, Question, QuestionPage

EARLIEST_DATE = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Problem:
    """Why an answer cannot be accepted: a UI string key and the values it names."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def render(self, content: Content, language: str) -> str:
        return content.text(self.key, language).format(**dict(self.values))


def visible_pages(content: Content, answers: Mapping[str, Any]) -> list[Page]:
    pages, _ = _walk(content, answers)
    return pages


def visible_questions(content: Content, page: QuestionPage, answers: Mapping[str, Any]) -> list[Question]:
    """The questions of `page` that this patient sees, given their answers so far."""
    effective = effective_answers(content, answers)
    return [q for q in page.questions if all_hold(q.enable_when, q.enable_behavior, effective)]


def effective_answers(content: Content, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers to the questions the patient can see: what is stored, scored and printed."""
    _, effective = _walk(content, answers)
    return effective


def _walk(content: Content, answers: Mapping[str, Any]) -> tuple[list[Page], dict[str, Any]]:
    pages: list[Page] = []
    effective: dict[str, Any] = {}
    for page in content.pages:
        if not all_hold(page.enable_when, page.enable_behavior, effective):
            continue
        pages.append(page)
        if isinstance(page, ConsentPage) and answers.get(page.id) is True:
            effective[page.id] = True
        if isinstance(page, QuestionPage):
            for question in page.questions:
                if all_hold(question.enable_when, question.enable_behavior, effective):
                    value = answers.get(question.id)
                    if not is_empty(value):
                        effective[question.id] = value
    return pages, effective


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def check_answer(question: Question, value: Any, today: dt.date) -> Problem | None:
    """Why `value` is not an acceptable answer to `question`, or None."""
    if is_empty(value):
        return Problem("required_missing") if question.required else None
    kind = question.type
    if kind == "choice":
        return None if isinstance(value, str) and question.option(value) else Problem("required_missing")
    if kind == "multi":
        ok = isinstance(value, list) and all(isinstance(v, str) and question.option(v) for v in value)
        return None if ok else Problem("required_missing")
    if kind == "boolean":
        return None if isinstance(value, bool) else Problem("required_missing")
    if kind in ("integer", "decimal"):
        return _check_number(question, value)
    if kind == "date":
        return _check_date(question, value, today)
    if not isinstance(value, str):
        return Problem("required_missing")
    if len(value) > question.text_limit:
        return Problem("chars_left", (("left", 0), ("limit", question.text_limit)))
    return None


def _check_number(question: Question, value: Any) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return Problem("invalid_number")
    if question.type == "integer" and not float(value).is_integer():
        return Problem("invalid_number")
    if isinstance(value, float) and not math.isfinite(value):
        return Problem("invalid_number")
    low = question.min if question.min is not None else -1e9
    high = question.max if question.max is not None else 1e9
    if not low <= value <= high:
        return Problem("number_range", (("min", _fmt(low)), ("max", _fmt(high))))
    return None


def _check_date(question: Question, value: Any, today: dt.date) -> Problem | None:
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or day < EARLIEST_DATE or (question.past_only and day > today):
        return Problem("invalid_date")
    return None


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def page_problems(content: Content, page: Page, answers: Mapping[str, Any], today: dt.date) -> dict[str, Problem]:
    """Problems on one page, keyed by question id: Next stays on the page while any remain."""
    if not isinstance(page, QuestionPage):
        return {}
    problems: dict[str, Problem] = {}
    for question in visible_questions(content, page, answers):
        problem = check_answer(question, answers.get(question.id), today)
        if problem is not None:
            problems[question.id] = problem
    return problems
