"""The queue says why a row is urgent or stop, from the row's encrypted header, not only "!! URGENT"."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.console.controller import QueueQuery
from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.staff.queue_reasons import queue_reason
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission, new_submission_id

VISIT = dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.timezone.utc)


def patient(content: Content, name: str, **answers) -> Submission:
    identity = content.manifest.identity
    submission = Submission(id=new_submission_id(), started_at=VISIT, content_version=content.version, language="en",
                            answers={"consent": True, identity.name: name, identity.dob: "1980-01-02", **answers})
    return finalize(content, submission, VISIT)


def test_reasons_name_self_harm_and_days_since_the_kind_of_opioid(content: Content) -> None:
    three_days = (VISIT.date() - dt.timedelta(days=3)).isoformat()
    heroin = patient(content, "A", opioid_ever=True, last_opioid_kind="short_acting", last_opioid_when="exact_date",
                     last_opioid_date=three_days)
    assert queue_reason(content, heroin).startswith("3 days since heroin")
    sad = patient(content, "B", phq9_9="several_days")
    assert queue_reason(content, sad) == "self-harm thoughts"
    both = patient(content, "C", phq9_9="nearly_every_day", opioid_ever=True, last_opioid_kind="methadone",
                   last_opioid_when="yesterday")
    assert queue_reason(content, both).split("; ")[:2] == ["self-harm thoughts", "1 day since methadone"]
    assert queue_reason(content, patient(content, "D", phq9_9="not_at_all")) == ""


def test_the_queue_row_carries_the_reason_from_its_sealed_header(installed: sqlite3.Connection, content: Content,
                                                                  data_dir: Path) -> None:
    SubmissionStore(installed).save(patient(content, "Rosa Diaz", phq9_9="more_than_half"))
    staff = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    [row] = staff.rows(QueueQuery(), 0, 10)
    assert row.reason.startswith("self-harm thoughts") and row.flag_text.startswith("!! URGENT: self-harm thoughts")
    header = installed.execute("SELECT header FROM submissions").fetchone()[0]
    assert b"self-harm" not in bytes(header)


def test_a_review_taken_back_returns_the_row_to_the_top_and_is_audited(installed: sqlite3.Connection,
                                                                       content: Content, data_dir: Path) -> None:
    urgent = patient(content, "Rosa Diaz", phq9_9="more_than_half")
    SubmissionStore(installed).save(urgent)
    staff = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    staff.mark_reviewed(urgent.id)
    assert staff.reviewed_by(urgent.id)[0] == ADMIN
    staff.undo_review(urgent.id, "new")
    [row] = staff.rows(QueueQuery(), 0, 10)
    assert (row.status, staff.reviewed_by(urgent.id)) == ("new", None)
    assert [e.action for e in staff.audit_entries()][:2] == ["review_undone", "review"]
