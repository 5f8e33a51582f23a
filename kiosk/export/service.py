"""The one export: submissions in a date range, as a FHIR R4 Bundle or CSV, to a private file; audited.

The `export` command and the staff console both call `export_submissions`, so
they write the same rows the same way. Rules:

- Abandoned sessions (a patient walked away, or the kiosk stopped mid-intake)
  are not exported: they were never submitted. Staff see and print them in
  the console.
- A submission that cannot be read (a damaged or undecryptable payload) does
  not stop the others: every readable one is written, and the damaged ids are
  returned so the caller can list them (the command exits 1).
- The file is written by the one private writer (owner-only, whole or not at all).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kiosk.content import Content
from kiosk.storage.private_files import write_private
from kiosk.storage.submissions import Status, Submission

log = logging.getLogger(__name__)

FORMATS = ("fhir", "csv")
EXCLUDED_STATUSES = frozenset({Status.ABANDONED})


class ExportSource(Protocol):
    """What the export reads from an unlocked staff session."""

    def submission_ids_between(self, since: dt.date | None, until: dt.date | None) -> list[tuple[str, str]]: ...

    def submission(self, submission_id: str) -> Submission: ...

    def record(self, action: str, target: str = "", detail: dict | None = None) -> None: ...

    def person_ids(self, submission_ids: list[str]) -> dict[str, str]:
        """The person staff linked each of these visits to (a visit never linked is absent)."""
        ...


@dataclass(frozen=True)
class ExportResult:
    kind: str
    path: Path
    count: int
    damaged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"Exported {self.count} submission(s) to {self.path}"
        if self.damaged:
            text += (f"\n{len(self.damaged)} damaged submission(s) could not be read and were left out: "
                     + ", ".join(self.damaged))
        return text


def render(kind: str, submissions: list[Submission], content: Content,
           links: dict[str, str] | None = None) -> bytes:
    """The export's bytes, from the one FHIR builder (one Patient per person; `links`: visit id -> the person
    staff linked it to) or the one CSV writer."""
    if kind == "fhir":
        from kiosk.export.people import person_keys
        from kiosk.fhir.bundle import bundle_for

        people = person_keys(submissions, content, links or {})
        return (json.dumps(bundle_for(submissions, content, people=people), ensure_ascii=False, indent=2)
                + "\n").encode("utf-8")
    from kiosk.export.csv import write_csv

    stream = io.StringIO(newline="")
    write_csv(submissions, content, stream)
    return stream.getvalue().encode("utf-8")


def export_submissions(source: ExportSource, content: Content, kind: str, since: dt.date | None,
                       until: dt.date | None, path: Path,
                       write: Callable[[Path, bytes], object] = write_private) -> ExportResult:
    """Write the readable submissions of the range to `path`; the result lists any damaged ids. Audited."""
    if kind not in FORMATS:
        raise ValueError(f"unknown export format {kind!r} (fhir or csv)")
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"The folder {path.parent} does not exist.")
    readable: list[Submission] = []
    damaged: list[str] = []
    for submission_id, status in source.submission_ids_between(since, until):
        if status in EXCLUDED_STATUSES:
            continue
        try:
            readable.append(source.submission(submission_id))
        except Exception as exc:  # noqa: BLE001 - one damaged row must not block the rest
            log.error("export: submission %s cannot be read (%s)", submission_id, type(exc).__name__)
            damaged.append(submission_id)
    links = source.person_ids([s.id for s in readable]) if kind == "fhir" else {}
    data, unrenderable = _render_readable(kind, readable, content, links)
    damaged += unrenderable
    write(path, data)
    result = ExportResult(kind, path, len(readable) - len(unrenderable), damaged)
    source.record("export", path.name, {"format": kind, "count": result.count, "damaged": len(damaged),
                                        "since": str(since or ""), "until": str(until or "")})
    return result


def _render_readable(kind: str, submissions: list[Submission], content: Content,
                     links: dict[str, str]) -> tuple[bytes, list[str]]:
    """Render all; if that fails, find the submissions that cannot be rendered on their own and leave them out."""
    try:
        return render(kind, submissions, content, links), []
    except Exception:  # noqa: BLE001 - narrowed down below, one submission at a time
        bad = []
        for submission in submissions:
            try:
                render(kind, [submission], content)
            except Exception as exc:  # noqa: BLE001
                log.error("export: submission %s cannot be exported (%s)", submission.id, type(exc).__name__)
                bad.append(submission.id)
        kept = [s for s in submissions if s.id not in set(bad)]
        return render(kind, kept, content, links), bad
