"""Once the answers are committed the patient is thanked at once; the PDF is drawn and printed afterwards in a
child process, and whatever fails there, staff learn of it from the log and the submission waits for them."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content import Content
from cups_queue import CupsQueue, create_queue, remove_queue
from kiosk.patient.intake import THANKS
from kiosk.printing.cups import CupsPrinter
from kiosk.services import open_kiosk_services
from test_intake import FakeView, walk_to_review


def disk_full(*_args, **_kwargs):
    raise OSError(28, "No space left on device")


@pytest.fixture(scope="module")
def print_queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsQueue]:
    """A real cups-pdf queue of this module's own (other test files (re)create the shared one)."""
    queue = create_queue(tmp_path_factory.mktemp("after-commit-prints"), name="kiosk-test-after-commit")
    yield queue
    remove_queue(queue)


@pytest.fixture
def kiosk(installed: sqlite3.Connection, data_dir: Path):
    installed.close()
    services = open_kiosk_services(data_dir)
    yield services
    services.close()


@pytest.mark.parametrize("fault", ["journal.forget", "set_status", "outbox.remove", "render"])
def test_a_failure_after_the_commit_still_thanks_the_patient_and_tells_staff(kiosk, content: Content, fault: str,
                                                                             print_queue: CupsQueue, monkeypatch,
                                                                             caplog) -> None:
    import kiosk.printing.outbox as outbox_module

    ctl = kiosk.intake_controller(clock=lambda: dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.timezone.utc))
    ctl.delivery.printer = lambda: CupsPrinter(print_queue.name)
    view = FakeView()
    ctl.attach(view)
    walk_to_review(ctl)
    if fault == "journal.forget":
        monkeypatch.setattr(ctl.journal, "forget", disk_full)
    elif fault == "set_status":
        monkeypatch.setattr(kiosk.store, "set_status", disk_full)
    elif fault == "outbox.remove":
        monkeypatch.setattr(outbox_module.Outbox, "remove", disk_full)
    else:  # the logo file was damaged after it was checked: the render process cannot draw the page
        ctl.delivery.logo = lambda: b"\x89PNG\r\n\x1a\n damaged"
    sid = ctl.session.id
    with caplog.at_level(logging.WARNING):
        assert ctl.submit() is True
        assert ctl.session.position == THANKS and view.not_saved == 0
        assert ctl.settle_printing(wait_s=None) == 0
    assert kiosk.conn.execute("SELECT count(*) FROM submissions WHERE id = ?", (sid,)).fetchone()[0] == 1
    assert any(sid[:8] in record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING)
    if fault == "render":
        assert any("PDF was not made (PDF not made:" in r.getMessage() for r in caplog.records)
        assert not (kiosk.outbox_dir / f"{sid}.pdf").exists()
    status = kiosk.conn.execute("SELECT status FROM submissions WHERE id = ?", (sid,)).fetchone()[0]
    assert status == ("new" if fault in ("set_status", "render") else "printed")
    ctl.finish()
    assert kiosk.start_up() == (1 if fault == "journal.forget" else 0)  # a leftover autosave adds no second row
    assert kiosk.conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1


def test_the_pdf_prints_after_thank_you_and_the_submission_is_marked_printed(kiosk, content: Content,
                                                                              print_queue: CupsQueue) -> None:
    ctl = kiosk.intake_controller()
    ctl.delivery.printer = lambda: CupsPrinter(print_queue.name)
    view = FakeView()
    ctl.attach(view)
    walk_to_review(ctl)
    sid = ctl.session.id
    assert ctl.submit() is True and view.screens[-1].name == THANKS
    assert kiosk.conn.execute("SELECT status FROM submissions WHERE id = ?", (sid,)).fetchone()[0] == "new"
    ctl.finish()  # the next patient may start while the PDF is drawn
    assert ctl.settle_printing(wait_s=None) == 0
    assert kiosk.conn.execute("SELECT status FROM submissions WHERE id = ?", (sid,)).fetchone()[0] == "printed"
    assert not (kiosk.outbox_dir / f"{sid}.pdf").exists()
    jobs = print_queue.completed_jobs()
    assert print_queue.name in jobs


def test_a_render_process_killed_mid_render_leaves_the_submission_for_staff(kiosk, content: Content,
                                                                             print_queue: CupsQueue, caplog) -> None:
    ctl = kiosk.intake_controller()
    ctl.delivery.printer = lambda: CupsPrinter(print_queue.name)
    ctl.attach(FakeView())
    walk_to_review(ctl)
    sid = ctl.session.id
    with caplog.at_level(logging.WARNING):
        assert ctl.submit() is True
        deadline = time.monotonic() + 30
        while not ctl.delivery.render.running() and time.monotonic() < deadline:
            time.sleep(0.001)
        for pid in ctl.delivery.render.running():
            os.kill(pid, signal.SIGKILL)
        assert ctl.settle_printing(wait_s=None) == 0
    assert kiosk.conn.execute("SELECT status FROM submissions WHERE id = ?", (sid,)).fetchone()[0] == "new"
    assert any(sid[:8] in r.getMessage() and "staff can print it" in r.getMessage() for r in caplog.records
               if r.levelno >= logging.ERROR)
    assert not (kiosk.outbox_dir / f"{sid}.pdf").exists()
