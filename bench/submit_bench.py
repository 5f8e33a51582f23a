"""Submit: commit + PDF written for a complete submission, against a bare reportlab document of the
same page count plus one SQLite commit, both measured in this run."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from kiosk.testing.wizard import complete_answers, tiny_png


def _bare(folder: Path, pages: int) -> float:
    """One SQLite commit (WAL, synchronous=FULL) plus the bare document of the same pages written to disk."""
    from bench.pdf_bench import bare_pdf

    conn = sqlite3.connect(folder / "bare.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload BLOB)")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t (payload) VALUES (?)", (b"x" * 4000,))
    conn.execute("COMMIT")
    (folder / "bare.pdf").write_bytes(bare_pdf(pages)[0])
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return elapsed


def rows(tmp: Path, repeats: int) -> list:
    from bench.run import Row, p95
    from kiosk.content import load_content
    from kiosk.system.paths import content_dir
    from kiosk.patient.pipeline import complete_submission
    from kiosk.storage.db import connect
    from kiosk.system.clock import utc_now
    from kiosk.storage.sqlite_submissions import SubmissionStore
    from kiosk.storage.submissions import Submission, new_submission_id
    from pypdf import PdfReader

    content = load_content(content_dir())
    answers = complete_answers(content)
    folder = tmp / "submit"
    folder.mkdir(parents=True, exist_ok=True)
    store = SubmissionStore(connect(folder / "kiosk.db"))
    measured, pages = [], 1
    for _ in range(max(10, repeats * 4)):
        submission = Submission(id=new_submission_id(), started_at=utc_now(), content_version=content.version,
                                language="en", answers=dict(answers), signature_png=tiny_png())
        start = time.perf_counter()
        outcome = complete_submission(content, store, submission, "Bench Clinic", folder / "reports")
        measured.append((time.perf_counter() - start) * 1000)
        pages = len(PdfReader(str(outcome.pdf_path)).pages)
    baseline = [_bare(folder, pages) for _ in range(max(10, repeats * 4))]
    return [Row(f"submit: commit + PDF written, full content ({pages} pages), p95",
                [p95(measured)], [p95(baseline)], "ms", 2.0,
                note="bare reportlab document of the same pages + one SQLite commit")]
