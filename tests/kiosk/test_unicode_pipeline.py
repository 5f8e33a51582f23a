"""Arbitrary Unicode through store -> assessment -> PDF -> FHIR -> CSV: nothing crashes, nothing changes silently.

The stated rules: the sealed store and FHIR keep text exactly; CSV keeps it
exactly except that a cell starting with = + - @ tab or CR gets a leading
quote (formula injection); the PDF follows `kiosk.report.escape` (tested in
test_report_escape). Limits are the content's own (`Question.text_limit`).
"""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.content import Content
from kiosk.export.csv import safe_cell, write_csv
from kiosk.fhir.response import parse_response, to_response
from kiosk.patient.pipeline import finalize
from kiosk.report.content import build_report
from kiosk.report.pdf import ClinicianReport
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission, new_submission_id
from report_samples import complete_answers

NASTY = st.sampled_from(["\x00", "\u202e", "\u2066", "\u200b", "\ufeff", "\r\n", "\t", "=cmd|' /C calc'!A0", "+1", "-2",
                         "@SUM(A1)", "<img src='/etc/passwd'/>", "&amp;", '"', ",", "\U0001F600", "\ud7ff", "é", "Ж"])
TEXT = st.lists(st.one_of(st.text(st.characters(codec="utf-8"), max_size=40), NASTY), max_size=8).map("".join)


@pytest.fixture(scope="module")
def renderer() -> ClinicianReport:
    return ClinicianReport(deterministic=True)


@pytest.fixture
def staff(installed: sqlite3.Connection, content: Content, data_dir) -> SealedStaffData:
    return SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content, data_dir)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(typed=st.lists(TEXT, min_size=8, max_size=8))
def test_any_text_survives_every_step(content: Content, staff: SealedStaffData, renderer: ClinicianReport,
                                      typed: list[str]) -> None:
    answers = complete_answers(content)
    free = [q for q in content.questions.values() if q.id in answers and q.type in ("string", "text")]
    assert free, "the content has free-text questions (the name at least)"
    for number, question in enumerate(free):
        answers[question.id] = typed[number % len(typed)][: question.text_limit]
    submission = finalize(content, Submission(id=new_submission_id(), started_at=_now(), content_version=content.version,
                                              language="en", answers=answers), _now())
    assert SubmissionStore(staff.conn).save(submission)

    stored = staff.submission(submission.id)
    # an empty answer is "not answered" (stored as absent); anything else is kept exactly
    assert {q.id: stored.answers.get(q.id, "") for q in free} == {q.id: answers[q.id] for q in free}

    pdf = renderer.render(build_report(content, stored, "Clinic"))
    assert pdf.startswith(b"%PDF")

    back = parse_response(content, to_response(content, stored)).answers
    assert {q.id: back.get(q.id, "") for q in free} == {q.id: answers[q.id] for q in free}

    stream = io.StringIO(newline="")
    write_csv([stored], content, stream)
    row = next(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    for question in free:
        if question.id in row:
            assert row[question.id] == safe_cell(answers[question.id])


def _now():
    import datetime as dt

    return dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.timezone.utc)
