"""`SealedStaffData`: the console's view of the database while one staff member is unlocked.

It holds the opened keys in memory until `lock()`. Reads open sealed payloads;
every change and every disclosure is written to the audit chain under the
unlocked staff member's name. Search goes through the keyed-hash index, never
through plaintext.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.storage.shared_connection import Db, submission_store
from kiosk.system.clock import local_days, utc_now
from kiosk.rules.assessment import Assessment, assess
from kiosk.staff.records import AccountInfo, AuditEntry, QueueQuery, QueueRow
from kiosk.content import Content
from kiosk.report import clinic_stats as dashboard
from kiosk.staff.queue_reasons import queue_reason
from kiosk.report.doses import DoseRecord, dose_record
from kiosk.report.trend import VisitPoint, visit_day
from kiosk.settings import Settings
from kiosk.staff import audit, audit_seal, index, vault
from kiosk.staff.first_page import FirstPage
from kiosk.staff.rights import Action, Role, allowed, require
from kiosk.staff.settings_store import load_settings, save_settings
from kiosk.storage.codecs import OpeningCodec
from kiosk.storage.repository import QueueFilter
from kiosk.storage.submissions import Status, Submission


OUTBOX_AAD = b"outbox pdf"


def outbox_sealer(conn: Db) -> Callable[[bytes], bytes] | None:
    """The kiosk's `seal` for the print outbox: write-only, like submissions (None before setup).

    The public key is looked up at each seal, so a key epoch started by the console applies at once."""
    if vault.public_key(conn) is None:
        return None
    from kiosk.system.crypto import seal

    def sealed(pdf: bytes) -> bytes:
        public = vault.public_key(conn)
        if public is None:
            raise RuntimeError("the install's key pair is gone")
        return seal(public, pdf, OUTBOX_AAD)

    return sealed


# What a review made by mistake can go back to.
UNDO_TO = frozenset({Status.NEW, Status.PRINTED, Status.ABANDONED})


class Locked(Exception):
    """The console was locked; unlock again to go on."""


class SealedStaffData:
    def __init__(self, conn: Db, unlocked: vault.Unlocked, content: Content,
                 data_dir: Path | None = None, first_page: FirstPage | None = None) -> None:
        self.conn = conn
        self.first_page = first_page or FirstPage(conn)  # read during sign-in's KDF, if it was (kiosk.staff.first_page)
        self.content = content
        self.data_dir = data_dir
        self._unlocked: vault.Unlocked | None = unlocked
        self.actor = unlocked.actor
        self.role: Role = unlocked.role
        self.audit_findings = unlocked.audit_findings
        self.is_admin = unlocked.is_admin
        self.store = submission_store(conn, OpeningCodec(unlocked.keys))

    # -- keys and rights ---------------------------------------------------------

    def can(self, action: Action) -> bool:
        return allowed(self.role, action)

    def require(self, action: Action) -> None:
        """Refuse (NotAllowed, "needs an administrator") what this account's role may not do; the refusal is audited."""
        if not allowed(self.role, action):
            audit.append(self.conn, self.actor, "refused", "", {"action": action.value, "role": self.role.value})
        require(self.role, action)

    @property
    def unlocked(self) -> vault.Unlocked:
        if self._unlocked is None:
            raise Locked("The console is locked.")
        return self._unlocked

    def lock(self) -> None:
        self.first_page.forget()
        if self._unlocked is not None:
            audit.append(self.conn, self.actor, "lock")
            audit_seal.seal(self.conn, self._unlocked.keys.audit_key)
        self._unlocked = None
        self.store = submission_store(self.conn)

    # -- index --------------------------------------------------------------------

    def index_pending(self, batch: int = 500) -> int:
        """Open each not-yet-indexed payload once: finish crash-abandoned sessions, write tokens and header."""
        keys = self.unlocked.keys
        identity = self.content.manifest.identity
        done = 0
        while ids := self.store.unindexed(batch):
            with self.store.transaction():
                opened = []
                for submission_id in ids:
                    submission = self.store.get(submission_id)
                    if submission is None:
                        continue
                    opened.append(submission)
                    if submission.status == Status.ABANDONED and submission.assessment == Assessment():
                        self._assess_abandoned(submission)
                    header = {"name": str(submission.answers.get(identity.name, "")),
                              "dob": str(submission.answers.get(identity.dob, "")),
                              "reason": queue_reason(self.content.for_visit(submission.visit), submission)}
                    self.store.write_index(submission_id, *index.index_entry(keys, submission_id, header))
                    done += 1
                dashboard.add_rows(self.conn, keys, self.content, opened)
        return done

    def _assess_abandoned(self, submission: Submission) -> None:
        """A session the kiosk kept after a crash (its autosave carries no assessment) is scored when staff first
        open it, so its flags show. One that scores nothing stays as it is."""
        content = self.content.for_visit(submission.visit)
        known = {k: v for k, v in submission.answers.items() if k in content.questions}
        found = assess(content, known, (submission.submitted_at or submission.started_at).date())
        if found == submission.assessment:
            return
        submission.assessment = found
        self.store.rescore(submission)

    # -- queue --------------------------------------------------------------------

    def _filter(self, query: QueueQuery) -> QueueFilter:
        tokens: tuple[bytes, ...] = ()
        if query.name.strip() or query.dob.strip():
            tokens = tuple(index.query_tokens(self.unlocked.keys, query.name, query.dob))
        since, until = local_days(query.since, query.until)
        return QueueFilter(tokens=tokens, since=since, until=until)

    def count(self, query: QueueQuery) -> int:
        self.require(Action.FIND)
        self._index_for_queue()
        where = self._filter(query)
        found = self.first_page.count(where)
        return self.store.queue_count(where) if found is None else found

    def _index_for_queue(self) -> None:
        if self.index_pending():
            self.first_page.forget()  # rows read before they were indexed lack their headers

    def rows(self, query: QueueQuery, offset: int, limit: int) -> list[QueueRow]:
        """One page of the queue: urgent ones awaiting review first, then newest first."""
        self.require(Action.FIND)
        self._index_for_queue()
        keys = self.unlocked.keys
        rows = []
        where = self._filter(query)
        entries = self.first_page.page(where, offset, limit)
        for entry in self.store.queue(where, offset, limit) if entries is None else entries:
            info = index.decrypt_header(keys, entry.id, entry.header) if entry.header else {}
            rows.append(QueueRow(
                id=entry.id, submitted_at=entry.submitted_at, name=str(info.get("name", "")),
                dob=str(info.get("dob", "")), status=entry.status, severity=entry.severity,
                printed=entry.status.on_paper, training=entry.training,
                reason=str(info.get("reason", "")),
            ))
        pending = self.awaiting_confirmation(rows)
        return [replace(row, to_confirm=True) if row.id in pending else row for row in rows]

    def dashboard(self, since: dt.date | None, until: dt.date | None) -> dashboard.Dashboard:
        """The Clinic tab over a date range, from the encrypted day totals (every row is indexed first)."""
        self.require(Action.FIND)
        self.index_pending()
        return dashboard.summarize(self.content, dashboard.day_totals(self.conn, self.unlocked.keys, since, until),
                                   since, until)

    def submission(self, submission_id: str) -> Submission:
        self.require(Action.PREVIEW)
        found = self.store.get(submission_id)
        if found is None:
            raise KeyError(f"no submission {submission_id}")
        return found

    def earlier_visits(self, name: str, dob: str, exclude: str) -> list[VisitPoint]:
        """The same person's other stored visits (matched on the keyed name and birth-date hash)."""
        from kiosk.staff.people import earlier_visits

        self.require(Action.PREVIEW)
        return [replace(point, dose=self._dose(point.submission_id)) for point in earlier_visits(self, name, dob, exclude)]

    def match_note(self, name: str, dob: str, exclude: str) -> str:
        """Why no earlier visit is shown although some of this name and birth date are on file ('' otherwise)."""
        from kiosk.staff.people import match_note

        self.require(Action.PREVIEW)
        return match_note(self, name, dob, exclude)

    def person(self, submission_id: str) -> Any:
        """This visit's person (kiosk.staff.people.PersonView): its confirmed and suggested visits."""
        from kiosk.staff.people import person_view

        self.require(Action.PREVIEW)
        return person_view(self, submission_id)

    def awaiting_confirmation(self, rows: list[QueueRow]) -> set[str]:
        """Which of these queue rows have a suggested match staff have not confirmed (kiosk.staff.people). Training
        rows are made-up people, never anyone's earlier visits, so they are not asked about (the demo queue costs
        nothing more)."""
        from kiosk.staff.people import awaiting_confirmation

        self.require(Action.FIND)
        return awaiting_confirmation(self, [(row.id, row.name, row.dob) for row in rows if not row.training])

    def change_person(self, change: str, submission_id: str, other_id: str = "") -> str:
        """`confirm` the suggested match, `reject` it (a different person), `split` this visit off its person, or
        `merge` it with the person of `other_id`; audited with ids only (never a name). Returns the person id."""
        from kiosk.staff import people

        self.require(Action.PEOPLE)
        with self.store.transaction():
            person, detail = people.change(self, change, submission_id, other_id, utc_now())
            audit.append(self.conn, self.actor, f"person_{change}", submission_id, detail)
        return person

    def same_person_ids(self, name: str, dob: str) -> list[str]:
        from kiosk.staff.people import same_key_ids

        return same_key_ids(self, name, dob)

    def person_ids(self, submission_ids: list[str]) -> dict[str, str]:
        """The person staff linked each of these visits to (an export's one Patient per person)."""
        self.require(Action.EXPORT)
        return {sid: link.person for sid, link in self.store.person_links(submission_ids).items()}

    def submissions_between(self, since: dt.date | None, until: dt.date | None) -> list[Submission]:
        """Every submission in a date range, opened: only for an export, so it needs the export right."""
        return [self.submission(i) for i, _ in self.submission_ids_between(since, until)]

    def submission_ids_between(self, since: dt.date | None, until: dt.date | None) -> list[tuple[str, str]]:
        """(id, status) of the submissions in a date range, oldest first, without opening any payload: for an export."""
        self.require(Action.EXPORT)
        return self.store.ids_between(self._filter(QueueQuery(since=since, until=until)))

    # -- actions on one submission ---------------------------------------------

    def note(self, submission_id: str) -> str:
        self.require(Action.PREVIEW)
        blob = self.store.note(submission_id)
        if blob is None:
            return ""
        return self.unlocked.keys.decrypt(blob, f"note:{submission_id}".encode()).decode("utf-8")

    def add_note(self, submission_id: str, text: str) -> None:
        self.require(Action.NOTE)
        blob = self.unlocked.keys.encrypt(text.encode("utf-8"), f"note:{submission_id}".encode()) if text else None
        with self.store.transaction():
            self.store.set_note(submission_id, blob)
            audit.append(self.conn, self.actor, "note", submission_id, {"cleared": not text})

    def dose(self, submission_id: str) -> DoseRecord | None:
        """What staff recorded as given at this visit (shot: side and lot; or pills prescribed), if anything."""
        self.require(Action.PREVIEW)
        return self._dose(submission_id)

    def _dose(self, submission_id: str) -> DoseRecord | None:
        blob = self.store.dose(submission_id) if submission_id else None
        if blob is None:
            return None
        return DoseRecord.from_json(self.unlocked.keys.decrypt(blob, f"dose:{submission_id}".encode()))

    def record_dose(self, submission_id: str, kind: str, side: str = "", lot: str = "") -> DoseRecord:
        """Record the shot given (side, lot) or pills prescribed at a stored visit; replaces an earlier
        record of the same visit. Checked (DoseInvalid names the field) and audited."""
        self.require(Action.DOSE)
        visit = self.store.get(submission_id)
        if visit is None:
            raise KeyError(f"no submission {submission_id}")
        # Given at that visit: the due date counts from the visit's day, as the trend counts its days.
        record = dose_record(kind, side, lot, self.actor, visit_day(visit))
        blob = self.unlocked.keys.encrypt(record.to_json(), f"dose:{submission_id}".encode())
        with self.store.transaction():
            replaced = self.store.dose(submission_id) is not None
            self.store.set_dose(submission_id, blob)
            audit.append(self.conn, self.actor, "dose", submission_id, {"kind": record.kind, "replaced": replaced})
        return record

    def mark_reviewed(self, submission_id: str) -> None:
        self.require(Action.REVIEW)
        with self.store.transaction():
            self.store.mark_reviewed(submission_id, self.actor, utc_now())
            audit.append(self.conn, self.actor, "review", submission_id)

    def undo_review(self, submission_id: str, status: str) -> None:
        """Take back a review made by mistake: the row returns to `status` (new or printed) and to the top if urgent."""
        self.require(Action.REVIEW)
        if status not in UNDO_TO:
            raise ValueError(f"a review can only be undone back to new, printed or abandoned, not {status!r}")
        with self.store.transaction():
            self.store.undo_review(submission_id, Status(status))
            audit.append(self.conn, self.actor, "review_undone", submission_id, {"status": status})

    def reviewed_by(self, submission_id: str) -> tuple[str, dt.datetime] | None:
        return self.store.reviewed_by(submission_id)

    def mark_printed(self, submission_id: str) -> None:
        self.require(Action.PRINT)
        self.store.mark_printed(submission_id)

    def open_outbox(self, blob: bytes) -> bytes:
        """An outbox PDF, sealed by the kiosk with `outbox_sealer`, opened for printing or preview."""
        self.require(Action.PRINT)
        return self.unlocked.keys.open_sealed(blob, OUTBOX_AAD)

    # -- audit, settings, accounts -----------------------------------------------

    def record(self, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
        audit.append(self.conn, self.actor, action, target, detail)

    def audit_entries(self, offset: int = 0, limit: int = 500) -> list[AuditEntry]:
        self.require(Action.AUDIT)
        return audit.entries(self.conn, offset, limit)

    def audit_problems(self) -> list[str]:
        """The hash chain walked from the first entry, then what the keyed seals say (kiosk/staff/audit_seal.py)."""
        self.require(Action.AUDIT)
        return audit.problems(self.conn) + audit_seal.problems(self.conn, self.unlocked.keys.audit_key)

    def settings(self) -> Settings:
        return load_settings(self.conn)

    def update_settings(self, **changes: Any) -> Settings:
        self.unlocked  # noqa: B018 - a locked console changes nothing
        self.require(Action.SETTINGS)
        return save_settings(self.conn, self.actor, self.role, **changes)

    def accounts(self) -> list[AccountInfo]:
        self.require(Action.ACCOUNTS)
        return [AccountInfo(r[0], bool(r[1]), dt.datetime.fromisoformat(r[2]), Role(r[3]))
                for r in self.conn.execute("SELECT name, is_admin, created_at, role FROM staff ORDER BY name")]

    def add_account(self, name: str, passphrase: str, role: Role | str | bool = Role.CLINICIAN) -> None:
        """`role` may be a Role, its name, or True/False (administrator / clinician) as older callers pass it."""
        self.require(Action.ACCOUNTS)
        if isinstance(role, bool):
            role = Role.ADMINISTRATOR if role else Role.CLINICIAN
        vault.add_account(self.conn, self.unlocked, name, passphrase, role)

    def remove_account(self, name: str) -> list[str]:
        """Remove the account; a new key epoch starts and this session goes on with its keys. Returns the accounts
        the new keys could not reach (made before key epochs and not signed in since)."""
        self.require(Action.ACCOUNTS)
        unlocked, left_out = vault.remove_account(self.conn, self.unlocked, name)
        self._use(unlocked)
        return left_out

    def rotate_keys(self) -> list[str]:
        """Start a new key epoch without removing anyone (`account rotate`)."""
        self.require(Action.ACCOUNTS)
        unlocked, left_out = vault.rotate_keys(self.conn, self.unlocked)
        self._use(unlocked)
        return left_out

    def _use(self, unlocked: vault.Unlocked) -> None:
        self._unlocked = unlocked
        self.store = submission_store(self.conn, OpeningCodec(unlocked.keys))

