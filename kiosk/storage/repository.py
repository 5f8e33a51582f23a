"""The submissions repository: every read and write of submissions and autosaves goes through this interface.

It is the seam a second database backend implements; the contract tests in
tests/contract/ run against every implementation. Nothing here names a
backend: times are aware datetimes, payloads and search tokens are bytes, and
the caller groups writes with `transaction()` (an audit entry written in the
same block commits or rolls back with them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.storage.codecs import PayloadCodec
from kiosk.storage.submissions import Status, Submission


@dataclass(frozen=True)
class QueueFilter:
    """Which stored submissions staff look at. Sessions still in progress are never included."""

    tokens: tuple[bytes, ...] = ()  # keyed hashes (name words, date of birth) a row must all carry
    since: dt.datetime | None = None  # submitted at or after this instant
    until: dt.datetime | None = None  # submitted before this instant


@dataclass(frozen=True)
class QueueEntry:
    """One row of the staff queue as stored: the header is encrypted; only an unlocked console reads it."""

    id: str
    submitted_at: dt.datetime | None
    status: Status
    severity: int
    header: bytes | None
    training: bool


@dataclass(frozen=True)
class PersonLink:
    """A visit staff linked to one person: the opaque person id, who linked it and when."""

    person: str
    linked_by: str
    linked_at: dt.datetime


def queue_where(where: QueueFilter, mark: str, moment: Callable[[dt.datetime], Any]) -> tuple[str, list[Any]]:
    """The WHERE clause and parameters for `where`, shared by every backend.

    `mark` is the driver's parameter placeholder (`?`, `%s`); `moment` turns an instant into what the
    backend stores (SQLite: ISO text in UTC; PostgreSQL: the aware datetime itself).
    """
    clauses: list[str] = [f"status != {mark}"]
    params: list[Any] = [str(Status.IN_PROGRESS)]
    if where.tokens:
        parts = " INTERSECT ".join(f"SELECT submission_id FROM search_tokens WHERE token = {mark}" for _ in where.tokens)
        clauses.append(f"id IN ({parts})")
        params.extend(where.tokens)
    if where.since is not None:
        clauses.append(f"submitted_at >= {mark}")
        params.append(moment(where.since))
    if where.until is not None:
        clauses.append(f"submitted_at < {mark}")
        params.append(moment(where.until))
    return " AND ".join(clauses), params


class SubmissionRepository(Protocol):
    """Queue order everywhere: urgent submissions awaiting review (`Status.awaits_review`) first, then newest
    submitted first."""

    @property
    def codec(self) -> PayloadCodec: ...

    def transaction(self) -> AbstractContextManager[object]: ...

    # -- the patient's path ------------------------------------------------------

    def save(self, submission: Submission) -> bool:
        """Store once; False when that id is already stored (a retried submit)."""
        ...

    def save_many(self, submissions: Sequence[Submission]) -> None: ...

    def get(self, submission_id: str) -> Submission | None: ...

    def set_status(self, submission_id: str, status: Status) -> None: ...

    def count(self) -> int: ...

    def count_real(self) -> int:
        """Patients' rows and autosaves, not training rows."""
        ...

    def remove_demo(self) -> int: ...

    def autosave(self, submission: Submission, at: dt.datetime) -> None:
        """Replace the autosave of a session in progress."""
        ...

    def keep_abandoned(self, submission: Submission) -> None:
        """Store a walked-away session (status ABANDONED) and drop its autosave, together."""
        ...

    def drop_autosave(self, submission_id: str) -> None: ...

    def adopt_autosaves(self, keep: bool, at: dt.datetime) -> int:
        """After a crash: every autosave becomes an abandoned submission (still sealed, scored later by staff),
        or is dropped when `keep` is false. Returns how many autosaves there were."""
        ...

    def purge_older_than(self, cutoff: dt.datetime, record: Callable[[list[str]], None] = ...,
                         limit: int | None = None, hold_unforwarded: bool = False) -> list[str]:
        """Delete submissions submitted (or started) before `cutoff` (at most `limit`, oldest first), and older
        autosaves; returns the ids. `record(ids)` runs inside the same transaction (the audit entry commits with
        the deletion). With `hold_unforwarded` (a station that forwards to a shared database) a row not yet
        forwarded is kept whatever its age, so the shared copy is never lost; the shared database itself holds
        only forwarded rows and ignores it."""
        ...

    # -- the staff side --------------------------------------------------------------

    def encrypted_fields(self) -> list[tuple[str, bytes | None, bytes | None]]:
        """(id, header, note) of every row holding either, for re-encrypting under new keys."""
        ...

    def drop_index(self, submission_id: str) -> None: ...

    def unindexed(self, limit: int) -> list[str]: ...

    def write_index(self, submission_id: str, tokens: Iterable[bytes], header: bytes) -> None: ...

    def write_index_many(self, entries: Iterable[tuple[str, Iterable[bytes], bytes]]) -> None: ...

    def rescore(self, submission: Submission) -> None:
        """Rewrite the payload and severity after the assessment changed (a crash-kept session scored)."""
        ...

    def queue(self, where: QueueFilter, offset: int, limit: int) -> list[QueueEntry]: ...

    def queue_count(self, where: QueueFilter) -> int: ...

    def entries_with_both(self, first: Iterable[bytes], second: Iterable[bytes]) -> list[QueueEntry]:
        """Every stored, non-training entry (not in progress) found by one of `first` AND one of `second`, in no
        order: one query for a whole page's candidates (a person's other visits share its birth-date token and
        each of its name words' tokens)."""
        ...

    def ids_between(self, where: QueueFilter) -> list[tuple[str, str]]:
        """(id, status) of matching rows, oldest submitted first, without opening a payload (exports)."""
        ...

    def note(self, submission_id: str) -> bytes | None: ...

    def set_note(self, submission_id: str, blob: bytes | None) -> None: ...

    def dose(self, submission_id: str) -> bytes | None:
        """The encrypted record of what was given at this visit (shot or pills), if staff recorded one."""
        ...

    def set_dose(self, submission_id: str, blob: bytes | None) -> None:
        """Replace (or with None remove) the encrypted dose record of a stored submission."""
        ...

    def encrypted_doses(self) -> list[tuple[str, bytes]]:
        """(id, dose) of every row holding a dose record, for re-encrypting under new keys."""
        ...

    def mark_reviewed(self, submission_id: str, actor: str, at: dt.datetime) -> None: ...

    def mark_reviewed_many(self, reviews: Iterable[tuple[str, str, dt.datetime]]) -> None: ...

    def undo_review(self, submission_id: str, status: Status) -> None:
        """A reviewed row goes back to `status` and loses its reviewer; any other row stays as it is."""
        ...

    def reviewed_by(self, submission_id: str) -> tuple[str, dt.datetime] | None: ...

    def mark_printed(self, submission_id: str) -> None:
        """NEW becomes PRINTED; any other status stays."""
        ...

    # -- people: visits staff linked to one person -------------------------------------

    def person_links(self, submission_ids: Iterable[str]) -> dict[str, PersonLink]:
        """The link of each of these visits that has one (a visit never linked is absent)."""
        ...

    def person_members(self, person: str) -> list[str]:
        """Every visit linked to `person`."""
        ...

    def link_person(self, submission_ids: Iterable[str], person: str, actor: str, at: dt.datetime) -> None:
        """Link these visits to `person`, replacing any earlier link of theirs, in one transaction."""
        ...
