"""Start-up costs the same with any number of stored submissions: nothing scans them before the first screen."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from built_kiosk import built_kiosk
from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission, new_submission_id


def _store(conn: sqlite3.Connection, content: Content, count: int, when: dt.datetime) -> None:
    store, identity = SubmissionStore(conn), content.manifest.identity
    for number in range(count):
        answers = {identity.name: f"Person {number}", identity.dob: "1970-01-01"}
        submission = Submission(id=new_submission_id(), started_at=when, content_version=content.version,
                                language="en", answers=answers)
        store.save(finalize(content, submission, when))


def test_expired_submissions_are_purged_in_batches_after_the_first_screen(qtbot, installed: sqlite3.Connection,
                                                                          content: Content, data_dir: Path) -> None:
    from ui import start_chores

    now = dt.datetime.now(dt.timezone.utc)
    _store(installed, content, 2 * start_chores.PURGE_BATCH + 50, now - dt.timedelta(days=800))
    _store(installed, content, 3, now - dt.timedelta(days=2))
    with built_kiosk(qtbot, installed, data_dir) as (_window, services):
        count = lambda: services.conn.execute("SELECT count(*) FROM submissions").fetchone()[0]  # noqa: E731
        assert count() == 2 * start_chores.PURGE_BATCH + 53, "nothing is purged before the patient sees the first screen"
        qtbot.waitUntil(lambda: count() == 3, timeout=20_000)


def test_a_kiosk_closed_before_its_retention_batch_stops_quietly(qtbot, caplog, installed: sqlite3.Connection,
                                                                 content: Content, data_dir: Path) -> None:
    from ui import start_chores

    _store(installed, content, 5, dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=800))
    with built_kiosk(qtbot, installed, data_dir) as (window, services):
        pass  # services closed on leaving; the window (and its queued batch) outlives them
    qtbot.wait(start_chores.PURGE_FIRST_MS + 500)
    assert not [r for r in caplog.records if r.levelname == "ERROR"], "a closing kiosk logs no retention failure"
    assert window is not None
