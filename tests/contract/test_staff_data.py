"""What the console may rely on from `StaffData`, checked against the sealed database and the console tests' fake.

The fake (tests/fake_staff.py) stands in for the real data layer in every console test, so it must keep the
same promises: queue order, audit action names, refusals, validation.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ADMIN, ADMIN_PASSPHRASE
from fake_staff import FakeStaffData, make_submission
from kiosk.console.controller import QueueQuery, StaffData
from kiosk.content import Content
from kiosk.staff import audit, vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.rights import NotAllowed, Role
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Status, Submission

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
DESK = ("Desk Dee", "dee's passphrase here")
MakeData = Callable[..., StaffData]


@pytest.fixture(params=["sealed", "fake"])
def make_data(request: pytest.FixtureRequest, installed: sqlite3.Connection, content: Content,
              data_dir: Path) -> MakeData:
    """`make_data(submissions, role=...)`: a StaffData holding `submissions`, unlocked as an admin or `role`."""

    def sealed(submissions: list[Submission], role: Role = Role.ADMINISTRATOR) -> StaffData:
        store = SubmissionStore(installed)  # the kiosk's side: seals, cannot read back
        for submission in submissions:
            store.save(submission)
        admin = vault.unlock(installed, ADMIN, ADMIN_PASSPHRASE)
        if role is Role.ADMINISTRATOR:
            return SealedStaffData(installed, admin, content, data_dir)
        vault.add_account(installed, admin, DESK[0], DESK[1], role)
        return SealedStaffData(installed, vault.unlock(installed, *DESK), content, data_dir)

    def fake(submissions: list[Submission], role: Role = Role.ADMINISTRATOR) -> StaffData:
        return FakeStaffData(content, submissions, actor=ADMIN if role is Role.ADMINISTRATOR else DESK[0], role=role)

    return sealed if request.param == "sealed" else fake


def submitted(content: Content, name: str, hours: int, urgent: bool = False,
              status: Status = Status.NEW) -> Submission:
    return make_submission(content, name, "1980-02-03", T0 + dt.timedelta(hours=hours), urgent=urgent, status=status)


def test_queue_order_is_urgent_awaiting_review_first_then_newest(make_data: MakeData, content: Content) -> None:
    old_urgent = submitted(content, "Old Urgent", 0, urgent=True, status=Status.PRINTED)
    reviewed_urgent = submitted(content, "Seen Urgent", 5, urgent=True, status=Status.REVIEWED)
    abandoned_urgent = submitted(content, "Left Urgent", 6, urgent=True, status=Status.ABANDONED)
    plain = [submitted(content, f"Plain {n}", n) for n in (1, 2, 3)]
    data = make_data([plain[0], old_urgent, reviewed_urgent, abandoned_urgent, plain[2], plain[1]])
    names = [row.name for row in data.rows(QueueQuery(), 0, 10)]
    assert names == ["Old Urgent", "Left Urgent", "Seen Urgent", "Plain 3", "Plain 2", "Plain 1"]
    assert data.count(QueueQuery()) == 6 and [r.name for r in data.rows(QueueQuery(), 1, 2)] == names[1:3]
    data.mark_reviewed(old_urgent.id)
    assert data.rows(QueueQuery(), 0, 1)[0].name == "Left Urgent"


def test_a_session_still_in_progress_is_never_in_the_queue(make_data: MakeData, content: Content) -> None:
    data = make_data([submitted(content, "Answering Now", 0, status=Status.IN_PROGRESS),
                      submitted(content, "Done", 1)])
    assert [row.name for row in data.rows(QueueQuery(), 0, 10)] == ["Done"]


def test_review_print_and_note_are_audited_under_the_same_names(make_data: MakeData, content: Content) -> None:
    fresh, seen = submitted(content, "Fresh", 0), submitted(content, "Seen", 1, status=Status.REVIEWED)
    data = make_data([fresh, seen])
    data.mark_printed(fresh.id)
    data.mark_printed(seen.id)
    assert {r.name: (r.status, r.printed) for r in data.rows(QueueQuery(), 0, 10)} == \
        {"Fresh": ("printed", True), "Seen": ("reviewed", True)}
    data.add_note(fresh.id, "Called back")
    newest = data.audit_entries()[0]
    assert (newest.action, newest.target, newest.detail) == ("note", fresh.id, {"cleared": False})
    assert data.note(fresh.id) == "Called back"
    data.mark_reviewed(fresh.id)
    newest = data.audit_entries()[0]
    assert (newest.action, newest.target, newest.actor) == ("review", fresh.id, ADMIN)
    who, _ = data.reviewed_by(fresh.id)
    assert who == ADMIN and data.submission(fresh.id).status == Status.REVIEWED


def test_export_range_is_oldest_first(make_data: MakeData, content: Content) -> None:
    rows = [submitted(content, f"P{n}", n * 24) for n in (2, 0, 1)]
    data = make_data(rows)
    found = data.submissions_between(None, None)
    assert [s.answers[content.manifest.identity.name] for s in found] == ["P0", "P1", "P2"]
    assert data.submission_ids_between(None, None) == [(s.id, "new") for s in found]


def test_settings_are_validated_and_each_change_audited(make_data: MakeData, content: Content) -> None:
    data = make_data([])
    with pytest.raises(ValueError, match="Retention"):
        data.update_settings(retention_days=0)
    assert data.settings().retention_days == 365
    data.update_settings(retention_days=90, staff_alert="marker")
    assert (data.settings().retention_days, data.settings().staff_alert) == (90, "marker")
    changes = {e.target: e.detail for e in data.audit_entries()[:2]}
    assert {k: v["new"] for k, v in changes.items()} == {"retention_days": 90, "staff_alert": "marker"}
    assert {e.action for e in data.audit_entries()[:2]} == {"setting_change"}


def test_a_refused_action_is_refused_and_audited(make_data: MakeData, content: Content) -> None:
    one = submitted(content, "Someone", 0)
    data = make_data([one], role=Role.FRONT_DESK)
    with pytest.raises(NotAllowed):
        data.update_settings(clinic_name="Elsewhere")
    assert data.settings().clinic_name != "Elsewhere"
    with pytest.raises(NotAllowed):
        data.submissions_between(None, None)
    newest = audit.entries(data.conn) if isinstance(data, SealedStaffData) else list(reversed(data.audit))
    assert [(e.action, e.actor, e.detail["action"]) for e in newest[:2]] == \
        [("refused", DESK[0], "export"), ("refused", DESK[0], "settings")]


def test_a_clinician_records_the_shot_or_pills_given_and_it_is_audited(make_data: MakeData, content: Content) -> None:
    from kiosk.report.doses import DoseInvalid

    shot, pills = submitted(content, "Shot Sam", 0), submitted(content, "Pill Pat", 1)
    data = make_data([shot, pills])
    assert data.dose(shot.id) is None
    with pytest.raises(DoseInvalid, match="Lot number"):
        data.record_dose(shot.id, "shot", "left", "  ")
    with pytest.raises(DoseInvalid, match="Side"):
        data.record_dose(shot.id, "shot", "middle", "AB123")
    assert data.dose(shot.id) is None, "a refused entry stores nothing"
    record = data.record_dose(shot.id, "shot", "Left", " AB 123 ")
    assert (record.kind, record.side, record.lot, record.by) == ("shot", "left", "AB 123", ADMIN)
    assert data.dose(shot.id) == record
    newest = data.audit_entries()[0]
    assert (newest.action, newest.target, newest.actor, newest.detail) == \
        ("dose", shot.id, ADMIN, {"kind": "shot", "replaced": False})
    data.record_dose(shot.id, "shot", "right", "AB123")
    assert data.dose(shot.id).side == "right" and data.audit_entries()[0].detail["replaced"] is True
    assert data.record_dose(pills.id, "pills", "left", "ignored").words == "pills prescribed"
    assert data.dose(pills.id).side == "" and data.dose(pills.id).lot == ""


def test_the_front_desk_cannot_record_a_dose(make_data: MakeData, content: Content) -> None:
    one = submitted(content, "Someone", 0)
    data = make_data([one], role=Role.FRONT_DESK)
    with pytest.raises(NotAllowed, match="needs a clinician"):
        data.record_dose(one.id, "shot", "left", "AB123")
    assert data.dose(one.id) is None
    newest = audit.entries(data.conn) if isinstance(data, SealedStaffData) else list(reversed(data.audit))
    assert (newest[0].action, newest[0].detail["action"]) == ("refused", "dose")


def test_a_suggested_match_is_confirmed_split_and_merged_with_audit(make_data: MakeData, content: Content) -> None:
    first, again = submitted(content, "José López", 0), submitted(content, "JOSE LOPEZ", 24 * 28)
    typo = submitted(content, "Jose Lopes", 24 * 56)
    data = make_data([first, again, typo])
    view = data.person(again.id)
    assert view.person is None and view.ids() == [first.id, again.id] and typo.id not in view.ids()
    assert [p.unconfirmed for p in data.earlier_visits("jose lopez", "1980-02-03", again.id)] == [True]

    person = data.change_person("confirm", again.id)
    assert data.person(first.id).person == person and not data.person(again.id).suggested
    assert data.change_person("merge", typo.id, again.id) == person
    assert data.person(typo.id).ids() == [first.id, again.id, typo.id]
    data.change_person("split", typo.id)
    assert data.person(typo.id).ids() == [typo.id] and data.person(again.id).ids() == [first.id, again.id]
    entries = data.audit_entries(0, 10)
    assert [e.action for e in entries if e.action.startswith("person_")] == ["person_split", "person_merge",
                                                                              "person_confirm"]
    assert all(e.actor == data.actor and "Lopez" not in str(e.detail) for e in entries)


def test_only_a_clinician_or_administrator_changes_people(make_data: MakeData, content: Content) -> None:
    first, again = submitted(content, "Kim Park", 0), submitted(content, "Kim Park", 24 * 28)
    data = make_data([first, again], role=Role.FRONT_DESK)
    assert len(data.person(again.id).visits) == 2
    with pytest.raises(NotAllowed, match="needs a clinician"):
        data.change_person("confirm", again.id)
    assert data.person(again.id).person is None
