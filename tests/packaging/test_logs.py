"""The log file in the data directory: written, size-bounded, and never holding what a patient wrote."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from answer_plans import FREE_TEXT, answer_current_page, plan_answer
from kiosk.content import Content
from kiosk.content.model import Question, QuestionPage
from kiosk.patient.intake import REVIEW, THANKS, IntakeController, PatientSession
from kiosk.system.logs import BACKUPS, LOG_DIR, MAX_BYTES, setup_logging
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission

CANARY = "Qzx7731canary"


@pytest.fixture
def kiosk_log(data_dir: Path) -> Iterator[Path]:
    """The kiosk's logging as a real start sets it up; the handlers are taken down after the test."""
    path = setup_logging(data_dir)
    assert path is not None
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_kiosk_log", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.WARNING)


def log_text(data_dir: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(p.read_text(encoding="utf-8") for p in sorted((data_dir / LOG_DIR).iterdir()))


class BrokenJournal:
    """An autosave that fails the way a full or unplugged disk does, quoting the session in its message."""

    def record(self, session: PatientSession) -> None:
        raise OSError(28, f"No space left writing {session.answers}")

    def abandon(self, session: PatientSession) -> None:
        raise RuntimeError(f"could not keep session {session.id}: {session.answers}")

    def forget(self, session_id: str) -> None:
        return None


class FlakyStore(SubmissionStore):
    """The first save fails with a message quoting the answers (as a driver error might); the retry works."""

    failed = False

    def save(self, submission: Submission) -> bool:
        if not self.failed:
            self.failed = True
            raise sqlite3.OperationalError(f"disk I/O error storing {submission.answers}")
        return super().save(submission)


class QuietView:
    def show_screen(self, screen: Any) -> None: ...
    def show_problems(self, problems: dict[str, str]) -> None: ...
    def show_crisis(self) -> None: ...
    def alert_staff(self, reason: str) -> None: ...
    def show_not_saved(self) -> None: ...


def canary_answer(content: Content, question: Question) -> Any:
    """The usual plan, with the canary in the name and in every free-text answer."""
    if question.id == content.manifest.identity.name:
        return f"{CANARY} Testpatient"
    value = plan_answer(content, question)
    return f"{CANARY} {question.id}" if value == FREE_TEXT else value


def free_text_questions(content: Content) -> list[Question]:
    found = [q for page in content.pages if isinstance(page, QuestionPage) for q in page.questions
             if q.type in ("string", "text")]
    assert len(found) >= 2, "the content has no free-text questions left to carry the canary"
    return found


def answer_page(ctl: IntakeController) -> int:
    """Answer the page with the canary in every free text; returns how many answers carried it."""
    typed = 0

    def choose(content: Content, question: Question) -> object:
        nonlocal typed
        value = canary_answer(content, question)
        typed += isinstance(value, str) and CANARY in value
        return value

    answer_current_page(ctl, choose)
    return typed


def test_a_whole_session_with_failures_leaves_no_patient_text_in_the_log(
        content: Content, data_dir: Path, visit_time: dt.datetime, kiosk_log: Path) -> None:
    store = FlakyStore(connect(data_dir / "kiosk.db"))
    ctl = IntakeController(content, store, data_dir / "reports", lambda: "Test Clinic", clock=lambda: visit_time,
                           journal=BrokenJournal())
    ctl.attach(QuietView())
    logging.getLogger("kiosk").info("session test starting")

    # a first patient walks away half-way: the journal fails to keep the session
    ctl.next()
    for _ in range(4):
        answer_page(ctl)
        ctl.next()
    ctl.set_answer(content.manifest.identity.name, f"{CANARY} Testpatient")  # so the journal's error quotes it
    ctl.abandon()

    # a second patient goes all the way; the first save fails, the retry is stored
    typed = 0
    ctl.next()
    while ctl.session.position != REVIEW:
        typed += answer_page(ctl)
        assert ctl.next(), f"stuck on {ctl.session.position}"
    assert typed >= 1, "the name no longer carries the canary"
    for question in free_text_questions(content):  # the ones this path skipped too: they are kept in the answers
        ctl.set_answer(question.id, canary_answer(content, question))
    assert ctl.submit() is False
    assert ctl.submit() is True
    assert ctl.session.position == THANKS
    assert CANARY in str(store.get(ctl.session.id).answers)

    text = log_text(data_dir)
    assert "autosave failed (OSError)" in text
    assert "submit failed (OperationalError)" in text
    assert "exception messages withheld" in text and "RuntimeError" in text
    assert CANARY not in text


def test_exception_chains_keep_types_and_places_but_no_messages(data_dir: Path, kiosk_log: Path) -> None:
    try:
        try:
            raise ValueError(f"bad date for {CANARY}")
        except ValueError as inner:
            raise KeyError(f"{CANARY} missing") from inner
    except KeyError:
        logging.getLogger("kiosk.test").exception("lookup failed")
    text = log_text(data_dir)
    assert "builtins.ValueError" in text and "builtins.KeyError" in text
    assert "test_logs.py" in text
    assert CANARY not in text


def test_the_log_is_size_bounded(data_dir: Path, kiosk_log: Path) -> None:
    log = logging.getLogger("kiosk.test")
    for number in range(4 * (BACKUPS + 1) * MAX_BYTES // 1000):
        log.info("event %06d %s", number, "x" * 960)
    files = sorted((data_dir / LOG_DIR).iterdir())
    assert [f.name for f in files] == ["kiosk.log"] + [f"kiosk.log.{n}" for n in range(1, BACKUPS + 1)]
    assert all(f.stat().st_size <= MAX_BYTES for f in files)
    assert "event" in files[0].read_text(encoding="utf-8")


def test_every_log_file_stays_owner_only_across_rotations(data_dir: Path, kiosk_log: Path) -> None:
    previous = os.umask(0o022)  # a usual umask: files made without an explicit mode are readable by everyone
    try:
        log = logging.getLogger("kiosk.test")
        for number in range(2 * MAX_BYTES // 1000):
            log.info("event %06d %s", number, "x" * 960)
    finally:
        os.umask(previous)
    files = sorted((data_dir / LOG_DIR).iterdir())
    assert len(files) >= 3, "the log rotated"
    assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {f.name: "0o600" for f in files}


def test_the_log_folder_is_owner_only(data_dir: Path, kiosk_log: Path) -> None:
    assert kiosk_log == data_dir / "logs" / "kiosk.log"
    assert (kiosk_log.parent.stat().st_mode & 0o777) == 0o700
    assert (kiosk_log.stat().st_mode & 0o777) == 0o600


def test_an_unwritable_data_folder_means_no_log_file_not_a_crash(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    try:
        assert setup_logging(blocker / "data") is None
        assert "no log file" in capsys.readouterr().err
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_kiosk_log", False)]:
            root.removeHandler(handler)
            handler.close()


def test_setting_up_twice_does_not_double_the_lines(data_dir: Path, kiosk_log: Path) -> None:
    setup_logging(data_dir)
    logging.getLogger("kiosk.test").warning("only once")
    assert log_text(data_dir).count("only once") == 1


def test_every_subcommand_starts_the_log_in_its_data_folder(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    try:
        assert main(["check-content", "--data-dir", str(data_dir)]) == 0
        assert "starting: check-content" in log_text(data_dir)
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_kiosk_log", False)]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(logging.WARNING)
