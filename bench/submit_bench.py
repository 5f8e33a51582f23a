"""Submit: from the patient's tap on Submit to the thank-you screen, as the kiosk runs it (sealed store,
autosave, settings read live), against a bare reportlab document of the same page count plus one SQLite
commit, both measured in this run.

The PDF is drawn and printed afterwards in a render process; how long it takes to reach the outbox is a
second row (information for staff: how soon the paper is out), against the same bare baseline.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


def _bare_child(folder: Path, pages: int) -> float:
    """A fresh Python process that imports reportlab and writes the bare document: the floor of drawing in a child."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from bench.pdf_bench import bare_pdf; "
            "open(sys.argv[2], 'wb').write(bare_pdf(int(sys.argv[3]))[0])")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(ROOT), str(folder / "bare-child.pdf"), str(pages)], check=True)
    return (time.perf_counter() - start) * 1000


class _Thanks:
    """The view: notes when thank-you is asked for (the Qt screen's own paint is the transition row's)."""

    def __init__(self) -> None:
        self.at = 0.0

    def show_screen(self, screen) -> None:
        if screen.name == "thanks":
            self.at = time.perf_counter()

    def show_problems(self, problems) -> None: ...

    def show_crisis(self) -> None: ...

    def alert_staff(self, reason: str) -> None: ...

    def show_not_saved(self) -> None: ...


BATCH = 5  # submits per batch; each batch gives one p95, the row shows min/median/max over the batches


def rows(tmp: Path, repeats: int) -> list:
    import io

    from bench.queue_bench import ADMIN, PASSPHRASE
    from bench.run import Row, p95
    from bench.start_bench import empty_set_up
    from kiosk.patient.pipeline import finalize, render_pdf
    from kiosk.services import open_kiosk_services
    from kiosk.storage.submissions import Submission, new_submission_id
    from kiosk.system.clock import utc_now
    from kiosk.testing.wizard import complete_answers, drive_to_review, tiny_png
    from pypdf import PdfReader

    folder = tmp / "submit"
    folder.mkdir(parents=True, exist_ok=True)
    services = open_kiosk_services(empty_set_up(tmp, PASSPHRASE, ADMIN))
    batches = max(3, repeats)
    to_thanks, to_outbox = [], []
    try:
        ctl = services.intake_controller()
        ctl.delivery.printer = lambda: None  # no print queue here: the PDF is kept in the (sealed) outbox
        view = _Thanks()
        ctl.attach(view)
        for _ in range(batches):
            thanks, outbox = [], []
            for _ in range(BATCH):
                drive_to_review(ctl)
                sid = ctl.session.id
                start = time.perf_counter()
                assert ctl.submit() and view.at > start
                thanks.append((time.perf_counter() - start) * 1000)  # the hand-over to the render process included
                ctl.settle_printing(wait_s=None)  # one patient at a time: the next submit does not share the CPU
                outbox.append((time.perf_counter() - start) * 1000)
                assert (services.outbox_dir / f"{sid}.pdf").is_file(), "printing is off here: the PDF waits"
                ctl.finish()
            to_thanks.append(p95(thanks))
            to_outbox.append(p95(outbox))
    finally:
        services.close()
    content = services.content
    submission = finalize(content, Submission(id=new_submission_id(), started_at=utc_now(),
                                              content_version=content.version, language="en",
                                              answers=complete_answers(content), signature_png=tiny_png()))
    pages = len(PdfReader(io.BytesIO(render_pdf(content, submission, "Bench Clinic"))).pages)
    baseline = [p95([_bare(folder, pages) for _ in range(BATCH)]) for _ in range(batches)]
    in_child = [p95([_bare_child(folder, pages) for _ in range(BATCH)]) for _ in range(batches)]
    return [
        Row(f"submit: tap to thank-you, full content ({pages} pages), p95", to_thanks, baseline, "ms", 2.0,
            note="bare reportlab document of the same pages + one SQLite commit; the PDF is drawn afterwards"),
        Row("  after it: the PDF kept in the outbox (render process: start, draw; then sealed), p95", to_outbox,
            in_child, "ms", 2.0, note="a fresh Python process importing reportlab and writing the bare document; "
            "no patient waits for this"),
    ]
