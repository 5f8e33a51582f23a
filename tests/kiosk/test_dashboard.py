"""The Clinic tab's numbers at known inputs: intakes per week, positive screens, urgent and stop, where abandoned
sessions stopped, teach-back misses and the median time to complete; kept as encrypted day totals."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission, new_submission_id

MONDAY = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.timezone.utc)  # a Monday, mid-afternoon everywhere in the US
PHQ9_HIGH = {f"phq9_{i}": "more_than_half" for i in range(1, 9)}  # 8 items x 2 = 16: positive (>= 10)


def person(content: Content, day: int, minutes: int, status: str = "new", **answers) -> Submission:
    when = MONDAY + dt.timedelta(days=day)
    identity = content.manifest.identity
    submission = Submission(id=new_submission_id(), started_at=when - dt.timedelta(minutes=minutes),
                            content_version=content.version, language="en",
                            answers={"consent": True, identity.name: "Test Person", identity.dob: "1980-01-01",
                                     **answers})
    finalize(content, submission, when)
    submission.status = status
    return submission


def test_the_clinic_numbers_at_known_inputs(installed: sqlite3.Connection, content: Content, data_dir: Path) -> None:
    people = [
        person(content, 0, 10, **PHQ9_HIGH, phq9_9="not_at_all", taps_tobacco="daily", tb_opioid_free="one_day"),
        person(content, 1, 20, phq9_9="several_days", tb_opioid_free="seven_to_ten_days", taps_tobacco="never"),
        person(content, 8, 30, opioid_pain_rx=True, tb_overdose="safe"),
        person(content, 9, 16, opioid_ever=True, status="abandoned"),
    ]
    store = SubmissionStore(installed)
    for submission in people:
        store.save(submission)
    staff = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    board = staff.dashboard(None, None)
    assert board.weeks == [(MONDAY.astimezone().date(), 2), (MONDAY.astimezone().date() + dt.timedelta(days=7), 1)]
    assert (board.intakes, board.urgent, board.stop, board.abandoned) == (3, 1, 1, 1)
    shares = {name: (pos, n) for name, pos, n in board.positive}
    assert shares["PHQ-9"] == (1, 2) and shares["TAPS-1: tobacco"] == (1, 2)
    misses = {question: (missed, asked) for question, missed, asked in board.teach_back}
    assert list(misses.values()).count((1, 2)) == 1 and list(misses.values()).count((1, 1)) == 1
    assert board.median_minutes == 20
    # answered the opioid-use page, left on the next one
    assert board.stopped_at == [(content.page_of["opioid_pain_rx"].title.get("en"), 1)]

    second_week = staff.dashboard(MONDAY.astimezone().date() + dt.timedelta(days=7), None)
    assert (second_week.intakes, second_week.stop, second_week.abandoned) == (1, 1, 1)
    blobs = [bytes(r[0]) for r in installed.execute("SELECT blob FROM dashboard_days")]
    assert blobs and all(b"PHQ" not in b and b"intakes" not in b for b in blobs), "totals are encrypted"
    again = SealedStaffData(installed, vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE), content, data_dir)
    assert again.dashboard(None, None).intakes == 3, "each row counts once, however often staff unlock"
