"""Submissions: what a patient gave, stored once, found again by staff."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.clock import utc_now
from kiosk.assessment import Assessment, Evidence, Flag, Score
from kiosk.content.model import SEVERITY_ORDER
from kiosk.crypto import BatchSealer, MasterKeys, is_sealed, seal
from kiosk.storage.db import atomic

# A training patient made by `demo-data`: marked on its row, in the queue and on every PDF page.
DEMO_SOURCE = "demo"
# Stored per row for the queue; a submission without flags ranks last.
SEVERITY_RANK: dict[str | None, int] = {**SEVERITY_ORDER, None: len(SEVERITY_ORDER)}


def new_submission_id() -> str:
    """Made when the patient starts, before any write, so a retried submit cannot store twice."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class SessionEvents:
    """What happened on the kiosk during the session, beyond the answers: only the wizard records these,
    so an imported response never claims them."""

    crisis_shown_at: dt.datetime | None = None
    staff_alert: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"crisis_shown_at": _iso(self.crisis_shown_at) if self.crisis_shown_at else None,
                "staff_alert": self.staff_alert}

    @classmethod
    def from_dict(cls, data: Any) -> "SessionEvents":
        """Payloads stored before events existed (or damaged ones) read as "nothing happened"."""
        if not isinstance(data, dict):
            return cls()
        shown = data.get("crisis_shown_at")
        alert = data.get("staff_alert")
        return cls(crisis_shown_at=dt.datetime.fromisoformat(shown) if isinstance(shown, str) else None,
                   staff_alert=alert if isinstance(alert, str) else None)


@dataclass(frozen=True)
class ClientSubject:
    """What an imported response said about its patient in the sending system: a reference, a display name and
    identifiers (FHIR Identifier objects as sent). Kept so an export links back to that system's patient; the
    kiosk never uses it to find or merge patients."""

    reference: str | None = None
    display: str | None = None
    identifiers: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "display": self.display, "identifiers": list(self.identifiers)}

    @classmethod
    def from_dict(cls, data: Any) -> "ClientSubject | None":
        if not isinstance(data, dict):
            return None
        reference, display = data.get("reference"), data.get("display")
        identifiers = tuple(i for i in data.get("identifiers") or () if isinstance(i, dict))
        return cls(reference=reference if isinstance(reference, str) else None,
                   display=display if isinstance(display, str) else None, identifiers=identifiers)


@dataclass
class Submission:
    id: str
    started_at: dt.datetime
    content_version: str
    language: str
    answers: dict[str, Any] = field(default_factory=dict)
    assessment: Assessment = field(default_factory=Assessment)
    submitted_at: dt.datetime | None = None
    status: str = "in_progress"
    signature_png: bytes | None = None
    source: str = "kiosk"
    # For an import: who or what produced the response (its author and source), in words.
    origin: str = ""
    events: SessionEvents = field(default_factory=SessionEvents)
    subject: ClientSubject | None = None


class Sealed(Exception):
    """The payload is sealed and this process holds no key to open it (the patient-facing kiosk never does)."""


class PayloadCodec(Protocol):
    """How a payload is written to disk. `aad` binds it to its row, so payloads cannot be swapped between rows."""

    def encode(self, data: bytes, aad: bytes) -> bytes: ...

    def decode(self, data: bytes, aad: bytes) -> bytes: ...


class PlainCodec:
    """Only for a database that was never set up (no key pair yet); `open_kiosk_services` refuses those."""

    def encode(self, data: bytes, aad: bytes) -> bytes:
        return data

    def decode(self, data: bytes, aad: bytes) -> bytes:
        if is_sealed(data):
            raise Sealed("this payload is sealed; unlock the staff console to read it")
        return data


class SealingCodec:
    """Write-only: seals to the install's public key; cannot read anything back."""

    def __init__(self, public_key: bytes) -> None:
        self.public_key = public_key

    def encode(self, data: bytes, aad: bytes) -> bytes:
        return seal(self.public_key, data, aad)

    def decode(self, data: bytes, aad: bytes) -> bytes:
        if not is_sealed(data):
            return data
        raise Sealed("this payload is sealed; unlock the staff console to read it")


class BatchSealingCodec(SealingCodec):
    """Write-only like SealingCodec, but one ephemeral key for every payload it seals (bulk training data)."""

    def __init__(self, public_key: bytes) -> None:
        super().__init__(public_key)
        self._sealer = BatchSealer(public_key)

    def encode(self, data: bytes, aad: bytes) -> bytes:
        return self._sealer.seal(data, aad)


