"""Autosave of the session in progress, sealed, one row per patient, so a crash loses at most one answer.

Every answer given rewrites the session's sealed row in its own committed
transaction. The kiosk can write these rows but never read them back, so after
a crash the patient's data is not shown again: at start every leftover row
moves, still sealed, into submissions as "abandoned", and staff see it (scored
when they first unlock) if the clinic keeps abandoned sessions.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.assessment import assess
from kiosk.flow import effective_answers
from kiosk.storage.db import atomic
from kiosk.clock import utc_now
from kiosk.storage.submissions import SEVERITY_RANK, Submission, SubmissionStore, payload_json

if TYPE_CHECKING:
    from kiosk.content import Content
    from kiosk.intake import PatientSession


class SealedJournal:
    """The controller's `SessionJournal` over the database; `keep_abandoned` follows the clinic's setting."""

    def __init__(self, store: SubmissionStore, content: "Content", keep_abandoned: Callable[[], bool],
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn
        self.content = content
        self.content_version = content.version
        self.keep_abandoned = keep_abandoned
        self.clock = clock

    def _submission(self, session: "PatientSession", status: str) -> Submission:
        return Submission(id=session.id, started_at=session.started_at, content_version=self.content_version,
                          language=session.language, answers=dict(session.answers),
                          signature_png=session.signature_png, status=status, events=session.events)

    def record(self, session: "PatientSession") -> None:
        submission = self._submission(session, "in_progress")
        payload = self.store.codec.encode(payload_json(submission), session.id.encode("ascii"))
        with atomic(self.conn):
            self.conn.execute(
                "INSERT INTO journal (id, started_at, content_version, language, updated_at, payload) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at, payload = excluded.payload",
                (session.id, session.started_at.isoformat(), self.content_version, session.language,
                 self.clock().isoformat(), payload),
            )

    def abandon(self, session: "PatientSession") -> None:
        """The patient walked away: keep a scored copy for staff (or nothing, per setting); drop the autosave."""
        if self.keep_abandoned():
            moment = self.clock()
            submission = self._submission(session, "abandoned")
            submission.answers = effective_answers(self.content, submission.answers)
            submission.submitted_at = moment
            submission.assessment = assess(self.content, submission.answers, moment.astimezone().date())
            with atomic(self.conn):
                self.store.save(submission)
                self.conn.execute("DELETE FROM journal WHERE id = ?", (session.id,))
        else:
            self.forget(session.id)

    def forget(self, session_id: str) -> None:
        with atomic(self.conn):
            self.conn.execute("DELETE FROM journal WHERE id = ?", (session_id,))


def recover_crashed_sessions(conn: sqlite3.Connection, keep: bool, now: dt.datetime | None = None) -> int:
    """At start: sessions left by a crash become abandoned submissions (still sealed), or are dropped."""
    moment = (now or utc_now()).isoformat()
    with atomic(conn):
        count = int(conn.execute("SELECT count(*) FROM journal").fetchone()[0])
        if keep:
            conn.execute(
                "INSERT INTO submissions (id, started_at, submitted_at, status, content_version, language, severity, payload) "
                "SELECT id, started_at, ?, 'abandoned', content_version, language, ?, payload FROM journal WHERE true "
                "ON CONFLICT (id) DO NOTHING",
                (moment, SEVERITY_RANK[None]),
            )
        conn.execute("DELETE FROM journal")
    return count
