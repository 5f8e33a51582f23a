"""Printing through Qt's print support (QPrinter, pages drawn by QtPdf) reaches a real CUPS queue, every page,
under a job name that is never the patient's."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from cups_queue import CupsQueue, create_queue, remove_queue
from kiosk.content import Content
from kiosk.printing.printer import job_title
from kiosk.report.content import build_report
from kiosk.report.pdf import ClinicianReport
from report_samples import complete_submission_for
from ui.qt_printing import QtPrinter


@pytest.fixture(scope="module")
def queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsQueue]:
    made = create_queue(tmp_path_factory.mktemp("qt-pdf"), "kiosk-qt-test")
    yield made
    remove_queue(made)


def test_qprinter_prints_every_page_on_the_cups_queue_without_the_name(qtbot, queue: CupsQueue,
                                                                       content: Content) -> None:
    submission = complete_submission_for(content)
    pdf = ClinicianReport().render(build_report(content, submission, "North Clinic"))
    pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    before = set(queue.out.glob("*.pdf"))
    title = job_title(submission.id)
    ok, message = QtPrinter(queue.name).print_pdf(pdf, title)
    assert ok, message
    deadline = time.monotonic() + 90
    while not (new := set(queue.out.glob("*.pdf")) - before) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert new, "the job never reached the queue"
    [printed] = new
    # cups-pdf writes the file while the job runs: wait until CUPS has no job left on the queue
    while subprocess.run(["lpstat", "-o", queue.name], capture_output=True, text=True).stdout.strip():
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.3)
    assert len(PdfReader(str(printed)).pages) == pages
    jobs = subprocess.run(["lpstat", "-W", "all", "-l", "-o", queue.name], capture_output=True, text=True).stdout
    name = str(submission.answers.get(content.manifest.identity.name, ""))
    assert name and name not in jobs and name not in printed.name
    assert title in jobs or title in printed.name, (jobs, printed.name)


def test_an_unknown_printer_is_a_message_not_an_exception(qtbot) -> None:
    ok, message = QtPrinter("no-such-printer-here").print_pdf(b"%PDF-1.4", "intake-x")
    assert not ok and "no printer called no-such-printer-here" in message
