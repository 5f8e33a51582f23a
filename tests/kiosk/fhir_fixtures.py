"""A content folder for the FHIR and CSV tests: the shipped content plus a small scored test instrument.

The shipped content is copied as it is (so the tests follow it as it grows)
and one file is added whose instrument has a panel, item and answer LOINC
code, a band table, a cut-off and an urgent flag on its total. The codes are
placeholders for the test, not real LOINC codes.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import yaml

from answer_plans import plan_answer
from kiosk.content import Content, load_content
from kiosk.content.model import ConsentPage, QuestionPage
from kiosk.rules.flow import visible_pages, visible_questions
from kiosk.system.paths import content_dir, resources_dir
from kiosk.patient.pipeline import finalize
from kiosk.storage.submissions import Submission

TEST_FILE = "fhir_test_scale.yaml"
FLAG_TEXT = "Test Scale total at or above 3: see the patient today."


def _t(en: str) -> dict[str, str]:
    return {"en": en, "es": f"{en} (es)"}


SCALE: dict[str, Any] = {
    "pages": [{
        "kind": "questions", "id": "fhir_scale_page", "section": "Test scale", "title": _t("A few more questions"),
        "intro": _t("Pick the answer that fits best."),
        "questions": [
            {"id": "fhir_scale_a", "type": "choice", "loinc": "90001-1", "clinician_label": "Scale item A",
             "text": _t("How often do you feel tired?"), "help": _t("Think about the last two weeks."),
             "options": [{"code": "never", "text": _t("Never"), "score": 0},
                         {"code": "sometimes", "text": _t("Sometimes"), "score": 1, "loinc": "LA6270-8"},
                         {"code": "often", "text": _t("Often"), "score": 3}]},
            {"id": "fhir_scale_b", "type": "choice", "clinician_label": "Scale item B",
             "text": _t("How often do you sleep badly?"),
             "enable_when": [{"question": "fhir_scale_a", "operator": "!=", "answer": "never"}],
             "options": [{"code": "never", "text": _t("Never"), "score": 0},
                         {"code": "often", "text": _t("Often"), "score": 2}]},
            {"id": "fhir_scale_kinds", "type": "multi", "required": False, "clinician_label": "Scale kinds",
             "text": _t("Which of these apply?"),
             "options": [{"code": "one", "text": _t("One")}, {"code": "two", "text": _t("Two")},
                         {"code": "three", "text": _t("Three")}]},
            {"id": "fhir_scale_weight", "type": "decimal", "required": False, "min": 0, "max": 500,
             "clinician_label": "Scale weight", "text": _t("Your weight in pounds?")},
            {"id": "fhir_scale_days", "type": "integer", "required": False, "min": 0, "max": 30,
             "clinician_label": "Scale days", "text": _t("On how many days?")},
            {"id": "fhir_scale_since", "type": "date", "required": False, "past_only": True,
             "clinician_label": "Scale since", "text": _t("Since when?")},
            {"id": "fhir_scale_ok", "type": "boolean", "required": False,
             "clinician_label": "Scale ok", "text": _t("Is that all right?")},
            {"id": "fhir_scale_note", "type": "text", "required": False, "max_length": 300,
             "clinician_label": "Scale note", "text": _t("Anything to add?")},
            {"id": "fhir_split_1", "type": "choice", "clinician_label": "Split item 1", "text": _t("Split one?"),
             "options": [{"code": "yes", "text": _t("Yes"), "score": 1}, {"code": "no", "text": _t("No"), "score": 0}]},
        ],
    }, {
        "kind": "questions", "id": "fhir_split_page", "section": "Test scale", "title": _t("One more"),
        "questions": [
            {"id": "fhir_split_2", "type": "choice", "clinician_label": "Split item 2", "text": _t("Split two?"),
             "options": [{"code": "yes", "text": _t("Yes"), "score": 1}, {"code": "no", "text": _t("No"), "score": 0}]},
        ],
    }],
    "instruments": [{
        "id": "fhir_scale", "name": "Test Scale", "items": ["fhir_scale_a", "fhir_scale_b"],
        "loinc_panel": "90000-3", "loinc_total": "90002-9",
        "bands": [{"min": 0, "max": 1, "label": "minimal"}, {"min": 2, "max": 5, "label": "raised"}],
        "cutoffs": [{"value": 3, "note": "test cut-off"}],
    }, {
        # An instrument whose items sit on two pages: one coded group per page, the total after the last item.
        "id": "fhir_split", "name": "Split Scale", "items": ["fhir_split_1", "fhir_split_2"],
        "loinc_panel": "90010-2", "loinc_total": "90011-0",
        "bands": [{"min": 0, "max": 2, "label": "any"}],
    }],
    "flags": [{"id": "fhir_scale_high", "severity": "urgent", "clinician": FLAG_TEXT,
               "enable_when": [{"score": "fhir_scale", "operator": ">=", "answer": 3}]}],
}


def make_content_folder(root: Path) -> Path:
    """Copy the shipped content under `root` and add the test instrument; pictures are linked, not copied."""
    folder = root / "content"
    shutil.copytree(content_dir(), folder)
    (root / "images").symlink_to(resources_dir() / "images")
    manifest_path = folder / "manifest.yaml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    manifest["files"].append(TEST_FILE)
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / TEST_FILE).write_text(yaml.safe_dump(SCALE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def load_scale_content(root: Path) -> Content:
    return load_content(make_content_folder(root))


def full_answers(content: Content, **overrides: Any) -> dict[str, Any]:
    """A plausible answer to every question the patient would see, page by page, with `overrides` applied first."""
    answers: dict[str, Any] = dict(overrides)
    for _ in range(3):  # later answers can open later questions; a few passes settle it
        for page in visible_pages(content, answers):
            if isinstance(page, ConsentPage):
                answers.setdefault(page.id, True)
            if isinstance(page, QuestionPage):
                for question in visible_questions(content, page, answers):
                    answers.setdefault(question.id, plan_answer(content, question))
    return answers


def finished(content: Content, answers: dict[str, Any], submission_id: str = "a" * 32, language: str = "en",
             when: dt.datetime | None = None) -> Submission:
    """A submission scored by the one pipeline, as the wizard would leave it."""
    moment = when or dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.timezone.utc)
    submission = Submission(id=submission_id, started_at=moment - dt.timedelta(minutes=12),
                            content_version=content.version, language=language, answers=dict(answers))
    return finalize(content, submission, now=moment)
