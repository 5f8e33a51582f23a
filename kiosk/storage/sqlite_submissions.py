"""`SubmissionStore`: the submissions repository over SQLite; the only module that writes submission SQL.

Implements `kiosk.storage.repository.SubmissionRepository`. The urgent-first
queue order is a generated column (`priority`, see migrations) so it can be
indexed; `Status.awaits_review` is the same rule in Python.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from kiosk.system.clock import iso_utc
from kiosk.storage.codecs import PayloadCodec, PlainCodec, SealingCodec
from kiosk.storage.db import atomic
from kiosk.storage.repository import PersonLink, QueueEntry, QueueFilter, queue_where
from kiosk.storage.submissions import (
    DEMO_SOURCE, SEVERITY_RANK, ClientSubject, SessionEvents, Status, Submission, assessment_from_dict, payload_json,
)

INSERT = ("INSERT INTO submissions (id, started_at, submitted_at, status, content_version, language, severity, payload, demo)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")


def install_codec(conn: sqlite3.Connection) -> PayloadCodec:
    """The write-only sealing codec once the install has a key pair."""
    row = conn.execute("SELECT public_key FROM install WHERE id = 1").fetchone()
    return SealingCodec(bytes(row[0])) if row else PlainCodec()


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


class SubmissionStore:
    def __init__(self, conn: sqlite3.Connection, codec: PayloadCodec | None = None) -> None:
        self.conn = conn
        self._codec = codec

    @property
    def codec(self) -> PayloadCodec:
        """The codec given, else the install's sealing codec, looked up each time so a setup made later applies."""
        return self._codec or install_codec(self.conn)

    def transaction(self) -> AbstractContextManager[object]:
        return atomic(self.conn)

    # -- the patient's path ------------------------------------------------------

    def save(self, submission: Submission) -> bool:
        """Write the submission in one transaction; False if that id was already stored (a retry)."""
        with atomic(self.conn):
            return self.conn.execute(INSERT, self._row(submission)).rowcount == 1

    def save_many(self, submissions: Sequence[Submission]) -> None:
        """Write many at once inside the caller's transaction (training data); ids already stored are skipped."""
        self.conn.executemany(INSERT, [self._row(s) for s in submissions])

    def _row(self, submission: Submission) -> tuple[Any, ...]:
        payload = self.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        return (
            submission.id,
            iso_utc(submission.started_at),
            iso_utc(submission.submitted_at) if submission.submitted_at else None,
            str(submission.status),
            submission.content_version,
            submission.language,
            SEVERITY_RANK[submission.assessment.top_severity],
            payload,
            int(submission.source == DEMO_SOURCE),
        )

    def get(self, submission_id: str) -> Submission | None:
        row = self.conn.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return None if row is None else self._from_row(row)

    def set_status(self, submission_id: str, status: Status) -> None:
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET status = ? WHERE id = ?", (str(Status(status)), submission_id))

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM submissions").fetchone()[0])

    def count_real(self) -> int:
        """Rows from patients (kiosk or import), not training rows; sessions still in progress count too."""
        stored = self.conn.execute("SELECT count(*) FROM submissions WHERE demo = 0").fetchone()[0]
        in_progress = self.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
        return int(stored) + int(in_progress)

    def remove_demo(self) -> int:
        """Delete every training row (their search tokens go with them); returns how many."""
        with atomic(self.conn):
            self.conn.execute("DELETE FROM dashboard_days WHERE demo = 1")
            return int(self.conn.execute("DELETE FROM submissions WHERE demo = 1").rowcount)

    def _from_row(self, row: sqlite3.Row) -> Submission:
        data = json.loads(self.codec.decode(row["payload"], row["id"].encode("ascii")))
        return Submission(
            id=row["id"],
            started_at=dt.datetime.fromisoformat(row["started_at"]),
            submitted_at=_moment(row["submitted_at"]),
            status=Status(row["status"]),
            content_version=row["content_version"],
            language=row["language"],
            answers=data["answers"],
            assessment=assessment_from_dict(data["assessment"]),
            signature_png=bytes.fromhex(data["signature_png"]) if data.get("signature_png") else None,
            source=data.get("source", "kiosk"),
            origin=str(data.get("origin") or ""),
            events=SessionEvents.from_dict(data.get("events")),
            subject=ClientSubject.from_dict(data.get("subject")),
            visit=str(data.get("visit") or "intake"),
        )

    # -- autosave and sessions a patient left --------------------------------------

    def autosave(self, submission: Submission, at: dt.datetime) -> None:
        payload = self.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        with atomic(self.conn):
            self.conn.execute(
                "INSERT INTO journal (id, started_at, content_version, language, updated_at, payload) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at, payload = excluded.payload",
                (submission.id, iso_utc(submission.started_at), submission.content_version, submission.language,
                 iso_utc(at), payload),
            )

    def keep_abandoned(self, submission: Submission) -> None:
        submission.status = Status.ABANDONED
        with atomic(self.conn):
            self.save(submission)
            self.conn.execute("DELETE FROM journal WHERE id = ?", (submission.id,))

    def drop_autosave(self, submission_id: str) -> None:
        with atomic(self.conn):
            self.conn.execute("DELETE FROM journal WHERE id = ?", (submission_id,))

    def adopt_autosaves(self, keep: bool, at: dt.datetime) -> int:
        if self.conn.execute("SELECT 1 FROM journal LIMIT 1").fetchone() is None:
            return 0  # the usual start: nothing to write, so nothing waits for a background integrity check
        with atomic(self.conn):
            count = int(self.conn.execute("SELECT count(*) FROM journal").fetchone()[0])
            if keep:
                self.conn.execute(
                    "INSERT INTO submissions (id, started_at, submitted_at, status, content_version, language, severity, payload) "
                    "SELECT id, started_at, ?, ?, content_version, language, ?, payload FROM journal WHERE true "
                    "ON CONFLICT (id) DO NOTHING",
                    (iso_utc(at), str(Status.ABANDONED), SEVERITY_RANK[None]),
                )
            self.conn.execute("DELETE FROM journal")
        return count

    def purge_older_than(self, cutoff: dt.datetime, record: Callable[[list[str]], None] = lambda ids: None,
                         limit: int | None = None, hold_unforwarded: bool = False) -> list[str]:
        """Deleted pages are zeroed (`secure_delete` on every connection) and the WAL truncated, so purged rows are
        gone from both files, not merely unlinked. With `hold_unforwarded` a patient's row this station has not
        forwarded yet (see kiosk.storage.forwarder) is kept; training rows are never forwarded and go by age."""
        before = iso_utc(cutoff)
        with atomic(self.conn):
            ids = self._expired_ids(before, limit, hold_unforwarded)
            self.conn.executemany("DELETE FROM search_tokens WHERE submission_id = ?", [(i,) for i in ids])
            self.conn.executemany("DELETE FROM submissions WHERE id = ?", [(i,) for i in ids])
            self.conn.executemany("DELETE FROM forwarded WHERE id = ?", [(i,) for i in ids])
            self.conn.execute("DELETE FROM journal WHERE updated_at < ?", (before,))
            # the Clinic tab's day totals go with the days they count
            self.conn.execute("DELETE FROM dashboard_days WHERE day < ?", (cutoff.astimezone().date().isoformat(),))
            record(ids)
        if (ids or limit is None) and not self.conn.in_transaction:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return ids

    def _expired_ids(self, before: str, limit: int | None, hold_unforwarded: bool = False) -> list[str]:
        """Ids older than `before`, oldest first, through the time index (never a scan of every row).

        A submission's age is its submitted time, or its start when it was never submitted; the two halves
        each walk `submissions_by_time`, which also holds the rows without a submitted time.
        """
        held = (" AND (demo = 1 OR status = 'in_progress' OR id IN (SELECT id FROM forwarded))"
                if hold_unforwarded else "")
        rows = self.conn.execute(
            f"SELECT id FROM (SELECT id, submitted_at AS at FROM submissions WHERE submitted_at < ?{held} "
            f"UNION ALL SELECT id, started_at AS at FROM submissions WHERE submitted_at IS NULL AND started_at < ?{held})"
            " ORDER BY at LIMIT ?", (before, before, -1 if limit is None else limit))
        return [row[0] for row in rows]

    # -- the staff side --------------------------------------------------------------

    def encrypted_fields(self) -> list[tuple[str, bytes | None, bytes | None]]:
        """(id, header, note) of every row holding either, for re-encrypting under new keys."""
        return [(r[0], None if r[1] is None else bytes(r[1]), None if r[2] is None else bytes(r[2]))
                for r in self.conn.execute("SELECT id, header, note FROM submissions "
                                           "WHERE header IS NOT NULL OR note IS NOT NULL").fetchall()]

    def drop_index(self, submission_id: str) -> None:
        """Forget a row's header and tokens; it is indexed again at the next unlock."""
        with atomic(self.conn):
            self.conn.execute("DELETE FROM search_tokens WHERE submission_id = ?", (submission_id,))
            self.conn.execute("UPDATE submissions SET indexed = 0, header = NULL WHERE id = ?", (submission_id,))

    def unindexed(self, limit: int) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM submissions WHERE indexed = 0 LIMIT ?", (limit,))]

    def write_index(self, submission_id: str, tokens: Iterable[bytes], header: bytes) -> None:
        with atomic(self.conn):
            self.conn.execute("DELETE FROM search_tokens WHERE submission_id = ?", (submission_id,))
            self.conn.executemany("INSERT INTO search_tokens (submission_id, token) VALUES (?, ?)",
                                  [(submission_id, token) for token in tokens])
            self.conn.execute("UPDATE submissions SET header = ?, indexed = 1 WHERE id = ?", (header, submission_id))

    def write_index_many(self, entries: Iterable[tuple[str, Iterable[bytes], bytes]]) -> None:
        """Index rows not indexed before (training data), inside the caller's transaction."""
        entries = list(entries)
        self.conn.executemany("INSERT INTO search_tokens (submission_id, token) VALUES (?, ?)",
                              [(sid, token) for sid, tokens, _ in entries for token in tokens])
        self.conn.executemany("UPDATE submissions SET header = ?, indexed = 1 WHERE id = ?",
                              [(header, sid) for sid, _, header in entries])

    def rescore(self, submission: Submission) -> None:
        payload = self.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET payload = ?, severity = ? WHERE id = ?",
                              (payload, SEVERITY_RANK[submission.assessment.top_severity], submission.id))

    def _where(self, where: QueueFilter) -> tuple[str, list[Any]]:
        return queue_where(where, "?", iso_utc)

    def queue(self, where: QueueFilter, offset: int, limit: int) -> list[QueueEntry]:
        sql, params = self._where(where)
        found = self.conn.execute(
            f"SELECT id, submitted_at, status, severity, header, demo FROM submissions WHERE {sql} "
            "ORDER BY priority, submitted_at DESC LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        return [QueueEntry(id=r[0], submitted_at=_moment(r[1]), status=Status(r[2]), severity=r[3],
                           header=bytes(r[4]) if r[4] is not None else None, training=bool(r[5])) for r in found]

    def entries_with_both(self, first: Iterable[bytes], second: Iterable[bytes]) -> list[QueueEntry]:
        ones, twos = list(dict.fromkeys(first)), list(dict.fromkeys(second))
        found: list[QueueEntry] = []
        for start in range(0, len(ones), 200):  # SQLite's limit on parameters (a page's tokens fit in one)
            part = ones[start:start + 200]
            for at in range(0, len(twos), 600):
                other = twos[at:at + 600]
                # The birth-date tokens drive (CROSS JOIN keeps that order); each row's own few tokens are then
                # checked for a name word by its submission (`+` keeps SQLite off the token index there).
                rows = self.conn.execute(
                    "SELECT s.id, s.submitted_at, s.status, s.severity, s.header, s.demo FROM search_tokens a "
                    f"CROSS JOIN submissions s ON s.id = a.submission_id WHERE a.token IN ({','.join('?' * len(part))}) "
                    "AND s.status != ? AND s.demo = 0 AND EXISTS (SELECT 1 FROM search_tokens b WHERE "
                    f"b.submission_id = a.submission_id AND +b.token IN ({','.join('?' * len(other))}))",
                    [*part, str(Status.IN_PROGRESS), *other]).fetchall()
                found += [QueueEntry(id=r[0], submitted_at=_moment(r[1]), status=Status(r[2]), severity=r[3],
                                     header=bytes(r[4]) if r[4] is not None else None, training=bool(r[5]))
                          for r in rows]
        return list({entry.id: entry for entry in found}.values())

    def queue_count(self, where: QueueFilter) -> int:
        sql, params = self._where(where)
        return int(self.conn.execute(f"SELECT count(*) FROM submissions WHERE {sql}", params).fetchone()[0])

    def ids_between(self, where: QueueFilter) -> list[tuple[str, str]]:
        sql, params = self._where(where)
        return [(r[0], Status(r[1])) for r in self.conn.execute(
            f"SELECT id, status FROM submissions WHERE {sql} ORDER BY submitted_at", params)]

    def note(self, submission_id: str) -> bytes | None:
        row = self.conn.execute("SELECT note FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def set_note(self, submission_id: str, blob: bytes | None) -> None:
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET note = ? WHERE id = ?", (blob, submission_id))

    def dose(self, submission_id: str) -> bytes | None:
        row = self.conn.execute("SELECT dose FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def set_dose(self, submission_id: str, blob: bytes | None) -> None:
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET dose = ? WHERE id = ?", (blob, submission_id))

    def encrypted_doses(self) -> list[tuple[str, bytes]]:
        return [(r[0], bytes(r[1])) for r in
                self.conn.execute("SELECT id, dose FROM submissions WHERE dose IS NOT NULL ORDER BY id")]

    def mark_reviewed(self, submission_id: str, actor: str, at: dt.datetime) -> None:
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                              (str(Status.REVIEWED), actor, iso_utc(at), submission_id))

    def mark_reviewed_many(self, reviews: Iterable[tuple[str, str, dt.datetime]]) -> None:
        """(id, actor, at) for many rows at once, inside the caller's transaction (training data)."""
        self.conn.executemany("UPDATE submissions SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                              [(str(Status.REVIEWED), actor, iso_utc(at), sid) for sid, actor, at in reviews])

    def undo_review(self, submission_id: str, status: Status) -> None:
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET status = ?, reviewed_by = NULL, reviewed_at = NULL "
                              "WHERE id = ? AND status = ?", (str(status), submission_id, str(Status.REVIEWED)))

    def reviewed_by(self, submission_id: str) -> tuple[str, dt.datetime] | None:
        row = self.conn.execute("SELECT reviewed_by, reviewed_at FROM submissions WHERE id = ?",
                                (submission_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return row[0], dt.datetime.fromisoformat(row[1])

    def mark_printed(self, submission_id: str) -> None:
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET status = ? WHERE id = ? AND status = ?",
                              (str(Status.PRINTED), submission_id, str(Status.NEW)))

    # -- people ------------------------------------------------------------------------

    def person_links(self, submission_ids: Iterable[str]) -> dict[str, PersonLink]:
        ids = list(dict.fromkeys(submission_ids))
        found: dict[str, PersonLink] = {}
        for start in range(0, len(ids), 500):  # SQLite's limit on parameters
            part = ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            for sid, person, by, at in self.conn.execute(
                    f"SELECT submission_id, person, linked_by, linked_at FROM people WHERE submission_id IN ({marks})",
                    part):
                found[sid] = PersonLink(person, by, dt.datetime.fromisoformat(at))
        return found

    def person_members(self, person: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT submission_id FROM people WHERE person = ?", (person,))]

    def link_person(self, submission_ids: Iterable[str], person: str, actor: str, at: dt.datetime) -> None:
        with atomic(self.conn):
            self.conn.executemany(
                "INSERT INTO people (submission_id, person, linked_by, linked_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (submission_id) DO UPDATE SET person = excluded.person, linked_by = excluded.linked_by, "
                "linked_at = excluded.linked_at", [(sid, person, actor, iso_utc(at)) for sid in submission_ids])
