"""`SealedStaffData`: the console's view of the database while one staff member is unlocked.

It holds the opened keys in memory until `lock()`. Reads open sealed payloads;
every change and every disclosure is written to the audit chain under the
unlocked staff member's name. Search goes through the keyed-hash index, never
through plaintext.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from kiosk.assessment import Assessment, assess
from kiosk.console import AccountInfo, AuditEntry, QueueQuery, QueueRow
from kiosk.content import Content
from kiosk.settings import Settings
from kiosk.staff import audit, audit_seal, index, vault
from kiosk.staff.rights import Action, Role, allowed, require
from kiosk.staff.settings_store import load_settings, save_settings
from kiosk.storage.db import atomic
from kiosk.storage.submissions import SEVERITY_RANK, OpeningCodec, Submission, SubmissionStore, payload_json


OUTBOX_AAD = b"outbox pdf"


def outbox_sealer(conn: sqlite3.Connection):
    """The kiosk's `seal` for the print outbox: write-only, like submissions (None before setup).

    The public key is looked up at each seal, so a key epoch started by the console applies at once."""
    if vault.public_key(conn) is None:
        return None
    from kiosk.staff.crypto import seal

    return lambda pdf: seal(vault.public_key(conn), pdf, OUTBOX_AAD)


class Locked(Exception):
    """The console was locked; unlock again to go on."""


class SealedStaffData:
    def __init__(self, conn: sqlite3.Connection, unlocked: vault.Unlocked, content: Content,
                 data_dir: Path | None = None) -> None:
        self.conn = conn
        self.content = content
        self.data_dir = data_dir
        self._unlocked: vault.Unlocked | None = unlocked
        self.actor = unlocked.actor
        self.role: Role = unlocked.role
        self.audit_findings = unlocked.audit_findings
        self.is_admin = unlocked.is_admin
        self.store = SubmissionStore(conn, OpeningCodec(unlocked.keys))

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
        if self._unlocked is not None:
            audit.append(self.conn, self.actor, "lock")
            audit_seal.seal(self.conn, self._unlocked.keys.audit_key)
        self._unlocked = None
        self.store = SubmissionStore(self.conn)

    # -- index --------------------------------------------------------------------

    def index_pending(self, batch: int = 500) -> int:
        """Open each not-yet-indexed payload once: finish crash-abandoned sessions, write tokens and header."""
        keys = self.unlocked.keys
        identity = self.content.manifest.identity
        done = 0
        while ids := index.pending_ids(self.conn, batch):
            with atomic(self.conn):
                for submission_id in ids:
                    submission = self.store.get(submission_id)
                    if submission is None:
                        continue
                    if submission.status == "abandoned" and submission.assessment == Assessment():
                        self._assess_abandoned(submission)
                    index.write_index(self.conn, keys, submission_id, str(submission.answers.get(identity.name, "")),
                                      str(submission.answers.get(identity.dob, "")))
                    done += 1
        return done

    def _assess_abandoned(self, submission: Submission) -> None:
        """A session the kiosk kept after a crash (its autosave carries no assessment) is scored when staff first
        open it, so its flags show. One that scores nothing stays as it is."""
        known = {k: v for k, v in submission.answers.items() if k in self.content.questions}
        found = assess(self.content, known, (submission.submitted_at or submission.started_at).date())
        if found == submission.assessment:
            return
        submission.assessment = found
        payload = self.store.codec.encode(payload_json(submission), submission.id.encode("ascii"))
        self.conn.execute("UPDATE submissions SET payload = ?, severity = ? WHERE id = ?",
                          (payload, SEVERITY_RANK[submission.assessment.top_severity], submission.id))

    # -- queue --------------------------------------------------------------------

    def _where(self, query: QueueQuery) -> tuple[str, list[Any]]:
        clauses = ["status != 'in_progress'"]
        params: list[Any] = []
        if query.name.strip() or query.dob.strip():
            tokens = index.query_tokens(self.unlocked.keys, query.name, query.dob)
            clause, values = index.match_clause(tokens)
            clauses.append(clause)
            params.extend(values)
        if query.since is not None:
            clauses.append("submitted_at >= ?")
            params.append(_local_midnight_utc(query.since))
        if query.until is not None:
            clauses.append("submitted_at < ?")
            params.append(_local_midnight_utc(query.until + dt.timedelta(days=1)))
        return " AND ".join(clauses), params

    def count(self, query: QueueQuery) -> int:
        self.require(Action.FIND)
        self.index_pending()
        where, params = self._where(query)
        return int(self.conn.execute(f"SELECT count(*) FROM submissions WHERE {where}", params).fetchone()[0])

    def rows(self, query: QueueQuery, offset: int, limit: int) -> list[QueueRow]:
        """One page of the queue: unreviewed urgent first, then newest first."""
        self.require(Action.FIND)
        self.index_pending()
        keys = self.unlocked.keys
        where, params = self._where(query)
        found = self.conn.execute(
            f"SELECT id, submitted_at, status, severity, header, demo FROM submissions WHERE {where} "
            "ORDER BY priority, submitted_at DESC LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        rows = []
        for submission_id, submitted_at, status, severity, header, demo in found:
            info = index.decrypt_header(keys, submission_id, header) if header else {}
            rows.append(QueueRow(
                id=submission_id,
                submitted_at=dt.datetime.fromisoformat(submitted_at) if submitted_at else None,
                name=str(info.get("name", "")), dob=str(info.get("dob", "")), status=status, severity=severity,
                printed=status in ("printed", "reviewed"), training=bool(demo),
            ))
        return rows

    def submission(self, submission_id: str) -> Submission:
        self.require(Action.PREVIEW)
        found = self.store.get(submission_id)
        if found is None:
            raise KeyError(f"no submission {submission_id}")
        return found

    def submissions_between(self, since: dt.date | None, until: dt.date | None) -> list[Submission]:
        """Every submission in a date range, opened: only for an export, so it needs the export right."""
        return [self.submission(i) for i, _ in self.submission_ids_between(since, until)]

    def submission_ids_between(self, since: dt.date | None, until: dt.date | None) -> list[tuple[str, str]]:
        """(id, status) of the submissions in a date range, oldest first, without opening any payload: for an export."""
        self.require(Action.EXPORT)
        where, params = self._where(QueueQuery(since=since, until=until))
        return [(r[0], r[1]) for r in self.conn.execute(
            f"SELECT id, status FROM submissions WHERE {where} ORDER BY submitted_at", params)]

    # -- actions on one submission ---------------------------------------------

    def note(self, submission_id: str) -> str:
        self.require(Action.PREVIEW)
        row = self.conn.execute("SELECT note FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None or row[0] is None:
            return ""
        return self.unlocked.keys.decrypt(row[0], f"note:{submission_id}".encode()).decode("utf-8")

    def add_note(self, submission_id: str, text: str) -> None:
        self.require(Action.NOTE)
        blob = self.unlocked.keys.encrypt(text.encode("utf-8"), f"note:{submission_id}".encode()) if text else None
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET note = ? WHERE id = ?", (blob, submission_id))
            audit.append(self.conn, self.actor, "note", submission_id, {"cleared": not text})

    def mark_reviewed(self, submission_id: str) -> None:
        self.require(Action.REVIEW)
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET status = 'reviewed', reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                              (self.actor, vault.utc_now().isoformat(), submission_id))
            audit.append(self.conn, self.actor, "review", submission_id)

    def reviewed_by(self, submission_id: str) -> tuple[str, dt.datetime] | None:
        row = self.conn.execute("SELECT reviewed_by, reviewed_at FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return row[0], dt.datetime.fromisoformat(row[1])

    def mark_printed(self, submission_id: str) -> None:
        self.require(Action.PRINT)
        with atomic(self.conn):
            self.conn.execute("UPDATE submissions SET status = 'printed' WHERE id = ? AND status = 'new'", (submission_id,))

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
        self.store = SubmissionStore(self.conn, OpeningCodec(unlocked.keys))


def _local_midnight_utc(day: dt.date) -> str:
    local = dt.datetime.combine(day, dt.time()).astimezone()
    return local.astimezone(dt.timezone.utc).isoformat()
