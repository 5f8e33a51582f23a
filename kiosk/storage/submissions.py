"""A submission: what a patient gave, its status, and the JSON shape its sealed payload is stored in.

Where submissions are kept is `kiosk.storage.repository` (the interface) and
`kiosk.storage.sqlite_submissions` (the SQLite implementation).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.rules.assessment import Assessment, Evidence, Flag, Score
from kiosk.system.clock import iso_utc, utc_now
from kiosk.content.model import SEVERITY_ORDER

__all__ = ["DEMO_SOURCE", "SEVERITY_RANK", "ClientSubject", "SessionEvents", "Status", "Submission",
           "assessment_from_dict", "assessment_to_dict", "new_submission_id", "payload_json", "utc_now"]


class Status(StrEnum):
    """Where a submission is in its life; the values are what is stored, so they never change."""

    IN_PROGRESS = "in_progress"  # the autosave of a patient still answering; never in the staff queue
    NEW = "new"  # submitted, not yet on paper
    PRINTED = "printed"
    REVIEWED = "reviewed"  # a clinician has read it
    ABANDONED = "abandoned"  # the patient walked away (or the kiosk crashed); kept per the clinic's setting

    @property
    def awaits_review(self) -> bool:
        """Submitted and not yet reviewed: an urgent one of these heads the staff queue."""
        return self in (Status.NEW, Status.PRINTED)

    @property
    def on_paper(self) -> bool:
        return self in (Status.PRINTED, Status.REVIEWED)


# A training patient made by `demo-data`: marked on its row, in the queue and on every PDF page.
DEMO_SOURCE = "demo"
IMPORT_SOURCE = "import"  # a FHIR QuestionnaireResponse brought in by `import` or `report --response`
# Stored per row for the queue; a submission without flags ranks last.
SEVERITY_RANK: dict[str | None, int] = {None: len(SEVERITY_ORDER)}
SEVERITY_RANK.update(SEVERITY_ORDER)


def new_submission_id() -> str:
    """Made when the patient starts, before any write, so a retried submit cannot store twice.

    A random (version 4) UUID as 32 hex digits, as `uuid.uuid4().hex` makes it: written out here because the
    uuid module imports `platform`, whose set-up the kiosk's first screen would otherwise wait for.
    """
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    return raw.hex()


@dataclass(frozen=True)
class SessionEvents:
    """What happened on the kiosk during the session, beyond the answers: only the wizard records these,
    so an imported response never claims them."""

    crisis_shown_at: dt.datetime | None = None
    staff_alert: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"crisis_shown_at": iso_utc(self.crisis_shown_at) if self.crisis_shown_at else None,
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
    status: str = Status.IN_PROGRESS
    signature_png: bytes | None = None
    source: str = "kiosk"
    # For an import: who or what produced the response (its author and source), in words.
    origin: str = ""
    events: SessionEvents = field(default_factory=SessionEvents)
    subject: ClientSubject | None = None
    # The visit type whose questionnaire was answered (`intake`, `follow-up`).
    visit: str = "intake"


def payload_json(submission: Submission) -> bytes:
    data = {
        "answers": submission.answers,
        "assessment": assessment_to_dict(submission.assessment),
        "signature_png": submission.signature_png.hex() if submission.signature_png else None,
        "source": submission.source,
        "origin": submission.origin,
        "events": submission.events.to_dict(),
        **({"subject": submission.subject.to_dict()} if submission.subject else {}),
        **({"visit": submission.visit} if submission.visit != "intake" else {}),
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
