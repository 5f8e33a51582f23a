"""Which pages and questions this patient sees, and whether an answer is acceptable.

Conditions may only look at earlier questions (the loader enforces it), so one
pass in page order decides visibility. Answers to questions that became hidden
stay in memory, so a patient who changes their mind back finds them again,
but they are never stored, scored or printed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.rules.answers import is_empty
from kiosk.rules.conditions import all_hold
from kiosk.content import Content
from kiosk.content.model import ConsentPage, Page, Question, QuestionPage

EARLIEST_DATE = dt.date(1900, 1, 1)
_DATE = re.compile(r"^(\d{4}|\?{4})-(\d{2}|\?{2})-(\d{2}|\?{2})$")


@dataclass(frozen=True)
class Problem:
    """Why an answer cannot be accepted: a UI string key and the values it names."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def render(self, content: Content, language: str) -> str:
        values = dict(self.values)
        if isinstance(values.get("month"), int):
            values["month"] = month_name(content, language, values["month"])
        return content.text(self.key, language).format(**values)


def date_words(content: Content, value: Any, language: str) -> str:
    """A whole date as the patient reads it ("April 9, 1988"), from the content's `date_words`; "" if not a date."""
    parts = split_date(value)
    if parts is None or None in parts:
        return ""
    year, month, day = parts
    return content.text("date_words", language).format(month=month_name(content, language, month or 1),
                                                       day=day, year=year)


def month_name(content: Content, language: str, month: int) -> str:
    """A month's name in the patient's language, from the content's `months` string."""
    names = [n.strip() for n in content.text("months", language).split(",")]
    return names[month - 1] if len(names) == 12 else str(month)


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
                    implied = question.implied
                    if is_empty(value) and implied is not None and not is_empty(answers.get(implied.when_answered)):
                        value = implied.answer
                    if not is_empty(value):
                        effective[question.id] = value
    return pages, effective


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
    """A date, or what is wrong with it in words: which part is missing, or which day the month lacks."""
    parts = split_date(value)
    if parts is None:
        return Problem("invalid_date")
    year, month, day = parts
    if month is not None and day is not None:
        # A day the month never has is named at once; 29 February waits for the year.
        longest = calendar.monthrange(year if year is not None else 2000, month)[1]
        if day > longest:
            if month == 2:
                return Problem("date_february" if day > 29 or year is None else "date_february_leap", (("year", year),))
            return Problem("date_month_days", (("month", month), ("days", longest)))
    if month is None:
        return Problem("date_pick_month")
    if day is None:
        return Problem("date_pick_day")
    if year is None:
        return Problem("date_pick_year")
    picked = dt.date(year, month, day)
    if picked < EARLIEST_DATE:
        return Problem("invalid_date")
    if question.past_only and picked > today:
        return Problem("date_in_future")
    return None


def split_date(value: Any) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) of an ISO date or of a partly picked one (`????-02-??`); None when neither."""
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (None if "?" in part else int(part) for part in match.groups())
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return year, month, day


def partial_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """What a date control reports while the patient picks: an ISO date, a partly picked one, or None for nothing."""
    if year is None and month is None and day is None:
        return None
    return "-".join("?" * width if part is None else f"{part:0{width}d}"
                    for part, width in ((year, 4), (month, 2), (day, 2)))


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
