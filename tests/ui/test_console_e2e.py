"""Issue 6 "done when": unlock, find by name, preview, print to a real CUPS queue, mark reviewed, see it all audited.

Also: a PDF the kiosk left sealed in the outbox prints from the console's retry.

Runs over the real sealed database (kiosk/staff), the real console factory
(CUPS printer from the settings) and the kiosk window's staff exit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QMessageBox

from cups_queue import CupsQueue, create_queue, remove_queue
from fake_staff import START, make_submission
from kiosk.console.factory import console_factory
from kiosk.content import Content
from kiosk.patient.intake import IntakeController
from kiosk.printing import Outbox
from kiosk.report.content import build_report
from kiosk.report.pdf import ClinicianReport
from kiosk.settings import Settings
from kiosk.staff import vault
from kiosk.staff.data import outbox_sealer
from kiosk.staff.gate import DatabaseGate
from kiosk.storage.db import connect
from kiosk.storage.codecs import SealingCodec
from kiosk.storage.sqlite_submissions import SubmissionStore
from ui.app import build_window
from ui.console.audit import AuditDialog
from ui.console.flow import attach_staff_console
from ui.console.settings_dialog import SettingsDialog
from ui.console.window import ConsoleWindow

GOOD = "correct horse battery"


def printed_texts(queue: CupsQueue) -> list[str]:
    texts = []
    for path in queue.out.glob("*.pdf"):
        try:
            texts.append(" ".join(page.extract_text() for page in PdfReader(str(path)).pages))
        except Exception:  # noqa: BLE001 - cups-pdf may still be writing it
            texts.append("")
    return texts


@pytest.fixture(scope="module")
def console_queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsQueue]:
    """Its own cups-pdf queue, so it never disturbs the printing tests' queue."""
    queue = create_queue(tmp_path_factory.mktemp("console-cups-out"), name="kiosk-console-test")
    yield queue
    remove_queue(queue)


def test_unlock_find_preview_print_review_and_audit(qtbot, console_queue: CupsQueue, content: Content,
                                                    data_dir: Path) -> None:
    conn = connect(data_dir / "kiosk.db")
    gate = DatabaseGate(conn, content, data_dir)
    assert gate.needs_setup()
    gate.setup("North Clinic", "Dana", GOOD)
    kiosk_store = SubmissionStore(conn, SealingCodec(vault.public_key(conn)))  # the patient side can only seal
    made = {}
    for i, name in enumerate(("Rosa Diaz", "Sam Lee", "Rosa Moreno")):
        made[name] = make_submission(content, name, "1980-02-03", START + dt.timedelta(hours=i))
        assert kiosk_store.save(made[name])
    outbox = Outbox(data_dir / "outbox", seal=outbox_sealer(conn))  # Sam's PDF did not print at submit
    pdf = ClinicianReport().render(build_report(content, made["Sam Lee"], "North Clinic"))
    assert b"Sam Lee" not in outbox.put(made["Sam Lee"].id, pdf).read_bytes()

    controller = IntakeController(content, SubmissionStore(conn), data_dir / "r", lambda: "North Clinic")
    window = build_window(controller, Settings(speech_engine="mock"), kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    flow = attach_staff_console(window, controller.abandon, gate, console_factory(content, data_dir / "outbox"),
                                kiosk_mode=False)

    window.staff_press.triggered.emit()
    dialog = flow.unlock_dialog
    dialog.name.setText("Dana")
    qtbot.keyClicks(dialog.passphrase, GOOD)
    with qtbot.waitSignal(flow.opened, timeout=20_000) as opened:
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    console: ConsoleWindow = opened.args[0]
    qtbot.addWidget(console)

    console.open_settings()
    settings: SettingsDialog = console.dialog
    settings.printer_box.setCurrentIndex(settings.printer_box.findData(console_queue.name))  # the list is CUPS's
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    assert settings.message.text() == "Saved: printer"
    settings.close()

    qtbot.keyClicks(console.name_field, "diaz")
    qtbot.keyClick(console.name_field, Qt.Key.Key_Return)
    assert console.model.rowCount() == 1 and console.model.row_at(0).name == "Rosa Diaz"
    rosa = console.model.row_at(0).id
    console.table.selectRow(0)
    qtbot.waitUntil(lambda: console.document.status() == QPdfDocument.Status.Ready)
    assert console.document.pageCount() >= 1

    qtbot.mouseClick(console.print_button, Qt.MouseButton.LeftButton)
    assert console.status.text().startswith(f"Sent to {console_queue.name}"), console.status.text()
    paper = console_queue.wait_for(console.status.text())
    assert "Rosa Diaz" in " ".join(page.extract_text() for page in PdfReader(str(paper)).pages)
    assert console.model.row_at(0).status_text == "printed"

    qtbot.mouseClick(console.review_button, Qt.MouseButton.LeftButton)
    if console.confirm is not None:  # an urgent or stop row asks first
        console.confirm.button(QMessageBox.StandardButton.Yes).click()
    assert console.review_label.text().startswith("Reviewed by Dana on ")

    qtbot.mouseClick(console.retry_button, Qt.MouseButton.LeftButton)
    assert console.status.text() == "Printed 1 of 1 waiting PDF(s).", console.status.text()
    assert outbox.waiting() == []
    qtbot.waitUntil(lambda: any("Sam Lee" in text for text in printed_texts(console_queue)), timeout=60_000)

    console.open_audit()
    audit: AuditDialog = console.dialog
    assert audit.check.text() == "Audit log intact"
    steps = [(audit.table.item(r, 1).text(), audit.table.item(r, 2).text(), audit.table.item(r, 3).text())
             for r in reversed(range(audit.table.rowCount()))]
    for step in [("Dana", "setup", ""), ("Dana", "unlock", ""), ("Dana", "setting_change", "printer"),
                 ("Dana", "view", rosa), ("Dana", "print", rosa), ("Dana", "review", rosa),
                 ("Dana", "retry_outbox", "")]:
        assert step in steps, f"{step} missing from the audit log: {steps}"
    assert steps.index(("Dana", "print", rosa)) < steps.index(("Dana", "review", rosa))

    with qtbot.waitSignal(flow.closed, timeout=5000):
        qtbot.mouseClick(console.lock_button, Qt.MouseButton.LeftButton)
    assert window.isVisible()
    assert conn.execute("SELECT action FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0] == "lock"
    window.allow_close = True
    conn.close()
