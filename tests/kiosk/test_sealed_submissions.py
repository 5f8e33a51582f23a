"""Sealed storage: the kiosk writes what it cannot read; an unlocked staff member finds, reads, notes and reviews."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.console.controller import QueueQuery
from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.staff import vault
from kiosk.staff.data import Locked, SealedStaffData
from kiosk.storage.codecs import Sealed
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission, new_submission_id

CANARY = "Zebulon Quixotic-Canary"


def make_submission(content: Content, name: str, dob: str, when: dt.datetime, **answers) -> Submission:
    identity = content.manifest.identity
    submission = Submission(id=new_submission_id(), started_at=when, content_version=content.version, language="en",
                            answers={identity.name: name, identity.dob: dob, **answers})
    return finalize(content, submission, when)


@pytest.fixture
def staff(installed: sqlite3.Connection, content: Content, data_dir: Path) -> SealedStaffData:
    return SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content, data_dir)


def test_the_kiosk_store_seals_and_cannot_read_back(installed: sqlite3.Connection, content: Content, data_dir: Path) -> None:
    store = SubmissionStore(installed)  # what the patient-facing process holds: the public key only
    submission = make_submission(content, CANARY, "1970-01-02", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    assert store.save(submission)
    with pytest.raises(Sealed):
        store.get(submission.id)
    payload = installed.execute("SELECT payload FROM submissions").fetchone()[0]
    assert CANARY.encode() not in payload and b"1970-01-02" not in payload
    installed.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_a_payload_moved_to_another_row_does_not_open(installed: sqlite3.Connection, content: Content, staff) -> None:
    store = SubmissionStore(installed)
    when = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    first, second = (make_submission(content, n, "1970-01-02", when) for n in ("Ann One", "Bea Two"))
    store.save(first)
    store.save(second)
    installed.execute("UPDATE submissions SET payload = (SELECT payload FROM submissions WHERE id = ?) WHERE id = ?",
                      (first.id, second.id))
    with pytest.raises(Exception, match="wrong key or changed bytes"):
        staff.submission(second.id)


def test_search_by_name_words_and_date_of_birth_through_the_index(installed, content: Content, staff) -> None:
    store = SubmissionStore(installed)
    base = dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone.utc)
    people = [("José Álvarez", "1980-05-06"), ("Maria Jose Ortiz", "1991-02-03"), ("Sam Lee", "1980-05-06")]
    for hour, (name, dob) in enumerate(people):
        store.save(make_submission(content, name, dob, base + dt.timedelta(hours=hour)))
    assert [r.name for r in staff.rows(QueueQuery(name="jose"), 0, 50)] == ["Maria Jose Ortiz", "José Álvarez"]
    assert [r.name for r in staff.rows(QueueQuery(name="JOSE alvarez"), 0, 50)] == ["José Álvarez"]
    assert staff.count(QueueQuery(dob="1980-05-06")) == 2
    assert staff.count(QueueQuery(name="lee", dob="1980-05-06")) == 1
    assert staff.count(QueueQuery(name="nobody")) == 0
    tokens = installed.execute("SELECT token FROM search_tokens").fetchall()
    assert tokens and all(b"jose" not in bytes(t[0]) for t in tokens)


def test_the_start_of_a_name_word_finds_it_through_keyed_hashes_only(installed, content: Content, staff) -> None:
    store = SubmissionStore(installed)
    base = dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone.utc)
    for hour, name in enumerate(["Ana Lopez", "Lopeo Grant", "Al Lo", "Luis Hernández"]):
        store.save(make_submission(content, name, "1980-05-06", base + dt.timedelta(hours=hour)))
    assert [r.name for r in staff.rows(QueueQuery(name="Lope"), 0, 50)] == ["Lopeo Grant", "Ana Lopez"]
    assert [r.name for r in staff.rows(QueueQuery(name="ana lop"), 0, 50)] == ["Ana Lopez"]
    assert [r.name for r in staff.rows(QueueQuery(name="herna"), 0, 50)] == ["Luis Hernández"]
    assert staff.count(QueueQuery(name="lo")) == 1, "two letters match only a whole word"
    assert staff.count(QueueQuery(name="opez")) == 0, "the middle of a word is not indexed"
    stored = {bytes(t[0]) for t in installed.execute("SELECT token FROM search_tokens")}
    assert all(b"lop" not in t and b"hern" not in t for t in stored)
    assert staff.unlocked.keys.token("n", "lope") in stored


def test_queue_is_newest_first_with_unreviewed_urgent_on_top_and_dates_filter(installed, content, staff) -> None:
    store = SubmissionStore(installed)
    base = dt.datetime(2026, 11, 1, 12, tzinfo=dt.timezone.utc)
    ids = []
    for day in range(3):
        submission = make_submission(content, f"Person {day}", "1970-01-01", base + dt.timedelta(days=day))
        store.save(submission)
        ids.append(submission.id)
    installed.execute("UPDATE submissions SET severity = 0 WHERE id = ?", (ids[0],))  # oldest has an urgent flag
    rows = staff.rows(QueueQuery(), 0, 10)
    assert [r.id for r in rows] == [ids[0], ids[2], ids[1]] and rows[0].urgent
    staff.mark_reviewed(ids[0])
    assert [r.id for r in staff.rows(QueueQuery(), 0, 10)] == [ids[2], ids[1], ids[0]]
    day_two = (base + dt.timedelta(days=1)).astimezone().date()
    assert [r.id for r in staff.rows(QueueQuery(since=day_two, until=day_two), 0, 10)] == [ids[1]]


def test_notes_reviews_and_every_action_are_attributed(installed, content, staff) -> None:
    submission = make_submission(content, "Ann Note", "1970-01-01", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    SubmissionStore(installed).save(submission)
    staff.add_note(submission.id, "Called back; liver tests ordered")
    assert staff.note(submission.id) == "Called back; liver tests ordered"
    assert b"liver tests" not in installed.execute("SELECT note FROM submissions").fetchone()[0]
    staff.mark_reviewed(submission.id)
    who, when = staff.reviewed_by(submission.id)
    assert who == ADMIN and when.tzinfo is not None
    assert [e.action for e in staff.audit_entries()][:2] == ["review", "note"]
    assert staff.audit_problems() == []


def test_after_lock_nothing_can_be_read(installed, content, staff) -> None:
    submission = make_submission(content, "Ann Lock", "1970-01-01", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    SubmissionStore(installed).save(submission)
    assert staff.submission(submission.id).answers
    staff.lock()
    with pytest.raises((Locked, Sealed)):
        staff.submission(submission.id)
    with pytest.raises(Locked):
        staff.rows(QueueQuery(), 0, 10)


def test_settings_change_only_by_admins_and_audited(installed, content, staff, data_dir) -> None:
    staff.add_account("Desk Dee", "dee's passphrase here")
    staff.update_settings(retention_days=90, clinic_name="Hillside")
    assert staff.settings().retention_days == 90
    entry = staff.audit_entries()[0]
    assert entry.action == "setting_change" and entry.detail["new"] in (90, "Hillside")
    dee = SealedStaffData(installed, vault.unlock(installed, "Desk Dee", "dee's passphrase here"), content, data_dir)
    with pytest.raises(PermissionError):
        dee.update_settings(retention_days=1)
    with pytest.raises(ValueError, match="Retention"):
        staff.update_settings(retention_days=0)
    assert staff.settings().retention_days == 90


def test_stored_assessment_reads_back_equal_for_a_spread_of_patients(content: Content) -> None:
    import json

    from kiosk.demo.generate import DemoPatients
    from kiosk.storage.submissions import assessment_from_dict, assessment_to_dict

    patients = DemoPatients(content, seed=11)
    seen_flags = set()
    for _ in range(60):
        submission = patients.submission()
        seen_flags |= {f.severity for f in submission.assessment.flags}
        assert assessment_from_dict(json.loads(json.dumps(assessment_to_dict(submission.assessment)))) == submission.assessment
    assert {"urgent", "review"} <= seen_flags, "demo patients cover urgent and review flags"


def test_a_session_cut_off_by_a_crash_is_scored_when_staff_first_open_it(installed, content: Content, staff) -> None:
    from kiosk.patient.intake import PatientSession
    from kiosk.patient.autosave import SealedJournal
    from kiosk.system.clock import utc_now

    kiosk_store = SubmissionStore(installed)  # what the patient-facing process holds
    journal = SealedJournal(kiosk_store, content, keep_abandoned=lambda: True)
    session = PatientSession(answers={content.manifest.identity.name: "Cut Off", "phq9_9": "several_days"})
    journal.record(session)  # the autosave of the last answer; then the power goes
    assert kiosk_store.adopt_autosaves(keep=True, at=utc_now()) == 1
    [row] = staff.rows(QueueQuery(), 0, 10)
    assert (row.name, row.status, row.urgent) == ("Cut Off", "abandoned", True)
    assert any(f.severity == "urgent" for f in staff.submission(session.id).assessment.flags)
