"""Branching, validation and the effective answers that are stored."""

from __future__ import annotations

import datetime as dt

from kiosk.content import Content
from kiosk.rules.flow import check_answer, effective_answers, page_problems, visible_pages, visible_questions

TODAY = dt.date(2026, 11, 24)


def _question_of_type(content: Content, kind: str):
    return next(q for q in content.questions.values() if q.type == kind)


def test_hidden_answers_are_kept_in_memory_but_not_stored(content: Content) -> None:
    opioid = content.page_of["last_opioid_date"]
    answers = {"opioid_ever": True, "last_opioid_when": "exact_date", "last_opioid_date": "2026-11-20"}
    assert "last_opioid_date" in [q.id for q in visible_questions(content, opioid, answers)]
    assert effective_answers(content, answers)["last_opioid_date"] == "2026-11-20"
    answers["opioid_ever"] = False
    assert "last_opioid_date" not in [q.id for q in visible_questions(content, opioid, answers)]
    assert "last_opioid_date" not in effective_answers(content, answers)
    assert answers["last_opioid_date"] == "2026-11-20"


def test_every_page_visible_with_no_conditions_is_listed_in_order(content: Content) -> None:
    pages = visible_pages(content, {})
    ids = [p.id for p in content.pages]
    assert [p.id for p in pages] == [i for i in ids if i in {p.id for p in pages}]
    assert pages[0].kind == "consent"


def test_required_answer_missing_is_a_problem_and_optional_is_not(content: Content) -> None:
    required = next(q for q in content.questions.values() if q.required and q.type == "string")
    optional = next(q for q in content.questions.values() if not q.required)
    assert check_answer(required, None, TODAY).key == "required_missing"
    assert check_answer(optional, None, TODAY) is None


def test_dates_in_the_future_or_malformed_are_refused_for_past_only(content: Content) -> None:
    dob = content.questions[content.manifest.identity.dob]
    assert check_answer(dob, "1990-02-03", TODAY) is None
    assert check_answer(dob, "2027-01-01", TODAY).key == "date_in_future"
    assert check_answer(dob, "invalid", TODAY).key == "invalid_date"
    assert check_answer(dob, "1899-12-31", TODAY).key == "invalid_date"


def test_numbers_outside_the_range_say_the_range(content: Content) -> None:
    number = _question_of_type(content, "integer")
    problem = check_answer(number, int(number.max) + 1, TODAY)
    assert problem.key == "number_range"
    assert problem.render(content, "en") == f"Please enter a number from {int(number.min)} to {int(number.max)}."
    assert check_answer(number, True, TODAY).key == "invalid_number"


def test_text_longer_than_the_limit_is_refused(content: Content) -> None:
    text = _question_of_type(content, "string")
    assert check_answer(text, "x" * text.text_limit, TODAY) is None
    assert check_answer(text, "x" * (text.text_limit + 1), TODAY) is not None


def test_page_problems_name_each_unanswered_required_question(content: Content) -> None:
    page = content.page_of[content.manifest.identity.name]
    problems = page_problems(content, page, {}, TODAY)
    required = [q.id for q in visible_questions(content, page, {}) if q.required]
    assert sorted(problems) == sorted(required)
