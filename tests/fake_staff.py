"""An in-memory StaffData and StaffGate for console tests: same contract as the sealed store, no crypto.

Submissions are real ones (answers from answer_plans run through
kiosk.patient.pipeline.finalize), so the preview and prints go through the one
renderer exactly as in production.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from answer_plans import plan_answer
from kiosk.rules.assessment import Flag
from kiosk.console.controller import AccountInfo, AuditEntry, QueueQuery, QueueRow, StaffData, UnlockRefused
from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.report.doses import DoseRecord, dose_record
from kiosk.report.trend import visit_day
from kiosk.staff.queue_reasons import queue_reason
from kiosk.settings import Settings
from kiosk.staff.rights import Action, NotAllowed, Role, require, role_of
from kiosk.storage.repository import PersonLink
from kiosk.storage.submissions import SEVERITY_RANK, Status, Submission, new_submission_id

START = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)


def make_submission(content: Content, name: str, dob: str, at: dt.datetime, urgent: bool = False,
                    status: str = "new") -> Submission:
    """A full, assessed submission for `name`, optionally carrying an urgent flag."""
    answers = {q.id: plan_answer(content, q) for q in content.questions.values()}
    answers[content.manifest.identity.name] = name
    answers[content.manifest.identity.dob] = dob
    submission = finalize(content, Submission(id=new_submission_id(), started_at=at, content_version=content.version,
                                              language="en", answers=answers), now=at)
    if urgent:
        flags = (Flag("test_urgent", "urgent", "Urgent test flag"),) + submission.assessment.flags
        submission.assessment = replace(submission.assessment, flags=flags)
    submission.status = status
    return submission


class FakePeopleStore:
    """The repository's people methods over the fake's submissions (kiosk.staff.people.PeopleStore)."""

    def __init__(self, by_id: dict[str, Submission]) -> None:
        self.by_id = by_id
        self.links: dict[str, PersonLink] = {}

    def get(self, submission_id: str) -> Submission | None:
        return self.by_id.get(submission_id)

    def person_links(self, submission_ids) -> dict[str, PersonLink]:
        return {sid: self.links[sid] for sid in submission_ids if sid in self.links}

    def person_members(self, person: str) -> list[str]:
        return [sid for sid, link in self.links.items() if link.person == person]

    def link_person(self, submission_ids, person: str, actor: str, at: dt.datetime) -> None:
        for sid in submission_ids:
            self.links[sid] = PersonLink(person, actor, at)


class FakeStaffData:
    """Mirrors what the lead's sealed StaffData promises (see kiosk.console.controller.StaffData)."""

    def __init__(self, content: Content, submissions: list[Submission], actor: str = "Dana", is_admin: bool = True,
                 settings: Settings | None = None, audit: list[AuditEntry] | None = None,
                 accounts: dict[str, tuple[str, bool]] | None = None, role: Role | str | None = None) -> None:
        self.content = content
        self.actor = actor
        self.role = role_of(role) if role is not None else (Role.ADMINISTRATOR if is_admin else Role.CLINICIAN)
        self.is_admin = self.role is Role.ADMINISTRATOR
        self.by_id = {s.id: s for s in submissions}
        self.printed: set[str] = {s.id for s in submissions if s.status in ("printed", "reviewed")}
        self.notes: dict[str, str] = {}
        self.doses: dict[str, DoseRecord] = {}
        self.reviewed: dict[str, tuple[str, dt.datetime]] = {}
        self._settings = settings or Settings()
        self.audit: list[AuditEntry] = audit if audit is not None else []
        self.account_list = accounts if accounts is not None else {actor: ("x" * 12, is_admin)}
        self.locked = False
        self.tampered: list[str] = []
        self.row_calls: list[tuple[int, int]] = []
        self.store = FakePeopleStore(self.by_id)

    # -- queue -----------------------------------------------------------------

    def _identity(self, s: Submission) -> tuple[str, str]:
        ident = self.content.manifest.identity
        return str(s.answers.get(ident.name, "")), str(s.answers.get(ident.dob, ""))

    def _matches(self, s: Submission, query: QueueQuery) -> bool:
        name, dob = self._identity(s)
        if query.name:
            from kiosk.staff.index import name_words, word_prefixes

            known = {p for word in name_words(name) for p in word_prefixes(word)}
            if not set(name_words(query.name)) <= known:
                return False
        if query.dob and dob != query.dob:
            return False
        day = (s.submitted_at or s.started_at).astimezone().date()
        return not ((query.since and day < query.since) or (query.until and day > query.until))

    def _found(self, query: QueueQuery) -> list[Submission]:
        return [s for s in self.by_id.values() if s.status != Status.IN_PROGRESS and self._matches(s, query)]

    def _ordered(self, query: QueueQuery) -> list[Submission]:
        """The repository's order: urgent ones awaiting review first, then newest submitted first."""
        found = self._found(query)
        found.sort(key=lambda s: (s.submitted_at is not None, s.submitted_at or START), reverse=True)
        found.sort(key=lambda s: not (Status(s.status).awaits_review
                                      and SEVERITY_RANK[s.assessment.top_severity] == SEVERITY_RANK["urgent"]))
        return found

    def count(self, query: QueueQuery) -> int:
        self._check()
        return len(self._ordered(query))

    def rows(self, query: QueueQuery, offset: int, limit: int) -> list[QueueRow]:
        self._check()
        self.row_calls.append((offset, limit))
        rows = []
        for s in self._ordered(query)[offset:offset + limit]:
            name, dob = self._identity(s)
            rows.append(QueueRow(s.id, s.submitted_at, name, dob, s.status, SEVERITY_RANK[s.assessment.top_severity],
                                 printed=Status(s.status).on_paper, training=s.source == "demo",
                                 reason=queue_reason(self.content, s)))
        return rows

    def dashboard(self, since: dt.date | None, until: dt.date | None):
        from kiosk.report import clinic_stats as dashboard

        days: dict[dt.date, dict] = {}
        for s in self.by_id.values():
            day = dt.date.fromisoformat(dashboard.day_of(s))
            if (since is None or day >= since) and (until is None or day <= until):
                dashboard.merge(days.setdefault(day, dashboard.empty()), dashboard.row_stats(self.content, s))
        return dashboard.summarize(self.content, days, since, until)

    # -- people: the core's own rules (kiosk.staff.people) over plaintext matching ------------

    def same_person_ids(self, name: str, dob: str) -> list[str]:
        from kiosk.staff.people import person_key

        wanted = person_key(name, dob)
        return [s.id for s in self.by_id.values() if s.source != "demo"
                and s.status not in (Status.IN_PROGRESS, Status.ABANDONED) and person_key(*self._identity(s)) == wanted]

    def awaiting_confirmation(self, rows) -> set[str]:
        from kiosk.staff.people import person_view

        return {row.id for row in rows if row.id in self.by_id and person_view(self, row.id).suggested}

    def person(self, submission_id: str):
        from kiosk.staff.people import person_view

        self._require(Action.PREVIEW)
        return person_view(self, submission_id)

    def change_person(self, change: str, submission_id: str, other_id: str = "") -> str:
        from kiosk.staff import people

        self._require(Action.PEOPLE)
        person, detail = people.change(self, change, submission_id, other_id, dt.datetime.now(dt.timezone.utc))
        self.record(f"person_{change}", submission_id, detail)
        return person

    def match_note(self, name: str, dob: str, exclude: str) -> str:
        from kiosk.staff.people import match_note

        return match_note(self, name, dob, exclude)

    def earlier_visits(self, name: str, dob: str, exclude: str) -> list:
        from kiosk.staff.people import earlier_visits

        return earlier_visits(self, name, dob, exclude)

    def submission(self, submission_id: str) -> Submission:
        self._check()
        return self.by_id[submission_id]

    # -- actions -----------------------------------------------------------------

    def note(self, submission_id: str) -> str:
        return self.notes.get(submission_id, "")

    def add_note(self, submission_id: str, text: str) -> None:
        self._require(Action.NOTE)
        self.notes[submission_id] = text
        self.record("note", submission_id, {"cleared": not text})

    def dose(self, submission_id: str) -> DoseRecord | None:
        return self.doses.get(submission_id)

    def record_dose(self, submission_id: str, kind: str, side: str = "", lot: str = "") -> DoseRecord:
        self._require(Action.DOSE)
        visit = self.by_id[submission_id]
        record = dose_record(kind, side, lot, self.actor, visit_day(visit))
        replaced = submission_id in self.doses
        self.doses[submission_id] = record
        self.record("dose", submission_id, {"kind": record.kind, "replaced": replaced})
        return record

    def mark_reviewed(self, submission_id: str) -> None:
        self._require(Action.REVIEW)
        self.by_id[submission_id].status = Status.REVIEWED
        self.reviewed[submission_id] = (self.actor, dt.datetime.now(dt.timezone.utc))
        self.record("review", submission_id)

    def undo_review(self, submission_id: str, status: str) -> None:
        self._require(Action.REVIEW)
        if self.by_id[submission_id].status != Status.REVIEWED:
            return
        self.by_id[submission_id].status = status
        self.reviewed.pop(submission_id, None)
        self.record("review_undone", submission_id, {"status": status})

    def reviewed_by(self, submission_id: str) -> tuple[str, dt.datetime] | None:
        return self.reviewed.get(submission_id)

    def mark_printed(self, submission_id: str) -> None:
        self.printed.add(submission_id)
        if self.by_id[submission_id].status == Status.NEW:
            self.by_id[submission_id].status = Status.PRINTED

    def submissions_between(self, since: dt.date | None, until: dt.date | None) -> list[Submission]:
        self._require(Action.EXPORT)
        return sorted(self._found(QueueQuery(since=since, until=until)), key=lambda s: s.submitted_at or START)

    def person_ids(self, submission_ids: list[str]) -> dict[str, str]:
        """The fake links no visits: the export groups them by name and birth date alone."""
        self._require(Action.EXPORT)
        return {}

    def submission_ids_between(self, since: dt.date | None, until: dt.date | None) -> list[tuple[str, str]]:
        self._require(Action.EXPORT)
        return [(s.id, s.status) for s in sorted(self._found(QueueQuery(since=since, until=until)),
                                                  key=lambda s: s.submitted_at or START)]

    # -- audit -----------------------------------------------------------------

    def record(self, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
        self._check()
        self.audit.append(AuditEntry(len(self.audit) + 1, dt.datetime.now(dt.timezone.utc), self.actor, action,
                                     target, detail or {}))

    def audit_entries(self, offset: int = 0, limit: int = 500) -> list[AuditEntry]:
        self._require(Action.AUDIT)
        return list(reversed(self.audit))[offset:offset + limit]

    def audit_problems(self) -> list[str]:
        return list(self.tampered)

    # -- admin -----------------------------------------------------------------

    def settings(self) -> Settings:
        return self._settings

    def update_settings(self, **changes: Any) -> Settings:
        self._require(Action.SETTINGS)
        updated = self._settings.updated(**changes)
        updated.validate()
        for key in changes:
            old, new = getattr(self._settings, key), getattr(updated, key)
            if old != new:
                self.record("setting_change", key, {"old": old, "new": new})
        self._settings = updated
        return self._settings

    def accounts(self) -> list[AccountInfo]:
        self._require(Action.ACCOUNTS)
        return [AccountInfo(n, admin, START, Role.ADMINISTRATOR if admin else Role.CLINICIAN)
                for n, (_, admin) in sorted(self.account_list.items())]

    def add_account(self, name: str, passphrase: str, role: Role | str | bool = Role.CLINICIAN) -> None:
        self._require(Action.ACCOUNTS)
        if name in self.account_list:
            raise ValueError(f"There is already a staff account named {name}.")
        is_admin = role is True or (not isinstance(role, bool) and role_of(role) is Role.ADMINISTRATOR)
        self.account_list[name] = (passphrase, is_admin)
        self.record("account_add", name)

    def remove_account(self, name: str) -> None:
        self._require(Action.ACCOUNTS)
        if name == self.actor:
            raise ValueError("You cannot remove your own account while you are signed in with it.")
        del self.account_list[name]
        self.record("account_remove", name)

    def open_outbox(self, blob: bytes) -> bytes:
        """The fake's outbox is sealed by reversing the bytes: enough to prove the console opens it."""
        self._check()
        return blob[::-1]

    def lock(self) -> None:
        self.locked = True

    def _require(self, action: Action) -> None:
        """Like the real data layer: a refusal is itself audited."""
        try:
            require(self.role, action)
        except NotAllowed:
            self.record("refused", "", {"action": action.value, "role": self.role.value})
            raise

    def _check(self) -> None:
        if self.locked:
            raise RuntimeError("locked: the keys are gone")


class FakeGate:
    """Setup and unlock over FakeStaffData; 5 failures then a lockout message, like the core promises."""

    def __init__(self, content: Content, submissions: list[Submission] | None = None,
                 accounts: dict[str, tuple[str, bool]] | None = None) -> None:
        self.content = content
        self.submissions = submissions or []
        self.accounts = accounts if accounts is not None else {}
        self.audit: list[AuditEntry] = []
        self.failures = 0
        self.clinic = ""
        self.settings = Settings()
        self.opened: list[FakeStaffData] = []

    def needs_setup(self) -> bool:
        return not self.accounts

    def setup(self, clinic: str, admin: str, passphrase: str) -> str:
        self.accounts[admin] = (passphrase, True)
        self.clinic = clinic
        self.settings = self.settings.updated(clinic_name=clinic)
        return "ABCD-EFGH-IJKL-MNOP-QRST"

    def unlock(self, name: str, passphrase: str, meanwhile: Callable[[], object] | None = None) -> StaffData:
        if self.failures >= 5:
            raise UnlockRefused(f"Too many wrong attempts. Try again in {30 * 2 ** (self.failures - 5)} seconds.")
        if meanwhile is not None:
            meanwhile()
        known = self.accounts.get(name)
        if known is None or known[0] != passphrase:
            self.failures += 1
            raise UnlockRefused("That name and passphrase do not match a staff account.")
        self.failures = 0
        data = FakeStaffData(self.content, self.submissions, actor=name, is_admin=known[1], settings=self.settings,
                             audit=self.audit, accounts=self.accounts)
        data.record("unlock")
        self.opened.append(data)
        return data


def many(content: Content, count: int, urgent_every: int = 0) -> list[Submission]:
    """`count` submissions an hour apart (newest last), cloned from one assessed submission so it stays quick."""
    base = make_submission(content, "Base Person", "1970-01-01", START)
    urgent = make_submission(content, "Base Person", "1970-01-01", START, urgent=True)
    ident = content.manifest.identity
    made = []
    for i in range(count):
        source = urgent if urgent_every and i % urgent_every == 0 else base
        at = START + dt.timedelta(hours=i)
        answers = dict(source.answers, **{ident.name: f"Person{i:05d} Test", ident.dob: "1970-01-01"})
        made.append(replace(source, id=new_submission_id(), answers=answers, submitted_at=at, started_at=at))
    return made
