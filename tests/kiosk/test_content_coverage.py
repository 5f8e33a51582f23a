"""The shipped content covers the clinical facts: every screening topic asks and flags, branching works, teach-back teaches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiosk.rules.assessment import assess
from kiosk.content import Content
from kiosk.content.model import InfoPage, QuestionPage
from kiosk.rules.flow import effective_answers, visible_pages, visible_questions

VISIT = dt.date(2026, 11, 24)
BASE = {"sex_at_birth": "female", "form_preference": "injection", "opioid_ever": True, "past_naltrexone": True}

# Facts file section 3: each topic, the answers that make it positive, and the flag it must raise.
TOPICS: list[tuple[str, dict[str, Any], str]] = [
    ("last opioid (short-acting)", {"last_opioid_kind": "short_acting", "last_opioid_date": "2026-11-22"}, "washout_short_acting"),
    ("last opioid (methadone)", {"last_opioid_kind": "methadone", "last_opioid_date": "2026-11-20"}, "washout_methadone"),
    ("last opioid (buprenorphine)", {"last_opioid_kind": "buprenorphine", "last_opioid_date": "2026-11-20"}, "washout_buprenorphine"),
    ("last opioid (tramadol/other)", {"last_opioid_kind": "tramadol_other", "last_opioid_date": "2026-11-20"}, "washout_other"),
    ("prescribed opioid pain medicine", {"opioid_pain_rx": True}, "opioid_pain_rx"),
    ("expected surgery", {"surgery_expected": True}, "surgery_expected"),
    ("methadone maintenance", {"maintenance_now": "methadone"}, "maintenance_now"),
    ("buprenorphine maintenance", {"maintenance_now": "buprenorphine"}, "maintenance_now"),
    ("withdrawal now", {"withdrawal_now": ["yawning", "goosebumps"]}, "withdrawal_now"),
    ("allergy to naltrexone", {"allergy_naltrexone": "yes"}, "allergy_naltrexone"),
    ("allergy to injection parts", {"allergy_injection": "unsure"}, "allergy_injection"),
    ("pregnant", {"pregnant": "yes"}, "pregnancy"),
    ("may be pregnant", {"pregnant": "unsure"}, "pregnancy"),
    ("trying to become pregnant", {"pregnancy_planned": True}, "pregnancy_planned"),
    ("breastfeeding", {"breastfeeding": True}, "breastfeeding"),
    ("liver disease", {"liver_disease": "yes"}, "liver"),
    ("yellowing", {"jaundice": True}, "liver"),
    ("kidney disease", {"kidney_disease": "yes"}, "kidney"),
    ("bleeding / blood thinners", {"bleeding_risk": "yes"}, "bleeding"),
    ("self-harm", {"phq9_9": "several_days"}, "self_harm"),
    ("alcohol", {"audit_c_1": "four_or_more_a_week", "audit_c_2": "five_or_six", "audit_c_3": "weekly"}, "alcohol_screen"),
    ("past naltrexone, went badly", {"past_naltrexone_outcome": "side_effects"}, "past_naltrexone_problem"),
]


@pytest.mark.parametrize(("topic", "positive", "flag"), TOPICS, ids=[t[0] for t in TOPICS])
def test_each_screening_topic_is_asked_and_a_positive_answer_raises_its_flag(
        content: Content, topic: str, positive: dict[str, Any], flag: str) -> None:
    answers = {**BASE, **positive}
    effective = effective_answers(content, answers)
    for qid in positive:
        assert qid in content.questions, f"{topic}: no question {qid}"
        assert qid in effective, f"{topic}: question {qid} is not shown to this patient"
    result = assess(content, effective, VISIT)
    raised = next((f for f in result.flags if f.id == flag), None)
    assert raised is not None, f"{topic}: no flag {flag}"
    assert raised.text and raised.evidence, "a flag says why, with the answers that raised it"


def test_negative_answers_raise_no_review_flags(content: Content) -> None:
    answers = {"sex_at_birth": "female", "form_preference": "injection", "opioid_ever": False, "opioid_pain_rx": False,
               "surgery_expected": False, "maintenance_now": "none", "withdrawal_now": ["none"],
               "allergy_naltrexone": "no", "allergy_injection": "no", "pregnant": "no", "pregnancy_planned": False,
               "breastfeeding": False, "liver_disease": "no", "jaundice": False, "kidney_disease": "no",
               "bleeding_risk": "no", "past_naltrexone": False, "audit_c_1": "never",
               **{f"phq9_{n}": "not_at_all" for n in range(1, 10)},
               **{q: "never" for q in ("taps_tobacco", "taps_alcohol_women", "taps_drugs", "taps_rx")}}
    result = assess(content, effective_answers(content, answers), VISIT)
    assert [f.id for f in result.flags if f.severity != "info"] == []


def _shown(content: Content, answers: dict[str, Any]) -> set[str]:
    shown: set[str] = set()
    for page in visible_pages(content, answers):
        if isinstance(page, QuestionPage):
            shown |= {q.id for q in visible_questions(content, page, answers)}
    return shown


@pytest.mark.parametrize(("preference", "asked"), [("tablet", False), ("injection", True), ("undecided", True)])
def test_injection_only_questions_only_when_the_injection_is_of_interest(
        content: Content, preference: str, asked: bool) -> None:
    shown = _shown(content, {"form_preference": preference})
    assert ("allergy_injection" in shown) is asked
    assert ("bleeding_risk" in shown) is asked


@pytest.mark.parametrize(("sex", "asked"), [("male", False), ("female", True), ("unknown", True), (None, True)])
def test_pregnancy_questions_only_when_relevant(content: Content, sex: str | None, asked: bool) -> None:
    shown = _shown(content, {"sex_at_birth": sex} if sex else {})
    assert {"pregnant", "pregnancy_planned", "breastfeeding"} <= shown if asked else not shown & {"pregnant", "breastfeeding"}


def test_alcohol_follow_ups_only_for_people_who_drink(content: Content) -> None:
    assert not _shown(content, {"audit_c_1": "never"}) & {"audit_c_2", "audit_c_3"}
    assert {"audit_c_2", "audit_c_3"} <= _shown(content, {"audit_c_1": "monthly_or_less"})


def test_teach_back_covers_the_three_safety_points_and_tells_the_right_answer(content: Content) -> None:
    page = next(p for p in content.pages if isinstance(p, QuestionPage) and p.teach_back)
    assert [q.id for q in page.questions] == ["tb_opioid_free", "tb_overdose", "tb_emergency"]
    for question in page.questions:
        right = [o for o in question.options if o.correct]
        assert len(right) == 1
        assert question.feedback is not None and all(question.feedback.get(lang) for lang in content.languages)
    assert content.questions["tb_opioid_free"].option("seven_to_ten_days").correct


def test_a_wrong_teach_back_answer_is_flagged_for_the_clinician(content: Content) -> None:
    wrong = assess(content, {"tb_overdose": "safe"}, VISIT)
    right = assess(content, {"tb_overdose": "overdose"}, VISIT)
    assert "teach_back_overdose" in {f.id for f in wrong.flags}
    assert "teach_back_overdose" not in {f.id for f in right.flags}


# Facts sections 1 and 2: words each point needs on some education screen (English).
EDUCATION_POINTS = {
    "FDA approved": ["FDA"], "opioids and alcohol": ["opioids", "drinking"], "blocks the high": ["blocks", "high"],
    "not an opioid, not habit-forming": ["not an opioid", "habit-forming"], "cravings": ["cravings"],
    "no withdrawal relief; 7-10 days": ["does not ease withdrawal", "7 to"], "tablet doses": ["25", "50", "100 mg"],
    "at home or at the clinic": ["at home", "at the clinic"], "injection": ["Vivitrol", "380 mg", "every 4 weeks", "buttock"],
    "whole plan": ["counselor", "therapy"], "side effects": ["headache", "nervous", "joints", "few days"],
    "overdose": ["stop", "miss a dose", "end of a shot", "can kill", "family"], "naloxone": ["Naloxone", "nalmefene"],
    "emergency": ["wallet card", "medical alert", "pain"], "injection site": ["hard lump", "blisters", "2 weeks", "surgery"],
    "mood": ["hurting yourself"], "liver": ["liver", "blood test"], "lab tests": ["urine drug tests"],
    "pregnancy": ["pregnant", "breastfeeding"], "right for you": ["withdrawal", "talk it over"],
}


def test_every_education_point_is_on_a_screen(content: Content) -> None:
    screens = [p.title.get("en") + " " + p.body.get("en") for p in content.pages if isinstance(p, InfoPage)]
    for point, words in EDUCATION_POINTS.items():
        assert any(all(w in s for w in words) for s in screens), f"education point missing: {point}"


def test_instruments_carry_their_loinc_codes(content: Content) -> None:
    phq9, audit = content.instruments["phq9"], content.instruments["audit_c"]
    assert (phq9.loinc_panel, phq9.loinc_total) == ("44249-1", "44261-6")
    assert (audit.loinc_panel, audit.loinc_total) == ("72109-2", "75626-2")
    assert [content.questions[i].loinc for i in audit.items] == ["68518-0", "68519-8", "68520-6"]
    assert all(content.questions[i].loinc for i in phq9.items)
    assert [o.loinc for o in content.questions["phq9_1"].options] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert content.instruments["taps1"].scoring == "items"


def test_crisis_text_is_clinic_content_in_every_language_with_988(content: Content) -> None:
    for language in content.languages:
        assert content.text("crisis_title", language) != "crisis_title"
        assert "988" in content.text("crisis_body", language)
    assert content.text("crisis_body", "es") != content.text("crisis_body", "en")
