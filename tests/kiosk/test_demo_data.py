"""Training patients cannot be mistaken for real ones: marked rows, a queue badge, a watermark on every page,
a refusal to mix them into a real clinic's folder, a way to remove them, and answers a clinic would recognise."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ADMIN, ADMIN_PASSPHRASE
from kiosk.rules.assessment import assess
from kiosk.cli import main
from kiosk.commands.demo_data import Progress
from kiosk.console.controller import QueueQuery, StaffConsole
from kiosk.content import Content
from kiosk.demo.generate import DemoPatients
from kiosk.patient.pipeline import finalize
from kiosk.staff import vault
from kiosk.staff.data import SealedStaffData
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from kiosk.storage.submissions import Submission, new_submission_id

MARK = "TRAINING - NOT A PATIENT"


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_STAFF_PASSPHRASE", ADMIN_PASSPHRASE)
    monkeypatch.delenv("KIOSK_STAFF_NAME", raising=False)


def _store_real_patient(folder: Path, content: Content, name: str = "Rosa Diaz") -> str:
    conn = connect(folder / "kiosk.db")
    submission = Submission(id=new_submission_id(), started_at=dt.datetime.now(dt.timezone.utc), content_version="1",
                            language="en", answers={"consent": True, content.manifest.identity.name: name,
                                                    content.manifest.identity.dob: "1980-02-03"})
    SubmissionStore(conn).save(finalize(content, submission))
    conn.close()
    return submission.id


def _staff(folder: Path, content: Content) -> SealedStaffData:
    conn = connect(folder / "kiosk.db")
    return SealedStaffData(conn, vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE), content, folder)


def test_a_folder_with_real_patients_is_refused_unless_mixing_is_asked_for(data_dir: Path, secret, content: Content,
                                                                           capsys) -> None:
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    real_id = _store_real_patient(data_dir, content)
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "5"]) == 1
    err = capsys.readouterr().err
    assert "1 real patient submission" in err and "--allow-mixed" in err and "Traceback" not in err
    assert sqlite3.connect(data_dir / "kiosk.db").execute("SELECT count(*) FROM submissions").fetchone()[0] == 1

    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "12", "--allow-mixed"]) == 0
    rows = _staff(data_dir, content).rows(QueueQuery(), 0, 100)
    assert len(rows) == 13 and {r.id for r in rows if not r.training} == {real_id}

    assert main(["demo-data", "--data-dir", str(data_dir), "--remove"]) == 0
    assert "Removed 12 training patient" in capsys.readouterr().out
    staff = _staff(data_dir, content)
    assert [r.id for r in staff.rows(QueueQuery(), 0, 100)] == [real_id]
    assert staff.conn.execute("SELECT count(*) FROM search_tokens WHERE submission_id != ?", (real_id,)).fetchone()[0] == 0
    assert [e.detail for e in staff.audit_entries() if e.action == "demo_data_removed"] == [{"count": 12}]


def test_training_rows_carry_a_badge_in_the_queue_and_a_watermark_on_every_pdf_page(data_dir: Path, secret,
                                                                                    content: Content) -> None:
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "30"]) == 0
    _store_real_patient(data_dir, content, "Real Person")
    staff = _staff(data_dir, content)
    rows = staff.rows(QueueQuery(), 0, 100)
    console = StaffConsole(content, staff, clinic=lambda: "Hill", printer=lambda pdf, sid: (True, ""))
    training = [r for r in rows if r.training]
    assert len(training) == 30 and all(r.name_text.endswith("[TRAINING]") for r in training)
    [real] = [r for r in rows if not r.training]
    assert real.name_text == "Real Person"

    longest = max(training, key=lambda r: len(staff.submission(r.id).answers))
    pages = PdfReader(io.BytesIO(console.pdf(longest.id))).pages
    assert len(pages) >= 2 and all(MARK in page.extract_text() for page in pages)
    assert all(MARK not in page.extract_text() for page in PdfReader(io.BytesIO(console.pdf(real.id))).pages)


def test_demo_patients_answer_as_a_clinic_would_see(content: Content) -> None:
    patients = DemoPatients(content, seed=5, now=dt.datetime(2026, 11, 24, 15, tzinfo=dt.timezone.utc))
    made = [patients.submission() for _ in range(2000)]
    finished = [s for s in made if s.status != "abandoned"]
    urgent = sum(s.assessment.urgent for s in finished) / len(finished)
    assert 0.07 <= urgent <= 0.14, urgent
    flags = Counter(f.id for s in finished for f in s.assessment.flags)
    assert flags["washout_short_acting"] > 0 and flags["self_harm"] > 0
    for s in finished:
        a = s.answers
        assert s.source == "demo"
        if a.get("opioid_ever") is True:
            assert a.get("last_opioid_kind") and a.get("last_opioid_when"), a
            assert (a["last_opioid_when"] == "exact_date") == bool(a.get("last_opioid_date")), a
        if a.get("audit_c_1") not in (None, "never"):
            assert a.get("audit_c_2") and a.get("audit_c_3"), a
        assert "audit_c_1" in a
        for qid, value in a.items():
            if isinstance(value, list) and "none" in value:
                assert value == ["none"], (qid, value)
    # Re-dated templates keep their assessment: what is stored is what the answers score on that visit.
    for s in made[:300]:
        assert s.assessment == assess(content, s.answers, s.submitted_at.astimezone().date())
    abandoned = [s for s in made if s.status == "abandoned"]
    assert abandoned and all(len(s.answers) < len(max(finished, key=lambda f: len(f.answers)).answers) for s in abandoned)


def test_progress_bar_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown, piped = Terminal(), io.StringIO()
    for stream in (shown, piped):
        bar = Progress(4000, stream)
        bar.update(2000)
        bar.update(4000)
        bar.finish()
    assert "2000/4000" in shown.getvalue() and "#" * 30 in shown.getvalue()
    assert piped.getvalue() == ""


def test_the_clinic_totals_count_every_training_patient_across_batches(data_dir: Path, secret, content: Content,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.commands.demo_data as demo_data

    monkeypatch.setattr(demo_data, "BATCH", 7)  # several batches, so the day totals gather more than one
    assert main(["setup", "--data-dir", str(data_dir), "--clinic", "Hill", "--admin", ADMIN]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "40", "--days", "3"]) == 0
    assert main(["demo-data", "--data-dir", str(data_dir), "--count", "9", "--days", "3", "--seed", "2"]) == 0
    board = _staff(data_dir, content).dashboard(None, None)
    stored = sqlite3.connect(data_dir / "kiosk.db").execute(
        "SELECT sum(status != 'abandoned'), sum(status = 'abandoned') FROM submissions").fetchone()
    assert (board.intakes, board.abandoned) == tuple(stored) and sum(stored) == 49
