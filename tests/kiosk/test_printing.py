"""Printing after submit: a real CUPS queue (cups-pdf), the outbox when there is no printer, and the staff retry."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from answer_plans import PATIENT_NAME
from cups_queue import MISSING_QUEUE, CupsQueue, create_queue, remove_queue
from kiosk.content import Content
from kiosk.patient.pipeline import complete_submission
from kiosk.printing import CupsPrinter, Outbox, deliver, make_printer, retry_outbox
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from report_samples import complete_submission_for


@pytest.fixture(scope="session")
def cups_queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsQueue]:
    """cupsd running and a cups-pdf queue for this test session, removed afterwards."""
    queue = create_queue(tmp_path_factory.mktemp("cups-pdf-out"))
    yield queue
    remove_queue(queue)


@pytest.fixture
def store(data_dir: Path) -> Iterator[SubmissionStore]:
    conn = connect(data_dir / "kiosk.db")
    yield SubmissionStore(conn)
    conn.close()


def pdf_text(pdf: bytes | Path) -> str:
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf)
    return "\n".join(page.extract_text() for page in PdfReader(source).pages)


def reversed_seal(data: bytes) -> bytes:
    """A stand-in for the real sealing: what reaches the disk is not the PDF."""
    return b"SEALED" + data[::-1]


def reversed_open(data: bytes) -> bytes:
    assert data.startswith(b"SEALED")
    return data[len(b"SEALED"):][::-1]


class FailingPrinter:
    def __init__(self) -> None:
        self.calls = 0

    def print_pdf(self, pdf: bytes, title: str) -> tuple[bool, str]:
        self.calls += 1
        raise OSError("paper jam")


class RecordingPrinter:
    def __init__(self) -> None:
        self.jobs: list[tuple[bytes, str]] = []

    def print_pdf(self, pdf: bytes, title: str) -> tuple[bool, str]:
        self.jobs.append((pdf, title))
        return True, "ok"


@pytest.mark.slow
def test_submit_prints_on_a_real_cups_queue(cups_queue: CupsQueue, content: Content, store: SubmissionStore,
                                            data_dir: Path, visit_time: dt.datetime) -> None:
    submission = complete_submission_for(content)
    outcome = complete_submission(content, store, submission, "Riverside Clinic", data_dir / "outbox", now=visit_time,
                                  printer=CupsPrinter(cups_queue.name))
    assert outcome.printed, outcome.message
    assert store.get(submission.id).status == "printed"
    assert outcome.pdf_path is None and not any((data_dir / "outbox").glob("*"))
    printed = cups_queue.wait_for(outcome.message)
    text = pdf_text(printed)
    assert PATIENT_NAME in text and "Riverside Clinic" in text and "42 CFR" in text
    assert PATIENT_NAME not in outcome.message, "the queue's job title must not carry the patient's name"


@pytest.mark.slow
def test_no_printer_keeps_the_pdf_sealed_in_the_outbox_until_a_retry_prints_it(
        cups_queue: CupsQueue, content: Content, store: SubmissionStore, data_dir: Path, visit_time: dt.datetime) -> None:
    submission = complete_submission_for(content)
    outbox_dir = data_dir / "outbox"
    outcome = complete_submission(content, store, submission, "Riverside Clinic", outbox_dir, now=visit_time,
                                  printer=CupsPrinter(MISSING_QUEUE), seal=reversed_seal)
    assert not outcome.printed and MISSING_QUEUE in outcome.message
    assert store.get(submission.id).status == "new"
    waiting = outbox_dir / f"{submission.id}.pdf"
    assert outcome.pdf_path == waiting and waiting.is_file()
    assert b"%PDF" not in waiting.read_bytes(), "only sealed bytes may reach the disk"
    assert [p.name for p in outbox_dir.iterdir()] == [waiting.name], "no temporary or plain copy is left"

    outbox = Outbox(outbox_dir, seal=reversed_seal, open_=reversed_open)
    assert outbox.waiting() == [submission.id]
    assert PATIENT_NAME in pdf_text(outbox.read(submission.id))

    still_missing = retry_outbox(outbox, CupsPrinter(MISSING_QUEUE), lambda sid: store.set_status(sid, "printed"))
    assert [r.printed for r in still_missing] == [False] and waiting.is_file()

    results = retry_outbox(outbox, CupsPrinter(cups_queue.name), lambda sid: store.set_status(sid, "printed"))
    assert [(r.submission_id, r.printed) for r in results] == [(submission.id, True)]
    assert outbox.waiting() == [] and not waiting.exists()
    assert store.get(submission.id).status == "printed"
    assert PATIENT_NAME in pdf_text(cups_queue.wait_for(results[0].message))


def test_a_printer_that_raises_never_breaks_submit(content: Content, store: SubmissionStore, data_dir: Path,
                                                   visit_time: dt.datetime) -> None:
    printer = FailingPrinter()
    submission = complete_submission_for(content)
    outcome = complete_submission(content, store, submission, "C", data_dir / "outbox", now=visit_time, printer=printer)
    assert outcome.stored and not outcome.printed and printer.calls == 1
    assert "paper jam" in outcome.message
    assert store.get(submission.id).status == "new"
    assert Outbox(data_dir / "outbox").waiting() == [submission.id]


def test_auto_print_off_leaves_the_pdf_waiting(content: Content, store: SubmissionStore, data_dir: Path,
                                              visit_time: dt.datetime) -> None:
    assert make_printer(Settings(auto_print=False)) is None
    default = make_printer(Settings(auto_print=True, printer=""))
    assert isinstance(default, CupsPrinter) and "-d" not in default.command("t"), "empty printer = system default"
    assert make_printer(Settings(printer="front-desk")).command("t")[:3] == ["lp", "-d", "front-desk"]
    submission = complete_submission_for(content)
    outcome = complete_submission(content, store, submission, "C", data_dir / "outbox", now=visit_time,
                                  printer=make_printer(Settings(auto_print=False)))
    assert not outcome.printed and outcome.pdf_path is not None and outcome.pdf_path.is_file()
    assert PATIENT_NAME in pdf_text(outcome.pdf_path.read_bytes())


def test_a_repeated_submit_prints_once(content: Content, store: SubmissionStore, data_dir: Path,
                                       visit_time: dt.datetime) -> None:
    printer = RecordingPrinter()
    submission = complete_submission_for(content)
    first = complete_submission(content, store, submission, "C", data_dir / "outbox", now=visit_time, printer=printer)
    again = complete_submission(content, store, complete_submission_for(content), "C", data_dir / "outbox",
                                now=visit_time, printer=printer)
    assert first.printed and not again.stored and not again.printed
    assert len(printer.jobs) == 1 and printer.jobs[0][0].startswith(b"%PDF")
    assert submission.id[:8] in printer.jobs[0][1] and PATIENT_NAME not in printer.jobs[0][1]


def test_a_pdf_that_cannot_be_drawn_still_counts_as_saved(content: Content, store: SubmissionStore, data_dir: Path,
                                                           visit_time: dt.datetime, monkeypatch) -> None:
    from kiosk.report import pdf

    def broken(self, data):
        raise ValueError("layout")

    monkeypatch.setattr(pdf.ClinicianReport, "render", broken)
    submission = complete_submission_for(content)
    outcome = complete_submission(content, store, submission, "C", data_dir / "outbox", now=visit_time,
                                  printer=RecordingPrinter())
    assert outcome.stored and not outcome.printed and "PDF not made" in outcome.message
    assert store.get(submission.id).status == "new"


def test_outbox_refuses_ids_that_are_not_file_names(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox")
    for bad in ("../escape", "a/b", "", "x" * 200):
        with pytest.raises(ValueError):
            outbox.put(bad, b"%PDF")
    assert not (tmp_path / "escape.pdf").exists()


def test_an_unreadable_waiting_pdf_is_reported_and_the_rest_still_print(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox", seal=reversed_seal, open_=reversed_open)
    outbox.put("good", b"%PDF-good")
    (tmp_path / "outbox" / "bad.pdf").write_bytes(b"not sealed")
    printer, printed = RecordingPrinter(), []
    results = {r.submission_id: r for r in retry_outbox(outbox, printer, printed.append)}
    assert results["good"].printed and printed == ["good"] and printer.jobs[0][0] == b"%PDF-good"
    assert not results["bad"].printed and "cannot be opened" in results["bad"].message
    assert outbox.waiting() == ["bad"]


def test_deliver_without_printer_says_why(tmp_path: Path) -> None:
    result = deliver(b"%PDF", "abc", None, Outbox(tmp_path), lambda sid: None)
    assert not result.printed and "off" in result.message and result.waiting == tmp_path / "abc.pdf"


def test_missing_lp_is_a_message_not_an_exception() -> None:
    ok, message = CupsPrinter("q", lp="lp-that-does-not-exist").print_pdf(b"%PDF", "t")
    assert not ok and "not installed" in message
