"""Stored visits of known people with known numbers, for the people and timeline tests (core and console)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from answer_plans import plan_answer
from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission

BORN = "1988-04-09"
FIRST = dt.datetime(2026, 9, 1, 15, 0, tzinfo=dt.timezone.utc)


def phq9(total: int) -> dict[str, str]:
    """PHQ-9 answers adding up to `total` (item 9 always 0)."""
    codes = ["not_at_all", "several_days", "more_than_half", "nearly_every_day"]
    answers, left = {}, total
    for item in range(1, 9):
        answers[f"phq9_{item}"] = codes[min(3, left)]
        left -= min(3, left)
    answers["phq9_9"] = "not_at_all"
    return answers


def store_visit(conn: sqlite3.Connection, content: Content, name: str, month: int, total: int,
                dob: str = BORN, **more: Any) -> str:
    """A finished visit `month` four-week periods after FIRST, stored the way the kiosk stores it (sealed)."""
    sid = f"{abs(hash((name, month, dob))):032d}"[:32]
    answers = {q.id: plan_answer(content, q) for q in content.questions.values()}
    identity = content.manifest.identity
    answers.update({identity.name: name, identity.dob: dob, **phq9(total), **more})
    when = FIRST + dt.timedelta(days=28 * month)
    submission = finalize(content, Submission(id=sid, started_at=when - dt.timedelta(minutes=5),
                                              content_version=content.version, language="en", answers=answers),
                          now=when)
    submission.visit = content.visit
    SubmissionStore(conn).save(submission)
    return sid
