"""The submissions repository contract: every backend must pass these (SQLite, and PostgreSQL on a real server).

Add a backend by adding its name to REPOSITORIES and a branch to `repo`; each test then runs against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_staff import make_submission
from postgres_server import PostgresServer, postgres_server  # noqa: F401  (the session's real server)
from kiosk.content import Content
from kiosk.storage.codecs import PlainCodec
from kiosk.storage.db import connect
from kiosk.storage.repository import QueueFilter, SubmissionRepository
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Status, Submission

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


def sqlite_repository(folder: Path) -> Iterator[SubmissionRepository]:
    conn = connect(folder / "kiosk.db")
    yield SubmissionStore(conn, PlainCodec())
    conn.close()


def postgresql_repository(server: PostgresServer) -> Iterator[SubmissionRepository]:
    from kiosk.storage.postgres_submissions import PostgresSubmissionStore, connect_postgres

    conn = connect_postgres(server.create_database())
    yield PostgresSubmissionStore(conn, PlainCodec())
    conn.close()


REPOSITORIES = ["postgresql", "sqlite"]


@pytest.fixture(params=REPOSITORIES)
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SubmissionRepository]:
    if request.param == "postgresql":
        yield from postgresql_repository(request.getfixturevalue("postgres_server"))
    else:
        yield from sqlite_repository(tmp_path)


def submitted(content: Content, name: str, hours: int, urgent: bool = False,
              status: Status = Status.NEW) -> Submission:
    return make_submission(content, name, "1980-02-03", T0 + dt.timedelta(hours=hours), urgent=urgent, status=status)


def test_a_submission_is_stored_once_and_reads_back_equal(repo: SubmissionRepository, content: Content) -> None:
    one = submitted(content, "Rosa Diaz", 0, urgent=True)
    assert repo.save(one) is True
    assert repo.save(one) is False, "a retried submit stores nothing twice"
    back = repo.get(one.id)
    assert back is not None and back == one and isinstance(back.status, Status)
    assert repo.get("no-such-id") is None and repo.count() == 1


def test_queue_puts_urgent_awaiting_review_first_then_newest(repo: SubmissionRepository, content: Content) -> None:
    old_urgent = submitted(content, "Old Urgent", 0, urgent=True, status=Status.PRINTED)
    reviewed_urgent = submitted(content, "Seen Urgent", 5, urgent=True, status=Status.REVIEWED)
    abandoned_urgent = submitted(content, "Left Urgent", 6, urgent=True, status=Status.ABANDONED)
    plain = [submitted(content, f"Plain {n}", n) for n in (1, 2, 3)]
    for one in [old_urgent, reviewed_urgent, abandoned_urgent, *plain]:
        repo.save(one)
    ids = [entry.id for entry in repo.queue(QueueFilter(), 0, 10)]
    assert ids == [old_urgent.id, abandoned_urgent.id, reviewed_urgent.id, plain[2].id, plain[1].id, plain[0].id]
    assert [e.id for e in repo.queue(QueueFilter(), 2, 2)] == ids[2:4]
    assert repo.queue_count(QueueFilter()) == 6
    repo.mark_reviewed(old_urgent.id, "Dana", T0)
    assert repo.queue(QueueFilter(), 0, 1)[0].id == abandoned_urgent.id


def test_time_window_and_search_tokens_narrow_the_queue(repo: SubmissionRepository, content: Content) -> None:
    rows = [submitted(content, f"P{n}", n * 24) for n in range(4)]
    for one in rows:
        repo.save(one)
    window = QueueFilter(since=T0 + dt.timedelta(days=1), until=T0 + dt.timedelta(days=3))
    assert {e.id for e in repo.queue(window, 0, 10)} == {rows[1].id, rows[2].id}
    assert repo.ids_between(window) == [(rows[1].id, Status.NEW), (rows[2].id, Status.NEW)], "oldest first"
    repo.write_index(rows[0].id, [b"tok-a", b"tok-b"], b"header-0")
    repo.write_index(rows[3].id, [b"tok-a"], b"header-3")
    assert [e.id for e in repo.queue(QueueFilter(tokens=(b"tok-a", b"tok-b")), 0, 10)] == [rows[0].id]
    assert repo.queue_count(QueueFilter(tokens=(b"tok-a",))) == 2
    assert {e.header for e in repo.queue(QueueFilter(tokens=(b"tok-a",)), 0, 10)} == {b"header-0", b"header-3"}
    assert set(repo.unindexed(10)) == {rows[1].id, rows[2].id}


def test_a_page_of_candidates_comes_from_its_tokens_in_one_call(repo: SubmissionRepository,
                                                                 content: Content) -> None:
    """The queue's "match to confirm" marks: every real, finished visit with one token of each kind (birth date,
    name word) of the page's rows."""
    rows = [submitted(content, f"P{n}", n) for n in range(4)]
    training, left = submitted(content, "Demo", 4), submitted(content, "Left", 5, status=Status.IN_PROGRESS)
    training.source = "demo"
    for one in [*rows, training, left]:
        repo.save(one)
    repo.write_index(rows[0].id, [b"dob-1", b"name-a", b"name-b"], b"header-0")
    repo.write_index(rows[1].id, [b"dob-2", b"name-b"], b"header-1")
    repo.write_index(rows[2].id, [b"dob-1"], b"header-2")  # the birth date alone is not enough
    repo.write_index(rows[3].id, [b"dob-3", b"name-a"], b"header-3")  # nor the name alone
    repo.write_index(training.id, [b"dob-1", b"name-a"], b"header-demo")
    repo.write_index(left.id, [b"dob-1", b"name-a"], b"header-left")
    found = repo.entries_with_both([b"dob-1", b"dob-2"], [b"name-a", b"name-b"])
    assert sorted(e.id for e in found) == sorted([rows[0].id, rows[1].id]), "each once; never training or unfinished"
    assert {e.header for e in found} == {b"header-0", b"header-1"}
    assert repo.entries_with_both([], [b"name-a"]) == [] and repo.entries_with_both([b"dob-9"], [b"name-a"]) == []


