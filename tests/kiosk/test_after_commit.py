"""Once the answers are committed the patient is thanked, whatever fails next; staff learn of it from the log."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import pytest

from kiosk.content import Content
from kiosk.patient.intake import THANKS
from kiosk.services import open_kiosk_services
from test_intake import FakeView, walk_to_review


class PaperPrinter:
    """Takes every job, as a working print queue does."""

    def __init__(self) -> None:
        self.jobs: list[str] = []

    def print_pdf(self, pdf: bytes, title: str) -> tuple[bool, str]:
        self.jobs.append(title)
        return True, "request id is kiosk-1"


def disk_full(*_args, **_kwargs):
    raise OSError(28, "No space left on device")


@pytest.fixture
def kiosk(installed: sqlite3.Connection, data_dir: Path):
    installed.close()
    services = open_kiosk_services(data_dir)
    yield services
    services.close()


@pytest.mark.parametrize("fault", ["journal.forget", "set_status", "outbox.remove", "render"])
def test_a_failure_after_the_commit_still_thanks_the_patient_and_tells_staff(kiosk, content: Content, fault: str,
                                                                             monkeypatch, caplog) -> None:
    import kiosk.printing.outbox as outbox_module
    import kiosk.report.pdf as pdf_module

    ctl = kiosk.intake_controller(clock=lambda: dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.timezone.utc))
    printer = PaperPrinter()
    ctl.delivery.printer = lambda: printer
    view = FakeView()
    ctl.attach(view)
    walk_to_review(ctl)
    if fault == "journal.forget":
        monkeypatch.setattr(ctl.journal, "forget", disk_full)
    elif fault == "set_status":
        monkeypatch.setattr(kiosk.store, "set_status", disk_full)
    elif fault == "outbox.remove":
        monkeypatch.setattr(outbox_module.Outbox, "remove", disk_full)
    else:
        monkeypatch.setattr(pdf_module.ClinicianReport, "render", disk_full)
    sid = ctl.session.id
    with caplog.at_level(logging.WARNING):
        assert ctl.submit() is True
    assert ctl.session.position == THANKS and view.not_saved == 0
    assert kiosk.conn.execute("SELECT count(*) FROM submissions WHERE id = ?", (sid,)).fetchone()[0] == 1
    assert any(sid[:8] in record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING)
    ctl.finish()
    assert kiosk.start_up() == (1 if fault == "journal.forget" else 0)  # a leftover autosave adds no second row
    assert kiosk.conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1
