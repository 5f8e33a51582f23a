"""CSV export: one row per submission, formula-safe cells, and text that survives Python's csv module."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhir_fixtures import finished, full_answers, load_scale_content
from kiosk.content import Content
from kiosk.export.csv import FORMULA_STARTS, safe_cell, write_csv


@pytest.fixture(scope="module")
def scale_content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_scale_content(tmp_path_factory.mktemp("csv"))


def read_back(content: Content, submissions: list[Any]) -> list[dict[str, str]]:
    stream = io.StringIO(newline="")
    assert write_csv(submissions, content, stream) == len(submissions)
    return list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))


def test_one_row_per_submission_with_scores_flags_and_every_question(scale_content: Content) -> None:
    name_id = scale_content.manifest.identity.name
    high = finished(scale_content, full_answers(scale_content, fhir_scale_a="often", fhir_scale_b="often",
                                                fhir_scale_kinds=["one", "two"], **{name_id: "Ana"}), "1" * 32)
    low = finished(scale_content, full_answers(scale_content, fhir_scale_a="never"), "2" * 32, language="es")
    rows = read_back(scale_content, [high, low])
    assert [r["submission_id"] for r in rows] == ["1" * 32, "2" * 32]
    assert set(scale_content.questions) <= set(rows[0])
    assert rows[0]["patient_name"] == "Ana" and rows[0][name_id] == "Ana"
    assert (rows[0]["fhir_scale_total"], rows[0]["fhir_scale_band"]) == ("5", "raised")
    assert (rows[1]["fhir_scale_total"], rows[1]["fhir_scale_band"]) == ("0", "minimal")
    assert "urgent:fhir_scale_high" in rows[0]["flags"] and rows[0]["urgent"] == "yes"
    assert "fhir_scale_high" not in rows[1]["flags"]
    assert rows[0]["fhir_scale_kinds"] == "one; two"
    assert rows[1]["fhir_scale_b"] == ""  # hidden by branching: never stored, so empty
    assert rows[1]["language"] == "es"
    assert rows[0]["submitted_at"].startswith("2026-11-24T15:30")


def test_answers_to_questions_no_longer_in_the_content_are_kept(scale_content: Content) -> None:
    old = finished(scale_content, full_answers(scale_content))
    old.answers["retired_question"] = "still here"
    assert read_back(scale_content, [old])[0]["retired_question"] == "still here"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_quote(scale_content: Content, start: str) -> None:
    note = f"{start}HYPERLINK(\"http://evil.example\",\"click\")"
    submission = finished(scale_content, full_answers(scale_content, fhir_scale_note=note))
    row = read_back(scale_content, [submission])[0]
    assert row["fhir_scale_note"] == "'" + note


def test_ordinary_text_is_left_alone() -> None:
    assert safe_cell("I drink 2-3 beers") == "I drink 2-3 beers"
    assert safe_cell("") == ""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.text(alphabet='",\n\r\t=+-@ ab\'', max_size=40))
def test_any_text_round_trips_through_the_csv_module(scale_content: Content, note: str) -> None:
    submission = finished(scale_content, full_answers(scale_content, fhir_scale_note=note))
    if not note:
        submission.answers["fhir_scale_note"] = note
    cell = read_back(scale_content, [submission])[0]["fhir_scale_note"]
    expected = "'" + note if note.startswith(FORMULA_STARTS) else note
    assert cell == expected


def test_each_row_names_its_visit_type() -> None:
    from kiosk.content import load_visits
    from kiosk.system.paths import content_dir

    visits = load_visits(content_dir())
    intake = finished(visits["intake"], full_answers(visits["intake"]), "1" * 32)
    follow = finished(visits["follow-up"], full_answers(visits["follow-up"], cravings=6), "2" * 32)
    follow.visit = "follow-up"  # as the wizard and import record it
    rows = read_back(visits["intake"], [intake, follow])
    assert [(r["submission_id"], r["visit_type"]) for r in rows] == [("1" * 32, "intake"), ("2" * 32, "follow-up")]
    assert rows[1]["cravings"] == "6", "the follow-up's own answers are kept too"
    assert list(rows[0])[:7] == ["submission_id", "started_at", "submitted_at", "status", "source", "visit_type",
                                 "content_version"]
