"""Scores, bands, cut-offs and flags against the tables in the clinical facts file (section 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from content_fixtures import FIXTURES
from kiosk.rules.assessment import Assessment, assess
from kiosk.content import Content, load_content
from kiosk.rules.flow import effective_answers, visible_questions

VISIT = dt.date(2026, 11, 24)
PHQ_CODES = ["not_at_all", "several_days", "more_than_half", "nearly_every_day"]


def run(content: Content, answers: dict[str, Any]) -> Assessment:
    """Through the same steps as a submission: effective answers, then the one scorer."""
    return assess(content, effective_answers(content, answers), VISIT)


def flag_ids(result: Assessment) -> set[str]:
    return {f.id for f in result.flags}


def phq9(total: int, item9: int = 0) -> dict[str, str]:
    """PHQ-9 answers adding up to `total`, with item 9 fixed."""
    left = total - item9
    answers = {"phq9_9": PHQ_CODES[item9]}
    for n in range(1, 9):
        points = min(3, left)
        answers[f"phq9_{n}"] = PHQ_CODES[points]
        left -= points
    assert left == 0, "total out of reach"
    return answers


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (24, "severe"),
])
def test_phq9_band_at_every_boundary(content: Content, total: int, band: str) -> None:
    score = run(content, phq9(total)).scores["phq9"]
    assert (score.total, score.band, score.complete) == (total, band, True)
    assert (score.loinc_panel, score.loinc_total) == ("44249-1", "44261-6")


def test_phq9_top_of_the_scale_is_severe(content: Content) -> None:
    score = run(content, phq9(27, item9=3)).scores["phq9"]
    assert (score.total, score.band) == (27, "severe")


def test_phq9_positive_from_10(content: Content) -> None:
    nine, ten = run(content, phq9(9)), run(content, phq9(10))
    assert not nine.scores["phq9"].positive and "depression_screen" not in flag_ids(nine)
    assert ten.scores["phq9"].positive and "depression_screen" in flag_ids(ten)
    assert ten.scores["phq9"].cutoff == 10


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_above_0_is_urgent_whatever_the_total(content: Content, item9: int) -> None:
    result = run(content, phq9(item9, item9=item9))
    assert result.scores["phq9"].band == "minimal"
    assert result.urgent and result.flags[0].id == "self_harm" and result.flags[0].severity == "urgent"
    assert result.flags[0].evidence[0].value == content.questions["phq9_9"].options[item9].text.get("en")


def test_phq9_high_total_with_item9_at_0_is_not_urgent(content: Content) -> None:
    result = run(content, phq9(24))
    assert not result.urgent and "self_harm" not in flag_ids(result)


def audit(q1: str, q2: str | None = None, q3: str | None = None, sex: str | None = None) -> dict[str, str]:
    answers = {"audit_c_1": q1}
    if q2:
        answers["audit_c_2"] = q2
    if q3:
        answers["audit_c_3"] = q3
    if sex:
        answers["sex_at_birth"] = sex
    return answers


@pytest.mark.parametrize(("sex", "total", "positive", "cutoff"), [
    ("male", 3, False, 4), ("male", 4, True, 4),
    ("female", 2, False, 3), ("female", 3, True, 3),
    (None, 2, False, 3), (None, 3, True, 3),
    ("unknown", 2, False, 3), ("unknown", 3, True, 3),
])
def test_audit_c_sex_specific_cutoffs(content: Content, sex: str | None, total: int, positive: bool, cutoff: int) -> None:
    q1 = ["never", "monthly_or_less", "two_to_four_a_month", "two_to_three_a_week", "four_or_more_a_week"][total - 1]
    result = run(content, audit(q1, "three_or_four", "never", sex))
    score = result.scores["audit_c"]
    assert (score.total, score.positive, score.cutoff) == (total, positive, cutoff)
    assert ("alcohol_screen" in flag_ids(result)) is positive
    assert (score.loinc_panel, score.loinc_total) == ("72109-2", "75626-2")


def test_audit_c_without_sex_says_the_lower_cutoff_is_used(content: Content) -> None:
    result = run(content, audit("two_to_three_a_week", "one_or_two", "never"))
    score = result.scores["audit_c"]
    assert "sex not given" in score.cutoff_note and "lower cut-off" in score.cutoff_note
    flag = next(f for f in result.flags if f.id == "alcohol_screen")
    assert any("sex not given" in e.value for e in flag.evidence)
    assert run(content, audit("two_to_three_a_week", sex="male")).scores["audit_c"].cutoff_note == "men: 4 or more"


def test_audit_c_follow_ups_skipped_for_non_drinkers_count_zero(content: Content) -> None:
    answers = audit("never", "ten_or_more", "daily", "male")  # stale answers from before the patient changed Q1
    page = content.page_of["audit_c_1"]
    assert [q.id for q in visible_questions(content, page, answers)] == ["audit_c_1"]
    score = run(content, answers).scores["audit_c"]
    assert (score.total, score.complete, score.positive) == (0, True, False)


def test_audit_c_notes_when_all_points_come_from_question_1(content: Content) -> None:
    only_q1 = run(content, audit("four_or_more_a_week", "one_or_two", "never", "male"))
    assert only_q1.scores["audit_c"].total == 4 and "alcohol_q1_only" in flag_ids(only_q1)
    mixed = run(content, audit("two_to_three_a_week", "three_or_four", "never", "male"))
    assert mixed.scores["audit_c"].total == 4 and "alcohol_q1_only" not in flag_ids(mixed)


@pytest.mark.parametrize(("item", "flag"), [
    ("taps_tobacco", "taps_tobacco"), ("taps_drugs", "taps_drugs"), ("taps_rx", "taps_rx"),
])
def test_taps1_any_answer_but_never_is_positive_for_that_substance(content: Content, item: str, flag: str) -> None:
    for option in content.questions[item].options:
        result = run(content, {item: option.code})
        assert (flag in flag_ids(result)) is (option.code != "never"), option.code
        assert {f.id for f in result.flags if f.id.startswith("taps_")} <= {flag}
    assert "taps1" not in run(content, {item: "daily"}).scores, "TAPS-1 has no total"


@pytest.mark.parametrize(("sex", "item"), [
    ("male", "taps_alcohol_men"), ("female", "taps_alcohol_women"), (None, "taps_alcohol_women"),
])
def test_taps1_alcohol_item_wording_follows_sex(content: Content, sex: str | None, item: str) -> None:
    answers = {"sex_at_birth": sex} if sex else {}
    shown = [q.id for q in visible_questions(content, content.page_of["taps_tobacco"], answers)]
    assert item in shown and len([q for q in shown if q.startswith("taps_alcohol")]) == 1
    assert ("5 or more" if sex == "male" else "4 or more") in content.questions[item].text.get("en")
    assert "taps_alcohol" in flag_ids(run(content, {**answers, item: "less_than_monthly"}))
    assert "taps_alcohol" not in flag_ids(run(content, {**answers, item: "never"}))


@pytest.mark.parametrize(("kind", "flag", "interval"), [
    ("short_acting", "washout_short_acting", 7),
    ("methadone", "washout_methadone", 14),
    ("buprenorphine", "washout_buprenorphine", 14),
    ("tramadol_other", "washout_other", 14),
])
def test_days_since_last_opioid_flagged_against_the_interval_for_its_kind(
        content: Content, kind: str, flag: str, interval: int) -> None:
    def at(days: int) -> Assessment:
        last = (VISIT - dt.timedelta(days=days)).isoformat()
        return run(content, {"opioid_ever": True, "last_opioid_kind": kind, "last_opioid_date": last})

    inside, outside = at(interval - 1), at(interval)
    assert inside.derived["days_since_opioid"] == interval - 1
    assert flag in flag_ids(inside) and flag not in flag_ids(outside)
    washouts = {f for f in flag_ids(inside) if f.startswith("washout_")}
    assert washouts == {flag}, "only the kind's own interval applies"
    evidence = {e.label: e.value for e in next(f for f in inside.flags if f.id == flag).evidence}
    assert evidence["Days since last opioid"] == str(interval - 1)


def test_days_since_knows_its_kind_question(content: Content) -> None:
    derived = content.derived["days_since_opioid"]
    assert (derived.question, derived.kind_question) == ("last_opioid_date", "last_opioid_kind")


def test_long_acting_intervals_are_worded_for_the_clinician_to_confirm(content: Content) -> None:
    for rule in content.flags:
        if rule.id in ("washout_methadone", "washout_buprenorphine", "washout_other"):
            assert "confirm" in rule.clinician


@pytest.fixture(scope="module")
def dast10() -> Content:
    return load_content(FIXTURES / "dast10")


def dast(yes: set[int]) -> dict[str, str]:
    return {f"dast_{n}": "yes" if n in yes else "no" for n in range(1, 11)}


@pytest.mark.parametrize(("yes", "total", "band"), [
    ({3}, 0, "none"),
    (set(), 1, "low"),
    ({1, 3}, 1, "low"),
    ({1}, 2, "low"),
    ({1, 2}, 3, "moderate"),
    ({1, 2, 4, 5}, 5, "moderate"),
    ({1, 2, 4, 5, 6}, 6, "substantial"),
    ({1, 2, 4, 5, 6, 7, 8}, 8, "substantial"),
    ({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 9, "severe"),
    ({1, 2, 4, 5, 6, 7, 8, 9, 10}, 10, "severe"),
])
def test_dast10_fixture_one_point_per_yes_and_item_3_reversed(dast10: Content, yes: set[int], total: int, band: str) -> None:
    score = assess(dast10, dast(yes), VISIT).scores["dast10"]
    assert (score.total, score.band, score.complete) == (total, band, True)