def test_review_print_and_note(repo: SubmissionRepository, content: Content) -> None:
    fresh, seen = submitted(content, "Fresh", 0), submitted(content, "Seen", 1, status=Status.REVIEWED)
    repo.save(fresh)
    repo.save(seen)
    repo.mark_printed(fresh.id)
    repo.mark_printed(seen.id)
    assert (repo.get(fresh.id).status, repo.get(seen.id).status) == (Status.PRINTED, Status.REVIEWED)
    assert repo.reviewed_by(fresh.id) is None
    repo.mark_reviewed(fresh.id, "Dana", T0)
    assert repo.reviewed_by(fresh.id) == ("Dana", T0) and repo.get(fresh.id).status == Status.REVIEWED
    assert repo.note(fresh.id) is None
    repo.set_note(fresh.id, b"sealed note")
    assert repo.note(fresh.id) == b"sealed note"
    repo.set_note(fresh.id, None)
    assert repo.note(fresh.id) is None


def test_a_transaction_rolls_back_every_write_in_it(repo: SubmissionRepository, content: Content) -> None:
    one = submitted(content, "Kept", 0)
    repo.save(one)
    with pytest.raises(RuntimeError), repo.transaction():
        repo.mark_reviewed(one.id, "Dana", T0)
        repo.set_note(one.id, b"note")
        raise RuntimeError("the audit write failed")
    assert repo.get(one.id).status == Status.NEW and repo.note(one.id) is None


def test_autosaves_are_kept_dropped_or_adopted_after_a_crash(repo: SubmissionRepository, content: Content) -> None:
    walked = submitted(content, "Walked Away", 0, status=Status.IN_PROGRESS)
    crashed = submitted(content, "Power Cut", 1, status=Status.IN_PROGRESS)
    dropped = submitted(content, "Not Kept", 2, status=Status.IN_PROGRESS)
    for one in (walked, crashed, dropped):
        repo.autosave(one, T0)
    assert repo.count() == 0 and repo.queue_count(QueueFilter()) == 0, "an autosave is not a submission"
    repo.keep_abandoned(walked)
    repo.drop_autosave(dropped.id)
    assert repo.get(walked.id).status == Status.ABANDONED
    assert repo.adopt_autosaves(keep=True, at=T0) == 1
    adopted = repo.get(crashed.id)
    assert adopted is not None and adopted.status == Status.ABANDONED and adopted.submitted_at == T0
    assert repo.get(dropped.id) is None and repo.adopt_autosaves(keep=True, at=T0) == 0


def test_adopting_is_refused_by_setting(repo: SubmissionRepository, content: Content) -> None:
    repo.autosave(submitted(content, "Crash", 0, status=Status.IN_PROGRESS), T0)
    assert repo.adopt_autosaves(keep=False, at=T0) == 1
    assert repo.count() == 0 and repo.adopt_autosaves(keep=True, at=T0) == 0


