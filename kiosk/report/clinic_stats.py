"""A clinic at a glance: intakes per week, positive screens, urgent and stop counts, where abandoned sessions
stopped, teach-back misses and the median time to complete, over a date range.

Qt-free. Each submission's contribution (`row_stats`) is worked out once, when
its sealed payload is opened for indexing, and added to an encrypted total per
local day and kind (real or training) in `dashboard_days`. The dashboard then
reads a few hundred day totals, not 100,000 sealed payloads, so it opens at
once; without the data key the totals say nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kiosk.storage.shared_connection import Db
from kiosk.content import Content
from kiosk.content.model import ConsentPage, QuestionPage
from kiosk.system.crypto import MasterKeys
from kiosk.rules.flow import visible_pages
from kiosk.storage.submissions import DEMO_SOURCE, Submission

LONGEST_MINUTES = 180
COUNTERS = ("intakes", "abandoned", "urgent", "stop")
TALLIES = ("scored", "positive", "stopped_at", "tb_asked", "tb_missed", "minutes")


def empty() -> dict[str, Any]:
    return {**{k: 0 for k in COUNTERS}, **{k: {} for k in TALLIES}}


def merge(into: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    for key in COUNTERS:
        into[key] = into.get(key, 0) + more.get(key, 0)
    for key in TALLIES:
        target = into.setdefault(key, {})
        for name, count in more.get(key, {}).items():
            target[name] = target.get(name, 0) + count
    return into


def row_stats(content: Content, submission: Submission) -> dict[str, Any]:
    """What one submission adds to its day's totals."""
    stats = empty()
    answers, assessment = submission.answers, submission.assessment
    if submission.status == "abandoned":
        stats["abandoned"] = 1
        stats["stopped_at"] = {_stopped_at(content, answers): 1}
        return stats
    stats["intakes"] = 1
    severities = {f.severity for f in assessment.flags}
    stats["urgent"] = int("urgent" in severities)
    stats["stop"] = int("stop" in severities)
    for score in assessment.scores.values():
        if score.cutoff is not None:
            stats["scored"][score.name] = 1
            stats["positive"][score.name] = int(score.positive)
    for instrument in content.instruments.values():
        if instrument.scoring == "items":
            for item in instrument.items:
                if isinstance(answers.get(item), str):
                    short = instrument.name.split()[-1]
                    label = f"{short}: {_substance(content, short, item)}"
                    stats["scored"][label] = 1
                    stats["positive"][label] = int(answers[item] != "never")
    for question in content.questions.values():
        right = {o.code for o in question.options if o.correct}
        if right and question.id in answers:
            stats["tb_asked"][question.id] = 1
            stats["tb_missed"][question.id] = int(answers[question.id] not in right)
    if submission.submitted_at is not None:
        minutes = int((submission.submitted_at - submission.started_at).total_seconds() // 60)
        stats["minutes"] = {str(max(0, min(minutes, LONGEST_MINUTES))): 1}
    return stats


def _substance(content: Content, instrument: str, item: str) -> str:
    """'tobacco', 'alcohol' (the men's and women's wording count together), 'illegal drugs', ..."""
    label = content.questions[item].clinician_label or item
    return label.removeprefix(instrument).split("(")[0].strip(" :-") or item  # "TAPS-1 tobacco" -> "tobacco"


def _stopped_at(content: Content, answers: dict[str, Any]) -> str:
    """The page the patient was on when they left: the one after the last page they answered anything on."""
    pages = [p for p in visible_pages(content, answers) if isinstance(p, (QuestionPage, ConsentPage))]
    answered = [i for i, p in enumerate(pages) if _answered(p, answers)]
    index = answered[-1] + 1 if answered else 0
    page = pages[min(index, len(pages) - 1)] if pages else None
    return page.id if page is not None else "start"


def _answered(page, answers: dict[str, Any]) -> bool:
    if isinstance(page, ConsentPage):
        return answers.get(page.id) is True
    return any(q.id in answers for q in page.questions)


# -- the stored day totals ---------------------------------------------------------------


def day_of(submission: Submission) -> str:
    return (submission.submitted_at or submission.started_at).astimezone().date().isoformat()


def add_rows(conn: Db, keys: MasterKeys, content: Content, submissions: Iterable[Submission]) -> None:
    """Add submissions to their days' totals (inside the caller's transaction)."""
    write_totals(conn, keys, tally(content, submissions))


Totals = dict[tuple[str, int], dict[str, Any]]


def tally(content: Content, submissions: Iterable[Submission], into: Totals | None = None) -> Totals:
    """What the submissions add to each (day, training) total, in memory; `into` gathers several batches."""
    pending: Totals = {} if into is None else into
    for submission in submissions:
        key = (day_of(submission), int(submission.source == DEMO_SOURCE))
        merge(pending.setdefault(key, empty()), row_stats(content, submission))
    return pending


def write_totals(conn: Db, keys: MasterKeys, pending: Totals) -> None:
    """Add tallied totals to the stored ones: one read and one sealed write per day, inside the caller's transaction."""
    for (day, demo), more in pending.items():
        row = conn.execute("SELECT blob FROM dashboard_days WHERE day = ? AND demo = ?", (day, demo)).fetchone()
        total = merge(_open(keys, day, demo, row[0]) if row else empty(), more)
        conn.execute("INSERT INTO dashboard_days (day, demo, blob) VALUES (?, ?, ?) ON CONFLICT (day, demo) "
                     "DO UPDATE SET blob = excluded.blob", (day, demo, _seal(keys, day, demo, total)))


def _aad(day: str, demo: int) -> bytes:
    return f"dashboard:{day}:{demo}".encode()


def _seal(keys: MasterKeys, day: str, demo: int, total: dict[str, Any]) -> bytes:
    return keys.encrypt(json.dumps(total, separators=(",", ":")).encode(), _aad(day, demo))


def _open(keys: MasterKeys, day: str, demo: int, blob: bytes) -> dict[str, Any]:
    return json.loads(keys.decrypt(bytes(blob), _aad(day, demo)))


def rekey_days(conn: Db, old: MasterKeys, new: MasterKeys) -> None:
    """Move every day total to a new data key (a key epoch change), inside the caller's transaction."""
    for day, demo, blob in conn.execute("SELECT day, demo, blob FROM dashboard_days").fetchall():
        conn.execute("UPDATE dashboard_days SET blob = ? WHERE day = ? AND demo = ?",
                     (_seal(new, day, demo, _open(old, day, demo, blob)), day, demo))


def day_totals(conn: Db, keys: MasterKeys, since: dt.date | None,
               until: dt.date | None) -> dict[dt.date, dict[str, Any]]:
    """Real and training rows together, per day in the range (training rows are what a training clinic has)."""
    found: dict[dt.date, dict[str, Any]] = {}
    for day, demo, blob in conn.execute("SELECT day, demo, blob FROM dashboard_days WHERE day >= ? AND day <= ?",
                                        ((since or dt.date.min).isoformat(), (until or dt.date.max).isoformat())):
        merge(found.setdefault(dt.date.fromisoformat(day), empty()), _open(keys, day, demo, blob))
    return found


# -- what the Clinic tab and its PDF show --------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    since: dt.date | None
    until: dt.date | None
    weeks: list[tuple[dt.date, int]] = field(default_factory=list)  # Monday of each week, intakes
    positive: list[tuple[str, int, int]] = field(default_factory=list)  # screen, positive, screened
    intakes: int = 0
    urgent: int = 0
    stop: int = 0
    abandoned: int = 0
    stopped_at: list[tuple[str, int]] = field(default_factory=list)  # page title, sessions
    teach_back: list[tuple[str, int, int]] = field(default_factory=list)  # question, missed, asked
    median_minutes: float | None = None

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0


def summarize(content: Content, days: dict[dt.date, dict[str, Any]], since: dt.date | None = None,
              until: dt.date | None = None) -> Dashboard:
    total = empty()
    weeks: Counter[dt.date] = Counter()
    for day, stats in days.items():
        merge(total, stats)
        weeks[day - dt.timedelta(days=day.weekday())] += stats.get("intakes", 0)
    if weeks:
        first, last = min(weeks), max(weeks)
        monday = first
        while monday <= last:
            weeks.setdefault(monday, 0)
            monday += dt.timedelta(days=7)
    titles = {p.id: (p.title.get("en") if getattr(p, "title", None) else p.id) for p in content.pages}
    labels = {q.id: (q.clinician_label or q.text.get("en")) for q in content.questions.values()}
    return Dashboard(
        since=since, until=until,
        weeks=sorted(weeks.items()),
        positive=[(name, total["positive"].get(name, 0), screened) for name, screened in sorted(total["scored"].items())],
        intakes=total["intakes"], urgent=total["urgent"], stop=total["stop"], abandoned=total["abandoned"],
        stopped_at=sorted(((titles.get(page, page), n) for page, n in total["stopped_at"].items()), key=lambda x: -x[1]),
        teach_back=[(labels.get(q, q), total["tb_missed"].get(q, 0), asked) for q, asked in sorted(total["tb_asked"].items())],
        median_minutes=_median({int(k): v for k, v in total["minutes"].items()}),
    )


def _median(histogram: dict[int, int]) -> float | None:
    count = sum(histogram.values())
    if not count:
        return None
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:
        seen = 0
        for value, times in ordered:
            seen += times
            if seen > n:
                return value
        return ordered[-1][0]

    return (nth((count - 1) // 2) + nth(count // 2)) / 2
