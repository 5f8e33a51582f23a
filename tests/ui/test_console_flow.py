"""The composition root's staff path: first-run setup, staff exit -> unlock -> console -> lock -> kiosk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from fake_staff import START, FakeGate, make_submission
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from kiosk.patient.intake import WELCOME, IntakeController
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.sqlite_submissions import SubmissionStore
from ui.app import build_window
from ui.console.flow import attach_staff_console, first_run_setup
from ui.console.setup import SetupDialog
from ui.console.window import ConsoleWindow

GOOD = "correct horse battery"


class KeptJournal:
    def __init__(self) -> None:
        self.abandoned: list[dict] = []

    def record(self, session) -> None:
        return None

    def abandon(self, session) -> None:
        self.abandoned.append(dict(session.answers))

    def forget(self, session_id: str) -> None:
        return None


def kiosk_with_staff(qtbot, content: Content, data_dir: Path, gate: FakeGate):
    journal = KeptJournal()
    controller = IntakeController(content, SubmissionStore(connect(data_dir / "k.db")), data_dir / "r",
                                  lambda: "North Clinic", clock=lambda: dt.datetime(2026, 11, 24, 15, tzinfo=dt.timezone.utc),
                                  journal=journal)
    window = build_window(controller, Settings(speech_engine="mock"), kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    make = lambda data: StaffConsole(content, data, lambda: "North Clinic", lambda pdf, sid: (True, "ok"))  # noqa: E731
    flow = attach_staff_console(window, controller.abandon, gate, make, kiosk_mode=False)
    return window, controller, journal, flow


def test_first_run_setup_comes_before_any_patient_screen(qtbot, content: Content) -> None:
    gate = FakeGate(content)

    def fill_in() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SetupDialog) and w.isVisible())
        dialog.clinic.setText("North Clinic")
        dialog.admin.setText("Dana")
        dialog.passphrase.setText(GOOD)
        dialog.again.setText(GOOD)
        dialog.create_button.click()
        dialog.confirm.setChecked(True)
        dialog.finish_button.click()

    QTimer.singleShot(0, fill_in)
    assert first_run_setup(gate)
    assert gate.accounts == {"Dana": (GOOD, True)} and gate.clinic == "North Clinic"
    assert first_run_setup(gate), "set up once: no dialog the second time"


def test_cancelled_setup_leaves_the_kiosk_closed(qtbot, content: Content) -> None:
    gate = FakeGate(content)
    assert not first_run_setup(gate, smoke=True)
    assert gate.needs_setup()


def test_staff_exit_unlocks_the_console_and_lock_returns_to_the_kiosk(qtbot, content: Content, data_dir: Path) -> None:
    gate = FakeGate(content, [make_submission(content, "Rosa Diaz", "1980-02-03", START)],
                    accounts={"Dana": (GOOD, True)})
    window, controller, journal, flow = kiosk_with_staff(qtbot, content, data_dir, gate)
    controller.next()
    controller.set_answer(content.manifest.identity.name, "Midway Patient")
    assert controller.in_progress()

    window.staff_press.triggered.emit()  # the long press on the clinic name
    dialog = flow.unlock_dialog
    assert dialog is not None and dialog.isVisible()
    window.staff_press.triggered.emit()
    assert flow.unlock_dialog is dialog, "a second long press does not stack dialogs"
    dialog.name.setText("Dana")
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert "do not match" in dialog.message.text() and controller.in_progress()

    qtbot.keyClicks(dialog.passphrase, GOOD)
    with qtbot.waitSignal(flow.opened, timeout=2000) as opened:
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    console: ConsoleWindow = opened.args[0]
    qtbot.addWidget(console)
    assert journal.abandoned and journal.abandoned[0][content.manifest.identity.name] == "Midway Patient"
    assert controller.session.position == WELCOME and not controller.session.answers
    assert not window.isVisible() and console.isVisible()
    assert console.model.row_at(0).name == "Rosa Diaz"

    with qtbot.waitSignal(flow.closed, timeout=2000):
        qtbot.mouseClick(console.lock_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and not console.isVisible()
    assert gate.opened[0].locked and flow.window is None
    assert [e.action for e in gate.audit] == ["unlock"]
    window.staff_press.triggered.emit()
    assert flow.unlock_dialog is not None, "the staff exit works again after a lock"
    flow.unlock_dialog.reject()
    window.allow_close = True