def test_purge_deletes_older_rows_and_records_in_the_same_transaction(repo: SubmissionRepository,
                                                                        content: Content) -> None:
    old, recent = submitted(content, "Old", -24 * 400), submitted(content, "Recent", 0)
    repo.save(old)
    repo.save(recent)
    repo.write_index(old.id, [b"tok-old"], b"h")
    seen: list[list[str]] = []
    assert repo.purge_older_than(T0 - dt.timedelta(days=365), seen.append) == [old.id]
    assert seen == [[old.id]] and repo.get(old.id) is None and repo.get(recent.id) is not None
    assert repo.queue_count(QueueFilter(tokens=(b"tok-old",))) == 0


def test_rescore_rewrites_severity_for_the_queue(repo: SubmissionRepository, content: Content) -> None:
    quiet, other = submitted(content, "Quiet", 0), submitted(content, "Other", 1)
    repo.save(quiet)
    repo.save(other)
    urgent = submitted(content, "Quiet", 0, urgent=True)
    urgent.id = quiet.id
    repo.rescore(urgent)
    assert repo.queue(QueueFilter(), 0, 1)[0].id == quiet.id
    assert repo.get(quiet.id).assessment == urgent.assessment


def test_a_dose_record_is_kept_replaced_removed_and_rolled_back(repo: SubmissionRepository, content: Content) -> None:
    given, other = submitted(content, "Shot Today", 0), submitted(content, "Nothing Given", 1)
    repo.save(given)
    repo.save(other)
    assert repo.dose(given.id) is None and repo.encrypted_doses() == []
    repo.set_dose(given.id, b"sealed: shot left")
    repo.set_dose(given.id, b"sealed: shot right")
    assert repo.dose(given.id) == b"sealed: shot right" and repo.dose(other.id) is None
    assert repo.encrypted_doses() == [(given.id, b"sealed: shot right")]
    with pytest.raises(RuntimeError), repo.transaction():
        repo.set_dose(other.id, b"sealed: pills")
        raise RuntimeError("the audit write failed")
    assert repo.dose(other.id) is None, "a dose whose audit entry failed is not kept"
    assert repo.get(given.id) == given, "the payload is untouched by a dose record"
    repo.set_dose(given.id, None)
    assert repo.dose(given.id) is None and repo.encrypted_doses() == []
    repo.set_dose(other.id, b"sealed: pills")
    repo.purge_older_than(T0 + dt.timedelta(hours=5))
    assert repo.encrypted_doses() == [] and repo.dose(other.id) is None, "a purged visit's dose goes with it"


def test_visits_linked_to_one_person_move_together_and_go_with_their_rows(repo: SubmissionRepository,
                                                                          content: Content) -> None:
    intake, follow, typo = (submitted(content, name, hours) for name, hours in
                            (("Jose Lopez", 0), ("Jose Lopez", 24 * 28), ("Jose Lopes", 24 * 56)))
    for one in (intake, follow, typo):
        repo.save(one)
    assert repo.person_links([intake.id, follow.id]) == {} and repo.person_members("p-1") == []
    repo.link_person([intake.id, follow.id], "p-1", "Dana", T0)
    links = repo.person_links([intake.id, follow.id, typo.id, "no-such-id"])
    assert set(links) == {intake.id, follow.id}, "a visit never linked has no link"
    assert links[follow.id].person == "p-1" and links[follow.id].linked_by == "Dana"
    assert links[follow.id].linked_at == T0
    assert sorted(repo.person_members("p-1")) == sorted([intake.id, follow.id])

    later = T0 + dt.timedelta(hours=1)
    repo.link_person([follow.id, typo.id], "p-2", "Lee", later)  # split off and merged with the typo'd record
    assert repo.person_members("p-1") == [intake.id]
    assert sorted(repo.person_members("p-2")) == sorted([follow.id, typo.id])
    assert repo.person_links([follow.id])[follow.id].linked_by == "Lee"
    assert repo.person_links([follow.id])[follow.id].linked_at == later

    with pytest.raises(RuntimeError), repo.transaction():
        repo.link_person([intake.id], "p-2", "Dana", later)
        raise RuntimeError("the audit write failed")
    assert repo.person_members("p-1") == [intake.id], "a link rolls back with its audit entry"

    assert repo.purge_older_than(T0 + dt.timedelta(days=1)) == [intake.id]
    assert repo.person_members("p-1") == [] and repo.person_links([intake.id]) == {}
