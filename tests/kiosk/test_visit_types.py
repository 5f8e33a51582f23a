"""Visit types as content: the intake and the follow-up are two questionnaires in one content folder."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kiosk.rules.assessment import assess
from kiosk.cli import main
from kiosk.content import Content, ContentInvalid, check_folder, load_content, load_visits
from kiosk.content.model import QuestionPage
from kiosk.rules.flow import visible_pages, visible_questions
from kiosk.system.paths import content_dir

VISIT_DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def follow_up() -> Content:
    return load_content(content_dir(), visit="follow-up")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(content_dir(), tmp_path / "content")
    shutil.copytree(content_dir().parent / "images", tmp_path / "images")
    return tmp_path / "content"


def test_the_folder_holds_an_intake_and_a_follow_up_each_with_its_url_and_version(content: Content) -> None:
    visits = load_visits(content_dir())
    assert list(visits) == ["intake", "follow-up"]
    intake, follow = visits["intake"], visits["follow-up"]
    assert intake.questions.keys() == content.questions.keys(), "the intake is today's questionnaire"
    assert intake.url == "urn:naltrexone-kiosk:questionnaire:intake"
    assert follow.url == "urn:naltrexone-kiosk:questionnaire:follow-up"
    assert follow.version != "" and follow.visit == "follow-up" and intake.visit == "intake"
    assert "opioid_since_visit" in follow.questions and "opioid_since_visit" not in intake.questions
    assert "education_before" not in follow.questions


def test_the_follow_up_reuses_the_intakes_instruments_identity_and_quick_choices(content: Content,
                                                                                follow_up: Content) -> None:
    assert set(follow_up.instruments) == {"phq9", "audit_c"}
    for shared in ("patient_name", "date_of_birth", "phq9_9", "audit_c_1", "last_opioid_when", "naloxone_home"):
        assert shared in follow_up.questions
    when = follow_up.questions["last_opioid_when"]
    assert when.options == content.questions["last_opioid_when"].options
    assert follow_up.derived["days_since_opioid"] == content.derived["days_since_opioid"]
    cravings = follow_up.questions["cravings"]
    assert (cravings.type, cravings.min, cravings.max) == ("integer", 0, 10)
    assert not any(rule for rule in follow_up.flags if any(c.question == "cravings" for c in rule.enable_when))


def _walk(content: Content, answers: dict[str, Any]) -> list[str]:
    """The question ids a patient with `answers` is shown."""
    return [q.id for p in visible_pages(content, answers) if isinstance(p, QuestionPage)
            for q in visible_questions(content, p, answers)]


def test_phq9_item_9_is_always_asked_in_the_follow_up(follow_up: Content) -> None:
    for answers in ({}, {"sex_at_birth": "male", "form_preference": "tablet"},
                    {"form_preference": "injection", "phq9_1": "not_at_all", "phq9_2": "not_at_all"}):
        assert "phq9_9" in _walk(follow_up, {"consent": True, **answers})


def _flags(content: Content, answers: dict[str, Any]) -> dict[str, str]:
    return {f.id: f.severity for f in assess(content, answers, VISIT_DAY).flags}


def test_opioid_use_since_the_last_visit_is_a_stop_for_the_next_dose(follow_up: Content) -> None:
    flags = _flags(follow_up, {"opioid_since_visit": True, "last_opioid_kind": "short_acting",
                               "last_opioid_when": "over_2_weeks"})
    assert flags["opioid_since_visit"] == "stop"
    assert "opioid_since_visit" not in _flags(follow_up, {"opioid_since_visit": False})


def test_follow_up_flags_for_the_shot_site_liver_mood_doses_medicines_and_naloxone(follow_up: Content) -> None:
    flags = _flags(follow_up, {
        "form_preference": "injection", "shot_site_problems": ["hard_lump"], "missed_shot": True,
        "liver_signs": ["dark_urine"], "phq9_9": "several_days", "new_medicines": True, "naloxone_home": "no",
        "pregnant": "unsure"})
    assert flags == {"shot_site_review": "review", "missed_shot": "review", "liver_signs": "review",
                     "self_harm": "urgent", "new_medicines": "review", "offer_naloxone": "info", "pregnancy": "stop"}
    mild = _flags(follow_up, {"shot_site_problems": ["redness", "swelling"], "missed_pills": "few_days"})
    assert mild == {"shot_site_mild": "info", "missed_pills": "review"}
    quiet = _flags(follow_up, {"shot_site_problems": ["none"], "liver_signs": ["none"], "naloxone_home": "yes",
                               "missed_pills": "no", "cravings": 10})
    assert quiet == {}


def test_the_shot_site_warning_says_severe_reactions_need_a_clinician(follow_up: Content) -> None:
    page = follow_up.page_of["shot_site_problems"]
    assert page.intro is not None
    assert "doctor or nurse" in page.intro.get("en") and "médico" in page.intro.get("es")


def test_check_content_validates_every_visit_type(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = folder / "follow_up" / "since_last_visit.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("question: opioid_since_visit, operator",
                                                                  "question: opioid_since_vist, operator", 1),
                      encoding="utf-8")
    errors = check_folder(folder)
    assert [e.file for e in errors] == ["follow_up/since_last_visit.yaml"]
    assert "opioid_since_vist" in errors[0].message
    load_content(folder)  # the intake alone is still fine
    assert main(["check-content", str(folder)]) == 1
    assert "follow_up/since_last_visit.yaml" in capsys.readouterr().err


def test_a_visit_id_or_url_used_twice_is_an_error(folder: Path) -> None:
    manifest = folder / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("urn:naltrexone-kiosk:questionnaire:follow-up",
                                     "urn:naltrexone-kiosk:questionnaire:intake"), encoding="utf-8")
    errors = check_folder(folder)
    assert [(e.file, e.place) for e in errors] == [("manifest.yaml", "visits[0].url")]


def test_an_unknown_visit_type_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ContentInvalid, match="no visit type 'monthly'.*intake, follow-up"):
        load_content(content_dir(), visit="monthly")


def test_each_visit_type_keeps_its_own_compiled_copy(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_visits(folder, cache_dir=cache)
    assert len(list(cache.glob("content-*.pickle"))) == 2
    again = load_visits(folder, cache_dir=cache)
    assert {k: v.questions.keys() for k, v in again.items()} == {k: v.questions.keys() for k, v in first.items()}
    assert again["follow-up"].visit == "follow-up"


def test_questionnaire_list_and_visit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["questionnaire", "--list"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [row[0] for row in rows] == ["intake", "follow-up"]
    assert rows[1][1].startswith("urn:naltrexone-kiosk:questionnaire:follow-up|")
    assert main(["questionnaire", "--format", "fhir", "--visit", "follow-up", "--out", str(tmp_path / "q.json")]) == 0
    exported = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    assert exported["url"] == "urn:naltrexone-kiosk:questionnaire:follow-up"
    assert exported["id"] == "naltrexone-kiosk-follow-up"
    capsys.readouterr()
    assert main(["questionnaire"]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == "urn:naltrexone-kiosk:questionnaire:intake"
    assert main(["questionnaire", "--visit", "monthly"]) == 1
    assert "no visit type 'monthly'" in capsys.readouterr().err


def _own_pages(follow_up: Content) -> list[QuestionPage]:
    """The follow-up's own question pages (not the published PHQ-9 and AUDIT-C wording it reuses)."""
    own = [name for name in follow_up.manifest.files if name.startswith("follow_up/")]
    return [p for name in own for p in follow_up.files[name].pages if isinstance(p, QuestionPage)]


def test_the_follow_ups_own_questions_read_at_grade_6_or_below(follow_up: Content) -> None:
    import textstat

    pages = _own_pages(follow_up)
    assert len(pages) >= 5
    for page in pages:
        parts = [page.title.get("en"), page.intro.get("en") if page.intro else ""]
        for question in page.questions:
            parts.append(question.text.get("en"))
        text = " ".join(part if part.endswith((".", "?")) else f"{part}." for part in parts if part)
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= 6.0, f"{page.id}: Flesch-Kincaid grade {grade}"
