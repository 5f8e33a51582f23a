"""`PostgresSubmissionStore`: the submissions repository over PostgreSQL (several stations, one clinic).

Implements `kiosk.storage.repository.SubmissionRepository` with the same
behaviour as the SQLite store (the contract tests in tests/contract/ run
against both). psycopg is imported here only, and this module only when a
postgresql:// URL is configured, so a single-machine kiosk never loads it.
Inserts are idempotent (`ON CONFLICT (id) DO NOTHING`): a submission's id is
its key, so a forward repeated after a lost reply stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from kiosk.storage.codecs import PayloadCodec, PlainCodec, SealingCodec
from kiosk.storage.postgres_migrations import migrate
from kiosk.storage.repository import PersonLink, QueueEntry, QueueFilter, queue_where
from kiosk.storage.submissions import (
    DEMO_SOURCE, SEVERITY_RANK, ClientSubject, SessionEvents, Status, Submission, assessment_from_dict, payload_json,
)

COLUMNS = "id, started_at, submitted_at, status, content_version, language, severity, payload, demo"
INSERT = f"INSERT INTO submissions ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"


@dataclass(frozen=True)
class SealedRow:
    """A stored submission exactly as a kiosk wrote it: the payload stays sealed (forwarding never opens it)."""

    id: str
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    status: str
    content_version: str
    language: str
    severity: int
    payload: bytes
    demo: int

    def values(self) -> tuple[Any, ...]:
        return (self.id, self.started_at, self.submitted_at, self.status, self.content_version, self.language,
                self.severity, self.payload, self.demo)


def connect_postgres(url: str, connect_timeout: int = 5) -> psycopg.Connection[Any]:
    """A connection in autocommit (transactions are explicit), times in UTC, the schema migrated."""
    conn = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout)
    conn.execute("SET TIME ZONE 'UTC'")
    migrate(conn)
    return conn


def install_codec(conn: psycopg.Connection[Any]) -> PayloadCodec:
    row = conn.execute("SELECT public_key FROM install WHERE id = 1").fetchone()
    return SealingCodec(bytes(row[0])) if row else PlainCodec()


class PostgresSubmissionStore:
    def __init__(self, conn: psycopg.Connection[Any], codec: PayloadCodec | None = None) -> None:
        self.conn = conn
        self._codec = codec

    @property
    def codec(self) -> PayloadCodec:
        return self._codec or install_codec(self.conn)

    def transaction(self) -> AbstractContextManager[None]:
        return self._atomic()

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        with self.conn.transaction():  # a savepoint when already inside one
            yield

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- the patient's path ------------------------------------------------------

    def save(self, submission: Submission) -> bool:
        with self._atomic():
            return self.conn.execute(INSERT, self._row(submission)).rowcount == 1

    def save_many(self, submissions: Sequence[Submission]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(INSERT, [self._row(s) for s in submissions])

    def receive(self, rows: Sequence[SealedRow]) -> int:
        """Store rows forwarded from a station, in one transaction; returns how many were new here."""
        if not rows:
            return 0
        with self._atomic(), self.conn.cursor() as cur:
            cur.executemany(INSERT + " RETURNING id", [row.values() for row in rows], returning=True)
            new = 0
            while True:
                new += len(cur.fetchall())
                if not cur.nextset():
                    return new

    def _row(self, submission: Submission) -> tuple[Any, ...]:
        payload = self.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        return (submission.id, submission.started_at, submission.submitted_at, str(submission.status),
                submission.content_version, submission.language, SEVERITY_RANK[submission.assessment.top_severity],
                payload, int(submission.source == DEMO_SOURCE))

    def get(self, submission_id: str) -> Submission | None:
        row = self.conn.execute("SELECT id, started_at, submitted_at, status, content_version, language, payload "
                                "FROM submissions WHERE id = %s", (submission_id,)).fetchone()
        return None if row is None else self._from_row(row)

    def _from_row(self, row: tuple[Any, ...]) -> Submission:
        sid, started_at, submitted_at, status, content_version, language, payload = row
        data = json.loads(self.codec.decode(bytes(payload), sid.encode("ascii")))
        return Submission(
            id=sid, started_at=started_at, submitted_at=submitted_at, status=Status(status),
            content_version=content_version, language=language, answers=data["answers"],
            assessment=assessment_from_dict(data["assessment"]),
            signature_png=bytes.fromhex(data["signature_png"]) if data.get("signature_png") else None,
            source=data.get("source", "kiosk"), origin=str(data.get("origin") or ""),
            events=SessionEvents.from_dict(data.get("events")), subject=ClientSubject.from_dict(data.get("subject")),
            visit=str(data.get("visit") or "intake"),
        )

    def set_status(self, submission_id: str, status: Status) -> None:
        self.conn.execute("UPDATE submissions SET status = %s WHERE id = %s", (str(Status(status)), submission_id))

    def count(self) -> int:
        return int(self._one("SELECT count(*) FROM submissions"))

    def count_real(self) -> int:
        return int(self._one("SELECT count(*) FROM submissions WHERE demo = 0")) + int(
            self._one("SELECT count(*) FROM journal"))

    def remove_demo(self) -> int:
        with self._atomic():
            self.conn.execute("DELETE FROM dashboard_days WHERE demo = 1")
            return int(self.conn.execute("DELETE FROM submissions WHERE demo = 1").rowcount)

    # -- autosave and sessions a patient left --------------------------------------

    def autosave(self, submission: Submission, at: dt.datetime) -> None:
        payload = self.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        self.conn.execute(
            "INSERT INTO journal (id, started_at, content_version, language, updated_at, payload) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET language = excluded.language, "
            "updated_at = excluded.updated_at, payload = excluded.payload",
            (submission.id, submission.started_at, submission.content_version, submission.language, at, payload))

    def keep_abandoned(self, submission: Submission) -> None:
        submission.status = Status.ABANDONED
        with self._atomic():
            self.save(submission)
            self.conn.execute("DELETE FROM journal WHERE id = %s", (submission.id,))

    def drop_autosave(self, submission_id: str) -> None:
        self.conn.execute("DELETE FROM journal WHERE id = %s", (submission_id,))

    def adopt_autosaves(self, keep: bool, at: dt.datetime) -> int:
        if self._one("SELECT 1 FROM journal LIMIT 1") is None:
            return 0
        with self._atomic():
            count = int(self._one("SELECT count(*) FROM journal"))
            if keep:
                self.conn.execute(
                    "INSERT INTO submissions (id, started_at, submitted_at, status, content_version, language, "
                    "severity, payload) SELECT id, started_at, %s, %s, content_version, language, %s, payload "
                    "FROM journal ON CONFLICT (id) DO NOTHING", (at, str(Status.ABANDONED), SEVERITY_RANK[None]))
            self.conn.execute("DELETE FROM journal")
        return count

    def purge_older_than(self, cutoff: dt.datetime, record: Callable[[list[str]], None] = lambda ids: None,
                         limit: int | None = None, hold_unforwarded: bool = False) -> list[str]:
        """The shared database holds only forwarded rows: `hold_unforwarded` has nothing to hold here."""
        with self._atomic():
            ids = [r[0] for r in self.conn.execute(
                "SELECT id FROM (SELECT id, submitted_at AS at FROM submissions WHERE submitted_at < %s "
                "UNION ALL SELECT id, started_at AS at FROM submissions WHERE submitted_at IS NULL AND started_at < %s)"
                " AS expired ORDER BY at LIMIT %s", (cutoff, cutoff, limit))]
            self.conn.execute("DELETE FROM search_tokens WHERE submission_id = ANY(%s)", (ids,))
            self.conn.execute("DELETE FROM submissions WHERE id = ANY(%s)", (ids,))
            self.conn.execute("DELETE FROM journal WHERE updated_at < %s", (cutoff,))
            self.conn.execute("DELETE FROM alerts WHERE raised_at < %s", (cutoff,))  # staff alerts age out too
            # the Clinic tab's day totals go with the days they count
            self.conn.execute("DELETE FROM dashboard_days WHERE day < %s", (cutoff.astimezone().date().isoformat(),))
            record(ids)
        return ids

    # -- the staff side --------------------------------------------------------------

    def encrypted_fields(self) -> list[tuple[str, bytes | None, bytes | None]]:
        return [(r[0], None if r[1] is None else bytes(r[1]), None if r[2] is None else bytes(r[2]))
                for r in self.conn.execute("SELECT id, header, note FROM submissions "
                                           "WHERE header IS NOT NULL OR note IS NOT NULL").fetchall()]

    def drop_index(self, submission_id: str) -> None:
        with self._atomic():
            self.conn.execute("DELETE FROM search_tokens WHERE submission_id = %s", (submission_id,))
            self.conn.execute("UPDATE submissions SET indexed = 0, header = NULL WHERE id = %s", (submission_id,))

    def unindexed(self, limit: int) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM submissions WHERE indexed = 0 LIMIT %s", (limit,))]

    def write_index(self, submission_id: str, tokens: Iterable[bytes], header: bytes) -> None:
        with self._atomic():
            self.conn.execute("DELETE FROM search_tokens WHERE submission_id = %s", (submission_id,))
            self.write_index_many([(submission_id, tokens, header)])

    def write_index_many(self, entries: Iterable[tuple[str, Iterable[bytes], bytes]]) -> None:
        entries = list(entries)
        with self._atomic(), self.conn.cursor() as cur:
            cur.executemany("INSERT INTO search_tokens (submission_id, token) VALUES (%s, %s)",
                            [(sid, token) for sid, tokens, _ in entries for token in tokens])
            cur.executemany("UPDATE submissions SET header = %s, indexed = 1 WHERE id = %s",
                            [(header, sid) for sid, _, header in entries])

    def rescore(self, submission: Submission) -> None:
        payload = self.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        self.conn.execute("UPDATE submissions SET payload = %s, severity = %s WHERE id = %s",
                          (payload, SEVERITY_RANK[submission.assessment.top_severity], submission.id))

    def _where(self, where: QueueFilter) -> tuple[str, list[Any]]:
        return queue_where(where, "%s", lambda moment: moment)

    def queue(self, where: QueueFilter, offset: int, limit: int) -> list[QueueEntry]:
        sql, params = self._where(where)
        found = self.conn.execute(
            f"SELECT id, submitted_at, status, severity, header, demo FROM submissions WHERE {sql} "
            "ORDER BY priority, submitted_at DESC NULLS LAST LIMIT %s OFFSET %s", [*params, limit, offset]).fetchall()
        return [QueueEntry(id=r[0], submitted_at=r[1], status=Status(r[2]), severity=r[3],
                           header=bytes(r[4]) if r[4] is not None else None, training=bool(r[5])) for r in found]

    def entries_with_both(self, first: Iterable[bytes], second: Iterable[bytes]) -> list[QueueEntry]:
        found = self.conn.execute(
            "SELECT id, submitted_at, status, severity, header, demo FROM submissions WHERE status != %s AND demo = 0 "
            "AND id IN (SELECT a.submission_id FROM search_tokens a JOIN search_tokens b "
            "ON b.submission_id = a.submission_id WHERE a.token = ANY(%s) AND b.token = ANY(%s))",
            (str(Status.IN_PROGRESS), list(dict.fromkeys(first)), list(dict.fromkeys(second)))).fetchall()
        return [QueueEntry(id=r[0], submitted_at=r[1], status=Status(r[2]), severity=r[3],
                           header=bytes(r[4]) if r[4] is not None else None, training=bool(r[5])) for r in found]

    def queue_count(self, where: QueueFilter) -> int:
        sql, params = self._where(where)
        return int(self._one(f"SELECT count(*) FROM submissions WHERE {sql}", params))

    def ids_between(self, where: QueueFilter) -> list[tuple[str, str]]:
        sql, params = self._where(where)
        return [(r[0], Status(r[1])) for r in self.conn.execute(
            f"SELECT id, status FROM submissions WHERE {sql} ORDER BY submitted_at NULLS FIRST", params)]

    def note(self, submission_id: str) -> bytes | None:
        value = self._one("SELECT note FROM submissions WHERE id = %s", (submission_id,))
        return None if value is None else bytes(value)

    def set_note(self, submission_id: str, blob: bytes | None) -> None:
        self.conn.execute("UPDATE submissions SET note = %s WHERE id = %s", (blob, submission_id))

    def dose(self, submission_id: str) -> bytes | None:
        value = self._one("SELECT dose FROM submissions WHERE id = %s", (submission_id,))
        return None if value is None else bytes(value)

    def set_dose(self, submission_id: str, blob: bytes | None) -> None:
        self.conn.execute("UPDATE submissions SET dose = %s WHERE id = %s", (blob, submission_id))

    def encrypted_doses(self) -> list[tuple[str, bytes]]:
        return [(r[0], bytes(r[1])) for r in
                self.conn.execute("SELECT id, dose FROM submissions WHERE dose IS NOT NULL ORDER BY id")]

    def mark_reviewed(self, submission_id: str, actor: str, at: dt.datetime) -> None:
        self.mark_reviewed_many([(submission_id, actor, at)])

    def mark_reviewed_many(self, reviews: Iterable[tuple[str, str, dt.datetime]]) -> None:
        with self._atomic(), self.conn.cursor() as cur:
            cur.executemany("UPDATE submissions SET status = %s, reviewed_by = %s, reviewed_at = %s WHERE id = %s",
                            [(str(Status.REVIEWED), actor, at, sid) for sid, actor, at in reviews])

    def undo_review(self, submission_id: str, status: Status) -> None:
        self.conn.execute("UPDATE submissions SET status = %s, reviewed_by = NULL, reviewed_at = NULL "
                          "WHERE id = %s AND status = %s", (str(status), submission_id, str(Status.REVIEWED)))

    def reviewed_by(self, submission_id: str) -> tuple[str, dt.datetime] | None:
        row = self.conn.execute("SELECT reviewed_by, reviewed_at FROM submissions WHERE id = %s",
                                (submission_id,)).fetchone()
        return None if row is None or row[0] is None else (row[0], row[1])

    def mark_printed(self, submission_id: str) -> None:
        self.conn.execute("UPDATE submissions SET status = %s WHERE id = %s AND status = %s",
                          (str(Status.PRINTED), submission_id, str(Status.NEW)))

    # -- people ------------------------------------------------------------------------

    def person_links(self, submission_ids: Iterable[str]) -> dict[str, PersonLink]:
        return {r[0]: PersonLink(r[1], r[2], r[3]) for r in self.conn.execute(
            "SELECT submission_id, person, linked_by, linked_at FROM people WHERE submission_id = ANY(%s)",
            (list(submission_ids),))}

    def person_members(self, person: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT submission_id FROM people WHERE person = %s", (person,))]

    def link_person(self, submission_ids: Iterable[str], person: str, actor: str, at: dt.datetime) -> None:
        with self._atomic(), self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO people (submission_id, person, linked_by, linked_at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (submission_id) DO UPDATE SET person = excluded.person, linked_by = excluded.linked_by, "
                "linked_at = excluded.linked_at", [(sid, person, actor, at) for sid in submission_ids])
