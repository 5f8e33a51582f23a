"""Last opioid use: quick choices feed the washout flags at the fewest days they can mean; exact dates still score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiosk.rules.assessment import assess
from kiosk.content import Content
from kiosk.rules.flow import check_answer, effective_answers, visible_questions

VISIT = dt.date(2026, 11, 24)

QUICK_CHOICES = ["today", "yesterday", "days_2_3", "days_4_6", "days_7_10", "days_11_14", "over_2_weeks",
                 "not_sure", "exact_date"]


def run(content: Content, answers: dict[str, Any]):
    effective = effective_answers(content, answers)
    return effective, assess(content, effective, VISIT)


def test_quick_choices_come_first_in_plain_words_and_the_exact_date_only_on_request(content: Content) -> None:
    quick = content.questions["last_opioid_when"]
    assert [o.code for o in quick.options] == QUICK_CHOICES
    assert [o.text.get("en") for o in quick.options][:8] == [
        "Today", "Yesterday", "2 to 3 days ago", "4 to 6 days ago", "7 to 10 days ago", "11 to 14 days ago",
        "More than 2 weeks ago", "Not sure"]
    page = content.page_of["last_opioid_when"]
    shown = lambda answers: [q.id for q in visible_questions(content, page, answers)]  # noqa: E731
    assert "last_opioid_when" in shown({"opioid_ever": True})
    assert "last_opioid_date" not in shown({"opioid_ever": True, "last_opioid_when": "days_4_6"})
    assert "last_opioid_date" in shown({"opioid_ever": True, "last_opioid_when": "exact_date"})


@pytest.mark.parametrize(("choice", "days"), [
    ("today", 0), ("yesterday", 1), ("days_2_3", 2), ("days_4_6", 4), ("days_7_10", 7), ("days_11_14", 11),
    ("over_2_weeks", 15),
])
def test_a_range_counts_its_fewest_days(content: Content, choice: str, days: int) -> None:
    _, result = run(content, {"opioid_ever": True, "last_opioid_kind": "short_acting", "last_opioid_when": choice})
    assert result.derived["days_since_opioid"] == days


@pytest.mark.parametrize(("kind", "choice", "flag", "raised"), [
    ("short_acting", "days_4_6", "washout_short_acting", True),
    ("short_acting", "days_7_10", "washout_short_acting", False),
    ("methadone", "days_11_14", "washout_methadone", True),   # 14 days ago is fine, but 11 is not: flag
    ("buprenorphine", "days_7_10", "washout_buprenorphine", True),
    ("buprenorphine", "over_2_weeks", "washout_buprenorphine", False),
    ("tramadol_other", "days_11_14", "washout_other", True),
])
def test_quick_choices_feed_the_washout_flags_at_the_conservative_end(
        content: Content, kind: str, choice: str, flag: str, raised: bool) -> None:
    _, result = run(content, {"opioid_ever": True, "last_opioid_kind": kind, "last_opioid_when": choice})
    found = next((f for f in result.flags if f.id == flag), None)
    assert (found is not None) is raised
    if found is not None:
        evidence = {e.label: e.value for e in found.evidence}
        assert "patient chose" in evidence["Days since last opioid"]


def test_not_sure_raises_a_flag_for_the_clinician_and_no_days(content: Content) -> None:
    _, result = run(content, {"opioid_ever": True, "last_opioid_kind": "methadone", "last_opioid_when": "not_sure"})
    assert "days_since_opioid" not in result.derived
    unsure = next(f for f in result.flags if f.id == "last_opioid_unsure")
    assert unsure.severity != "info" and "confirm" in unsure.text


def test_an_old_response_with_only_an_exact_date_is_still_scored(content: Content) -> None:
    old = {"opioid_ever": True, "last_opioid_kind": "short_acting", "last_opioid_date": "2026-11-21"}
    effective, result = run(content, old)
    assert effective["last_opioid_date"] == "2026-11-21"
    assert effective["last_opioid_when"] == "exact_date"
    assert result.derived["days_since_opioid"] == 3
    assert "washout_short_acting" in {f.id for f in result.flags}


def test_an_exact_date_wins_over_a_quick_choice_left_behind(content: Content) -> None:
    answers = {"opioid_ever": True, "last_opioid_kind": "short_acting", "last_opioid_when": "exact_date",
               "last_opioid_date": "2026-11-04"}
    _, result = run(content, answers)
    assert result.derived["days_since_opioid"] == 20
    answers["last_opioid_when"] = "days_2_3"  # changed their mind: the hidden date no longer counts
    _, result = run(content, answers)
    assert result.derived["days_since_opioid"] == 2


@pytest.mark.parametrize(("value", "english", "spanish"), [
    ("????-02-30", "February has 28 or 29 days. Please pick another day.",
     "Febrero tiene 28 o 29 días. Por favor, elija otro día."),
    ("2025-02-29", "February 2025 has 28 days. Please pick another day.",
     "Febrero de 2025 tiene 28 días. Por favor, elija otro día."),
    ("1990-04-31", "April has 30 days. Please pick another day.",
     "El mes de abril tiene 30 días. Por favor, elija otro día."),
    ("????-04-12", "Please pick a year.", "Por favor, elija un año."),
    ("1990-??-12", "Please pick a month.", "Por favor, elija un mes."),
    ("1990-04-??", "Please pick a day.", "Por favor, elija un día."),
    ("2027-01-01", "This date has not come yet. Please pick a past date.",
     "Esa fecha todavía no ha llegado. Por favor, elija una fecha pasada."),
])
def test_a_bad_date_says_what_is_wrong(content: Content, value: str, english: str, spanish: str) -> None:
    dob = content.questions[content.manifest.identity.dob]
    problem = check_answer(dob, value, VISIT)
    assert problem is not None
    assert problem.render(content, "en") == english
    assert problem.render(content, "es") == spanish


def test_a_leap_day_is_a_real_date(content: Content) -> None:
    dob = content.questions[content.manifest.identity.dob]
    assert check_answer(dob, "2024-02-29", VISIT) is None


def test_review_shows_a_date_in_words_in_the_patients_language(content: Content, tmp_path) -> None:
    from kiosk.patient.intake import IntakeController
    from kiosk.storage.db import connect
    from kiosk.storage.sqlite_submissions import SubmissionStore

    ctl = IntakeController(content, SubmissionStore(connect(tmp_path / "k.db")), tmp_path / "out", lambda: "C")
    ctl.set_answer(content.manifest.identity.dob, "1988-04-09")
    rows = {question: answer for _, question, answer in ctl.review_rows()}
    dob = content.questions[content.manifest.identity.dob]
    assert rows[dob.text.get("en")] == "April 9, 1988"
    ctl.set_language("es")
    rows = {question: answer for _, question, answer in ctl.review_rows()}
    assert rows[dob.text.get("es")] == "9 de abril de 1988"
