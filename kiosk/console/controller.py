"""The staff console's logic, Qt-free: who is unlocked, the queue, preview, print, review, notes, export.

The Qt console (ui/console/) only draws what this returns and forwards
clicks. Every action is attributed to the unlocked staff member and written
to the audit log by the data layer. The PDF shown and printed comes from the
one renderer in kiosk/report, never a second one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.content import Content
from kiosk.settings import Settings
from kiosk.staff.records import SEVERITY_MARK, STATUSES, AccountInfo, AuditEntry, QueueQuery, QueueRow, UnlockRefused
from kiosk.staff.rights import ROLE_TITLES, Action, Role, allowed, role_of
from kiosk.storage.private_files import write_private
from kiosk.storage.submissions import Submission

__all__ = ["STATUSES", "SEVERITY_MARK", "AccountInfo", "AuditEntry", "QueueQuery", "QueueRow", "StaffConsole",
           "StaffData", "StaffGate", "Timeline", "UnlockRefused"]


@dataclass(frozen=True)
class Timeline:
    """One person's visits (kiosk.staff.people.PersonView) and, per measure (kiosk.report.trend.Measure), its
    (visit date, value) pairs, oldest first."""

    view: Any
    series: tuple[tuple[Any, tuple[tuple[dt.date, int], ...]], ...]


class StaffData(Protocol):
    """What the console needs from sealed storage once a staff member has unlocked it.

    Implemented over the real database by the lead's kiosk/staff; tests of the
    console use tests/fake_staff.py. Every mutating method writes its own audit
    entry; a method the account's `role` has no right to (kiosk.staff.rights)
    raises rights.NotAllowed, a PermissionError.

    Queue order: urgent submissions not yet reviewed first, then everything
    newest first. `QueueQuery.name` matches when every word typed is a word
    of the name or the start (3+ letters) of one, case- and accent-
    insensitively (the keyed hash index holds those prefixes, never a
    substring search); `dob` is an exact YYYY-MM-DD; since/until are
    inclusive local dates.
    """

    actor: str
    role: Role
    is_admin: bool

    def count(self, query: QueueQuery) -> int: ...

    def rows(self, query: QueueQuery, offset: int, limit: int) -> list[QueueRow]: ...

    def awaiting_confirmation(self, rows: list[QueueRow]) -> set[str]: ...

    def submission(self, submission_id: str) -> Submission: ...

    def earlier_visits(self, name: str, dob: str, exclude: str) -> list[Any]:
        """The numbers (report.trend.VisitPoint) of the same person's other stored visits."""
        ...

    def match_note(self, name: str, dob: str, exclude: str) -> str:
        """Why a return visit shows no earlier visit though some of its name and birth date are on file."""
        ...

    def person(self, submission_id: str) -> Any:
        """kiosk.staff.people.PersonView: this visit's person, its confirmed and suggested visits."""
        ...

    def change_person(self, change: str, submission_id: str, other_id: str = "") -> str:
        """confirm / reject / split / merge (with `other_id`); audited; needs the people right."""
        ...

    def note(self, submission_id: str) -> str: ...

    def add_note(self, submission_id: str, text: str) -> None: ...

    def dose(self, submission_id: str) -> Any:
        """What staff recorded as given at this visit (report.doses.DoseRecord), or None."""
        ...

    def record_dose(self, submission_id: str, kind: str, side: str = "", lot: str = "") -> Any:
        """Record the shot given today (side, lot) or pills prescribed; audited as `dose`; needs Action.DOSE.
        Raises report.doses.DoseInvalid naming the field that is wrong."""
        ...

    def mark_reviewed(self, submission_id: str) -> None: ...

    def undo_review(self, submission_id: str, status: str) -> None: ...

    def dashboard(self, since: dt.date | None, until: dt.date | None) -> Any:
        """kiosk.report.clinic_stats.Dashboard for the Clinic tab."""
        ...

    def reviewed_by(self, submission_id: str) -> tuple[str, dt.datetime] | None: ...

    def mark_printed(self, submission_id: str) -> None: ...

    def submissions_between(self, since: dt.date | None, until: dt.date | None) -> list[Submission]: ...

    def submission_ids_between(self, since: dt.date | None, until: dt.date | None) -> list[tuple[str, str]]: ...

    def person_ids(self, submission_ids: list[str]) -> dict[str, str]:
        """The person staff linked each of these visits to (absent: never linked); needs the export right."""
        ...

    def record(self, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None: ...

    def audit_entries(self, offset: int = 0, limit: int = 500) -> list[AuditEntry]: ...

    def audit_problems(self) -> list[str]: ...

    def settings(self) -> Settings: ...

    def update_settings(self, **changes: Any) -> Settings: ...

    def accounts(self) -> list[AccountInfo]: ...

    def add_account(self, name: str, passphrase: str, role: Role | str | bool = Role.CLINICIAN) -> None: ...

    def remove_account(self, name: str) -> list[str] | None: ...

    def open_outbox(self, blob: bytes) -> bytes:
        """Open a PDF the kiosk sealed into the print outbox (needs the unlocked keys)."""
        ...

    def lock(self) -> None: ...


class StaffGate(Protocol):
    """The way in: first-run setup and unlock (the lead's kiosk/staff implements it over the database).

    `unlock` raises UnlockRefused with the text to show (wrong name or
    passphrase alike, or the lockout delay); failed attempts are audited and
    counted by the core, across restarts.
    """

    def needs_setup(self) -> bool: ...

    def setup(self, clinic: str, admin: str, passphrase: str) -> str: ...

    def unlock(self, name: str, passphrase: str, meanwhile: Callable[[], object] | None = None) -> StaffData:
        """`meanwhile` runs on the caller's thread while the passphrase's key is derived (or just before, if the gate
        derives none)."""
        ...


# -- the unlocked session -------------------------------------------------------------


class StaffConsole:
    """One unlocked console session; `lock()` forgets the keys and returns to the patient kiosk.

    `printer(pdf, submission_id) -> (ok, message)` prints one PDF; `retry`
    tries the print outbox again and returns a message for staff; `logo`
    gives the clinic logo's bytes for the PDF masthead.
    """

    page_size = 200

    def __init__(self, content: Content, data: StaffData, clinic: Callable[[], str],
                 printer: Callable[[bytes, str], tuple[bool, str]],
                 retry: Callable[[], str] | None = None, logo: Callable[[], bytes | None] | None = None,
                 system_checks: Callable[[], list[Any]] | None = None) -> None:
        self.content = content
        self._system_checks = system_checks
        self.data = data
        self.clinic = clinic
        self.printer = printer
        self.retry = retry
        self.logo = logo or (lambda: None)

    @property
    def actor(self) -> str:
        return self.data.actor

    @property
    def is_admin(self) -> bool:
        return self.data.is_admin

    @property
    def role(self) -> Role:
        return role_of(self.data.role)

    @property
    def audit_findings(self) -> tuple[str, ...]:
        """What the audit-log check at this unlock found (kiosk/staff/audit_seal.py); empty when all was well."""
        return tuple(getattr(self.data, "audit_findings", ()))

    def can(self, action: Action) -> bool:
        """What the console offers; the data layer refuses the rest anyway."""
        return allowed(self.role, action)

    def count(self, query: QueueQuery) -> int:
        return self.data.count(query)

    def system_checks(self) -> list[Any]:
        """`doctor`'s checks (kiosk.console.doctor.Check) for this kiosk; administrators only, like the settings."""
        if not self.can(Action.SETTINGS):
            raise PermissionError(f"The system check needs {ROLE_TITLES[Role.ADMINISTRATOR]}.")
        return self._system_checks() if self._system_checks else []

    def rows(self, query: QueueQuery, offset: int, limit: int | None = None) -> list[QueueRow]:
        return self.data.rows(query, offset, limit or self.page_size)

    def pdf(self, submission_id: str) -> bytes:
        """The clinician PDF of one submission, with the current staff note; the view is audited."""
        from kiosk.report.content import build_report
        from kiosk.report.pdf import ClinicianReport

        submission = self.data.submission(submission_id)
        content = self.content.for_visit(submission.visit)
        data = build_report(content, submission, self.clinic(), staff_note=self.data.note(submission_id),
                            logo_png=self.logo(), earlier=self._earlier_visits(content, submission),
                            dose=self.data.dose(submission_id), match_note=self._match_note(content, submission))
        self.data.record("view", submission_id)
        return ClinicianReport().render(data)

    def _earlier_visits(self, content: Content, submission: Any) -> tuple[Any, ...]:
        """A return visit's earlier visits of the same person, for "Since last visit" (none for an intake)."""
        if submission.visit == "intake":
            return ()
        from kiosk.report.trend import visit_day

        identity = content.manifest.identity
        found = self.data.earlier_visits(str(submission.answers.get(identity.name, "")),
                                         str(submission.answers.get(identity.dob, "")), submission.id)
        return tuple(p for p in found if p.when <= visit_day(submission))

    def _match_note(self, content: Content, submission: Any) -> str:
        if submission.visit == "intake":
            return ""
        identity = content.manifest.identity
        return self.data.match_note(str(submission.answers.get(identity.name, "")),
                                    str(submission.answers.get(identity.dob, "")), submission.id)

    # -- people: who this visit belongs to, and that person's timeline -------------------

    def person(self, submission_id: str) -> Any:
        return self.data.person(submission_id)

    def timeline(self, submission_id: str) -> Timeline:
        """The person's visits and, per measure the trend follows (kiosk.report.trend.MEASURES), its values."""
        from kiosk.report.trend import MEASURES, values

        view = self.data.person(submission_id)
        points = [visit.point for visit in view.visits]
        return Timeline(view, tuple((measure, tuple(values(points, measure))) for measure in MEASURES))

    def awaiting_confirmation(self, rows: list[QueueRow]) -> set[str]:
        """Which loaded queue rows still wait for staff to confirm their suggested match (after a change to a
        person, so the queue's markers follow without reloading the list)."""
        return set(self.data.awaiting_confirmation(rows))

    def confirm_person(self, submission_id: str) -> str:
        self.data.change_person("confirm", submission_id)
        return "Confirmed: these visits are one person."

    def reject_person(self, submission_id: str) -> str:
        self.data.change_person("reject", submission_id)
        return "Recorded: this visit is a different person from the suggested match."

    def split_person(self, submission_id: str) -> str:
        self.data.change_person("split", submission_id)
        return "This visit is now a person of its own."

    def merge_people(self, submission_id: str, other_id: str) -> str:
        self.data.change_person("merge", submission_id, other_id)
        return "Merged: both records are now one person."

    def print(self, submission_id: str) -> tuple[bool, str]:
        """Print (or reprint) on the configured printer; a failure leaves a message, never an exception."""
        try:
            ok, message = self.printer(self.pdf(submission_id), submission_id)
        except Exception as exc:  # noqa: BLE001 - staff get a message; the console stays up
            ok, message = False, f"Printing failed: {type(exc).__name__}: {exc}"
        self.data.record("print", submission_id, {"ok": ok})
        if ok:
            self.data.mark_printed(submission_id)
        return ok, message

    def retry_outbox(self) -> str:
        if self.retry is None:
            return "No print outbox is set up on this kiosk."
        message = self.retry()
        self.data.record("retry_outbox", "", {"message": message})
        return message

    def mark_reviewed(self, submission_id: str) -> None:
        self.data.mark_reviewed(submission_id)

    def undo_review(self, submission_id: str, status: str) -> None:
        self.data.undo_review(submission_id, status)

    def dose(self, submission_id: str) -> Any:
        """What staff recorded as given at this visit (report.doses.DoseRecord), or None."""
        return self.data.dose(submission_id)

    def dose_text(self, submission_id: str) -> str:
        """'Given at this visit: shot given, left side, lot AB12 (Dana, 2026-12-02)' or 'Nothing recorded as given'."""
        record = self.data.dose(submission_id)
        if record is None:
            return "Nothing recorded as given at this visit"
        return f"Given at this visit: {record.words} ({record.by}, {record.given_on.isoformat()})"

    def record_dose(self, submission_id: str, kind: str, side: str = "", lot: str = "") -> str:
        """Record the shot given today or pills prescribed; returns what staff read back. DoseInvalid (a
        ValueError) names a wrong field; NotAllowed when the role may not."""
        record = self.data.record_dose(submission_id, kind, side, lot)
        return f"Recorded: {record.words}"

    def dashboard(self, since: dt.date | None, until: dt.date | None) -> Any:
        return self.data.dashboard(since, until)

    def review_text(self, submission_id: str) -> str:
        """'Reviewed by NAME on DATE' or 'Not reviewed yet', for the panel next to the preview."""
        reviewed = self.data.reviewed_by(submission_id)
        if reviewed is None:
            return "Not reviewed yet"
        who, when = reviewed
        return f"Reviewed by {who} on {when.astimezone().strftime('%Y-%m-%d %H:%M')}"

    def add_note(self, submission_id: str, text: str) -> None:
        self.data.add_note(submission_id, text.strip())

    def export(self, kind: str, since: dt.date | None, until: dt.date | None, path: Path) -> str:
        """Write a FHIR Bundle (JSON) or a CSV of the submissions in the range to `path`; audited.

        The same export as the `export` command; damaged submissions are named in the message.
        """
        from kiosk.export.service import export_submissions

        return export_submissions(self.data, self.content, kind, since, until, Path(path)).summary()

    def note(self, submission_id: str) -> str:
        return self.data.note(submission_id)

    def settings(self) -> Settings:
        return self.data.settings()

    def update_settings(self, **changes: Any) -> Settings:
        return self.data.update_settings(**changes)

    def accounts(self) -> list[AccountInfo]:
        return self.data.accounts()

    def add_account(self, name: str, passphrase: str, role: Role | str | bool = Role.CLINICIAN) -> None:
        self.data.add_account(name, passphrase, role)

    def remove_account(self, name: str) -> list[str]:
        """Returns the accounts a new key epoch could not reach (see StaffData.remove_account)."""
        return list(self.data.remove_account(name) or [])

    def audit_entries(self, limit: int = 500) -> list[AuditEntry]:
        return self.data.audit_entries(0, limit)

    def audit_check(self) -> str:
        """'Audit log intact' or the problems found by the hash-chain check, one per line."""
        problems = self.data.audit_problems()
        return "Audit log intact" if not problems else "Audit log problems:\n" + "\n".join(problems)

    def export_audit(self, path: Path) -> str:
        """Every audit entry as JSON lines, with the chain check result on the first line; audited."""
        path = Path(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(f"The folder {path.parent} does not exist.")
        entries, offset = [], 0
        while batch := self.data.audit_entries(offset, 1000):
            entries += batch
            offset += len(batch)
        lines = [json.dumps({"check": self.data.audit_problems() or "intact"})]
        lines += [json.dumps({"seq": entry.seq, "at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
                              "target": entry.target, "detail": entry.detail}, ensure_ascii=False) for entry in entries]
        write_private(path, ("\n".join(lines) + "\n").encode("utf-8"))
        self.data.record("audit_export", str(path), {"count": len(entries)})
        return f"Exported {len(entries)} audit entries to {path}"

    def lock(self) -> None:
        self.data.lock()