class OpeningCodec(SealingCodec):
    """Read and write, for an unlocked staff console."""

    def __init__(self, keys: MasterKeys) -> None:
        super().__init__(keys.public_key)
        self.keys = keys

    def decode(self, data: bytes, aad: bytes) -> bytes:
        return self.keys.open_sealed(data, aad) if is_sealed(data) else data


def install_codec(conn: sqlite3.Connection) -> PayloadCodec:
    """The write-only sealing codec once the install has a key pair."""
    row = conn.execute("SELECT public_key FROM install WHERE id = 1").fetchone()
    return SealingCodec(bytes(row[0])) if row else PlainCodec()


INSERT = ("INSERT INTO submissions (id, started_at, submitted_at, status, content_version, language, severity, payload, demo)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")


class SubmissionStore:
    def __init__(self, conn: sqlite3.Connection, codec: PayloadCodec | None = None) -> None:
        self.conn = conn
        self._codec = codec

    @property
    def codec(self) -> PayloadCodec:
        """The codec given, else the install's sealing codec, looked up each time so a setup made later applies."""
        return self._codec or install_codec(self.conn)

    def save(self, submission: Submission) -> bool:
        """Write the submission in one transaction; False if that id was already stored (a retry)."""
        with atomic(self.conn):
            return self.conn.execute(INSERT, self._row(submission)).rowcount == 1

    def save_many(self, submissions: list[Submission]) -> None:
        """Write many at once inside the caller's transaction (training data); ids already stored are skipped."""
        self.conn.executemany(INSERT, [self._row(s) for s in submissions])

    def _row(self, submission: Submission) -> tuple[Any, ...]:
        payload = self.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        return (
            submission.id,
            _iso(submission.started_at),
            _iso(submission.submitted_at) if submission.submitted_at else None,
            submission.status,
            submission.content_version,
            submission.language,
            SEVERITY_RANK[submission.assessment.top_severity],
            payload,
            int(submission.source == DEMO_SOURCE),
        )

    def get(self, submission_id: str) -> Submission | None:
        row = self.conn.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return None if row is None else self._from_row(row)

    def set_status(self, submission_id: str, status: str) -> None:
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET status = ? WHERE id = ?", (status, submission_id))

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
            return self.conn.execute("DELETE FROM submissions WHERE demo = 1").rowcount

    def _from_row(self, row: sqlite3.Row) -> Submission:
        data = json.loads(self.codec.decode(row["payload"], row["id"].encode("ascii")))
        return Submission(
            id=row["id"],
            started_at=dt.datetime.fromisoformat(row["started_at"]),
            submitted_at=dt.datetime.fromisoformat(row["submitted_at"]) if row["submitted_at"] else None,
            status=row["status"],
            content_version=row["content_version"],
            language=row["language"],
            answers=data["answers"],
            assessment=assessment_from_dict(data["assessment"]),
            signature_png=bytes.fromhex(data["signature_png"]) if data.get("signature_png") else None,
            source=data.get("source", "kiosk"),
            origin=str(data.get("origin") or ""),
            events=SessionEvents.from_dict(data.get("events")),
            subject=ClientSubject.from_dict(data.get("subject")),
        )


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat()


def payload_json(submission: Submission) -> bytes:
    data = {
        "answers": submission.answers,
        "assessment": assessment_to_dict(submission.assessment),
        "signature_png": submission.signature_png.hex() if submission.signature_png else None,
        "source": submission.source,
        "origin": submission.origin,
        "events": submission.events.to_dict(),
        **({"subject": submission.subject.to_dict()} if submission.subject else {}),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """The JSON shape `assessment_from_dict` reads; written out by hand because `dataclasses.asdict` deep-copies
    every field and was most of the cost of a save."""
    return {
        "scores": {key: {**vars(score), "item_scores": [list(pair) for pair in score.item_scores]}
                   for key, score in assessment.scores.items()},
        "derived": dict(assessment.derived),
        "flags": [{"id": f.id, "severity": f.severity, "text": f.text, "evidence": [vars(e) for e in f.evidence]}
                  for f in assessment.flags],
    }


def assessment_from_dict(data: dict[str, Any]) -> Assessment:
    scores = {
        key: Score(**{**value, "item_scores": tuple(tuple(pair) for pair in value["item_scores"])})
        for key, value in data["scores"].items()
    }
    flags = tuple(
        Flag(f["id"], f["severity"], f["text"], tuple(Evidence(**e) for e in f["evidence"])) for f in data["flags"]
    )
    return Assessment(scores=scores, derived=dict(data["derived"]), flags=flags)
