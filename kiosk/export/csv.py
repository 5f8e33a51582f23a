"""Submissions as CSV: one row each, safe to open in a spreadsheet.

Patient text can start with `=`, `+`, `-`, `@`, tab or CR, which a
spreadsheet would run as a formula (CSV injection); such cells get a
leading single quote. Everything else is Python's csv module, so quotes,
commas and newlines inside answers survive a read back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from kiosk.content import Content
from kiosk.content.model import ConsentPage
from kiosk.storage.submissions import Submission

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# `visit_type` is the questionnaire answered (intake, follow-up), so a spreadsheet can tell monthly visits apart.
FIXED = ["submission_id", "started_at", "submitted_at", "status", "source", "visit_type", "content_version",
         "language", "patient_name", "date_of_birth"]


def safe_cell(value: str) -> str:
    """The cell a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_csv(submissions: Iterable[Submission], content: Content, stream: TextIO) -> int:
    """Write a header and one row per submission; returns the number of rows written.

    Columns: the fixed ones, each instrument's total and band, the flags (with
    `urgent` yes/no and `stop`, the number of contraindications), then
    one column per question id in content order (answers to questions no
    longer in the content follow, so nothing stored is left out).
    """
    rows = list(submissions)
    question_ids = [p.id for p in content.pages if isinstance(p, ConsentPage)] + list(content.questions)
    extra = sorted({key for s in rows for key in s.answers} - set(question_ids))
    instruments = list(content.instruments)
    instruments += sorted({key for s in rows for key in s.assessment.scores} - set(instruments))
    header = FIXED + [f"{i}_{part}" for i in instruments for part in ("total", "band")]
    header += ["flags", "urgent", "stop"] + question_ids + extra
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    identity = content.manifest.identity
    for s in rows:
        cells: list[Any] = [
            s.id, _iso(s.started_at), _iso(s.submitted_at), s.status, s.source, s.visit, s.content_version, s.language,
            s.answers.get(identity.name), s.answers.get(identity.dob),
        ]
        for key in instruments:
            score = s.assessment.scores.get(key)
            cells += [score.total, score.band] if score else [None, None]
        cells += ["; ".join(f"{f.severity}:{f.id}" for f in s.assessment.flags), s.assessment.urgent,
                  len(s.assessment.contraindications)]
        cells += [s.answers.get(key) for key in question_ids + extra]
        writer.writerow([safe_cell(_cell(value)) for value in cells])
    return len(rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _iso(moment: Any) -> str:
    return moment.isoformat() if moment is not None else ""
