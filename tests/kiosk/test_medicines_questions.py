"""What a prescriber still lacked: current medicines (with opioid-containing ones prompted), other drug allergies
and naloxone at home, asked plainly in both languages and flagged."""

from __future__ import annotations

import datetime as dt

import pytest
import textstat

from kiosk.rules.assessment import assess
from kiosk.content import Content
from kiosk.rules.flow import effective_answers, visible_pages, visible_questions

VISIT = dt.date(2026, 11, 24)
NEW = ("opioid_medicines", "medicines_list", "drug_allergy_other", "drug_allergy_list", "naloxone_home")


def flags(content: Content, answers: dict) -> dict[str, str]:
    return {f.id: f.severity for f in assess(content, effective_answers(content, answers), VISIT).flags}


def test_every_patient_is_asked_about_medicines_allergies_and_naloxone(content: Content) -> None:
    answers = {"drug_allergy_other": True}
    shown = {q.id for p in visible_pages(content, answers) if hasattr(p, "questions")
             for q in visible_questions(content, p, answers)}
    assert set(NEW) <= shown
    prompts = " ".join(o.text.get("en") for o in content.questions["opioid_medicines"].options)
    for prompt in ("codeine", "diarrhea", "Pain pills"):
        assert prompt in prompts
    assert content.questions["opioid_medicines"].option("none").exclusive


@pytest.mark.parametrize("qid", NEW)
def test_new_questions_are_plain_and_translated(content: Content, qid: str) -> None:
    question = content.questions[qid]
    assert question.text.get("es") and question.text.get("es") != question.text.get("en")
    assert textstat.flesch_kincaid_grade(question.text.get("en")) <= 6.0, question.text.get("en")
    for option in question.options:
        assert option.text.root.get("es"), option.code


@pytest.mark.parametrize(("answer", "raised"), [("no", True), ("unsure", True), ("yes", False)])
def test_no_naloxone_at_home_raises_offer_naloxone(content: Content, answer: str, raised: bool) -> None:
    found = flags(content, {"naloxone_home": answer})
    assert (found.get("offer_naloxone") == "info") is raised


@pytest.mark.parametrize(("chosen", "raised"), [(["cough_codeine"], True), (["antidiarrheal"], True),
                                                (["pain_pills"], True), (["none"], False)])
def test_an_opioid_containing_medicine_is_flagged(content: Content, chosen: list[str], raised: bool) -> None:
    assert ("opioid_medicines" in flags(content, {"opioid_medicines": chosen})) is raised


def test_another_drug_allergy_is_flagged_with_the_patients_words(content: Content) -> None:
    result = assess(content, effective_answers(content, {"drug_allergy_other": True,
                                                         "drug_allergy_list": "Penicillin: hives"}), VISIT)
    assert any(f.id == "drug_allergy_other" for f in result.flags)
