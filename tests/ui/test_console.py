"""The console window over a fake data layer: queue, lazy loading, search, preview, print, review, note, idle lock."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QTableWidget

from fake_staff import START, FakeStaffData, make_submission, many
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from ui.console.window import ConsoleWindow

MARKUP = '<b>Ann</b> <img src="x"> &amp;'


def open_console(qtbot, data: FakeStaffData, idle_timeout_s: int = 300, printer=None) -> ConsoleWindow:
    console = StaffConsole(data.content, data, lambda: "North Clinic",
                           printer or (lambda pdf, sid: (True, "Sent to desk-printer as job 7")))
    window = ConsoleWindow(console, idle_timeout_s)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def cells(window: ConsoleWindow, column: int) -> list[str]:
    model = window.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


@pytest.fixture
def mixed(content: Content) -> FakeStaffData:
    return FakeStaffData(content, [
        make_submission(content, "Old Urgent", "1960-01-01", START, urgent=True),
        make_submission(content, "Rosa Diaz", "1980-02-03", START + dt.timedelta(days=1), status="printed"),
        make_submission(content, "Sam Lee", "1975-06-07", START + dt.timedelta(days=2)),
        make_submission(content, "Walked Away", "1990-01-01", START + dt.timedelta(days=3), status="abandoned"),
    ])


def test_queue_shows_urgent_first_then_newest_with_status_and_a_text_marker(qtbot, mixed: FakeStaffData) -> None:
    window = open_console(qtbot, mixed)
    assert cells(window, 2) == ["Old Urgent", "Walked Away", "Sam Lee", "Rosa Diaz"]
    assert cells(window, 4) == ["new (not printed)", "abandoned", "new (not printed)", "printed"]
    assert "URGENT" in cells(window, 0)[0] and "URGENT" not in "".join(cells(window, 0)[1:])
    urgent_bg = window.model.data(window.model.index(0, 2), Qt.ItemDataRole.BackgroundRole)
    assert urgent_bg is not None and urgent_bg.color() != QColor("white")
    assert window.model.data(window.model.index(1, 2), Qt.ItemDataRole.BackgroundRole) is None


def test_queue_loads_pages_lazily_as_it_scrolls(qtbot, content: Content) -> None:
    data = FakeStaffData(content, many(content, 450))
    window = open_console(qtbot, data)
    assert window.model.rowCount() == 200 and window.model.total == 450
    assert data.row_calls == [(0, 200)]
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() > 200)
    while window.model.canFetchMore(window.model.index(-1, -1)):
        window.model.fetchMore(window.model.index(-1, -1))
    assert window.model.rowCount() == 450
    assert [offset for offset, _ in data.row_calls] == [0, 200, 400]
    assert cells(window, 2)[0] == "Person00449 Test"  # newest first


def test_search_by_name_dob_and_date_range(qtbot, mixed: FakeStaffData) -> None:
    window = open_console(qtbot, mixed)
    qtbot.keyClicks(window.name_field, "rosa")
    qtbot.mouseClick(window.search_button, Qt.MouseButton.LeftButton)
    assert cells(window, 2) == ["Rosa Diaz"]
    assert window.status.text() == "1 submission(s) found"
    window.name_field.setText("Dia")
    window.search()
    assert cells(window, 2) == ["Rosa Diaz"], "the start of a word finds the name"
    window.name_field.clear()
    qtbot.keyClicks(window.dob_field, "1975-06-07")
    qtbot.keyClick(window.dob_field, Qt.Key.Key_Return)
    assert cells(window, 2) == ["Sam Lee"]
    window.dob_field.setText("06/07/1975")
    window.search()
    assert cells(window, 2) == ["Sam Lee"], "MM/DD/YYYY as a US front desk types it"
    window.dob_field.clear()
    day = (START + dt.timedelta(days=1)).astimezone().date()
    window.since_field.setText(day.isoformat())
    window.until_field.setText((day + dt.timedelta(days=1)).isoformat())
    window.search()
    assert sorted(cells(window, 2)) == ["Rosa Diaz", "Sam Lee"]
    window.until_field.setText("next week")
    window.search()
    assert "To: 'next week' is not a date" in window.search_problems.text()
    assert cells(window, 2) == [] and window.model.total == 0, "a rejected search clears the old results"
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == 4 and window.search_problems.text() == ""


def test_open_preview_print_review_and_note(qtbot, mixed: FakeStaffData) -> None:
    printed: list[str] = []
    window = open_console(qtbot, mixed, printer=lambda pdf, sid: (printed.append(sid), (True, "Sent to desk"))[1])
    assert not window.print_button.isEnabled()
    window.table.selectRow(2)  # Sam Lee, new and not printed
    sam = window.model.row_at(2).id
    qtbot.waitUntil(lambda: window.document.status() == QPdfDocument.Status.Ready)
    assert window.document.pageCount() >= 1
    assert window.review_label.text() == "Not reviewed yet" and window.print_button.text() == "Print"
    qtbot.mouseClick(window.print_button, Qt.MouseButton.LeftButton)
    assert printed == [sam] and window.status.text() == "Sent to desk"
    assert cells(window, 4)[2] == "printed" and window.print_button.text() == "Reprint"
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    window.confirm.button(QMessageBox.StandardButton.Yes).click()  # Sam's answers raise STOP flags: asked first
    assert window.review_label.text().startswith("Reviewed by Dana on ")
    assert cells(window, 4)[2] == "reviewed"
    window.note_field.setPlainText("Prefers a call after 5pm")
    qtbot.mouseClick(window.note_button, Qt.MouseButton.LeftButton)
    assert mixed.note(sam) == "Prefers a call after 5pm"
    assert [(e.action, e.target) for e in mixed.audit] == [("view", sam), ("view", sam), ("print", sam),
                                                          ("review", sam), ("note", sam)]


def test_a_failed_print_says_why_and_the_row_stays_not_printed(qtbot, mixed: FakeStaffData) -> None:
    window = open_console(qtbot, mixed, printer=lambda pdf, sid: (False, "Not printed on desk: queue is stopped"))
    window.table.selectRow(2)
    qtbot.mouseClick(window.print_button, Qt.MouseButton.LeftButton)
    assert window.status.text() == "Not printed on desk: queue is stopped"
    assert cells(window, 4)[2] == "new (not printed)"


def test_admin_only_buttons_are_hidden_for_staff(qtbot, content: Content) -> None:
    window = open_console(qtbot, FakeStaffData(content, [], actor="Lee", is_admin=False))
    assert not window.settings_button.isVisibleTo(window) and not window.accounts_button.isVisibleTo(window)
    assert not window.audit_button.isVisibleTo(window) and not window.export_button.isVisibleTo(window)
    assert window.retry_button.isVisibleTo(window)


def test_front_desk_can_print_and_note_but_not_mark_reviewed(qtbot, content: Content) -> None:
    from fake_staff import make_submission
    from kiosk.staff.rights import NotAllowed

    one = make_submission(content, "Rosa Diaz", "1980-02-03", dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone.utc))
    data = FakeStaffData(content, [one], actor="Desk", role="front_desk")
    window = open_console(qtbot, data)
    window.table.selectRow(0)
    assert window.print_button.isEnabled() and window.note_button.isEnabled()
    assert not window.review_button.isEnabled() and "clinician" in window.review_button.toolTip()
    assert "(front desk)" in window.findChild(QLabel, "Unlocked by").text()
    with pytest.raises(NotAllowed, match="needs a clinician"):
        window.console.mark_reviewed(one.id)
    assert one.status != "reviewed"


def test_idle_console_locks_itself_and_forgets_the_keys(qtbot, mixed: FakeStaffData) -> None:
    window = open_console(qtbot, mixed, idle_timeout_s=1)
    window.table.selectRow(0)
    with qtbot.waitSignal(window.locked, timeout=5000):
        pass
    assert mixed.locked and window.current is None and window.model.rowCount() == 0
    assert window.document.status() != QPdfDocument.Status.Ready


def test_any_action_restarts_the_idle_timer(qtbot, mixed: FakeStaffData) -> None:
    window = open_console(qtbot, mixed, idle_timeout_s=300)
    assert window.idle.isActive() and window.idle.interval() == 300_000
    for act in (lambda: qtbot.keyClick(window.name_field, Qt.Key.Key_A),
                lambda: qtbot.mouseClick(window.search_button, Qt.MouseButton.LeftButton)):
        window.idle.stop()
        act()
        assert window.idle.isActive(), "a key press or click starts the idle countdown again"


def test_patient_text_in_the_console_is_plain_text(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [make_submission(content, MARKUP, "1980-01-01", START)])
    data.record("view", MARKUP)
    window = open_console(qtbot, data)
    assert cells(window, 2) == [MARKUP]
    window.table.selectRow(0)
    window.note_field.setPlainText(MARKUP)
    window.save_note()
    dialogs = []
    for opener in (window.open_audit, window.open_export, window.open_settings, window.open_accounts):
        opener()
        dialogs.append(window.dialog)
    for widget in [window, *dialogs]:
        for label in widget.findChildren(QLabel):
            assert label.textFormat() == Qt.TextFormat.PlainText, f"rich text possible in {label.text()[:40]!r}"
    audit_table = dialogs[0].findChild(QTableWidget)
    assert MARKUP in [audit_table.item(r, 3).text() for r in range(audit_table.rowCount())]
    assert window.note_field.toPlainText() == MARKUP


def test_a_submission_that_cannot_be_rendered_says_so_and_the_console_stays(qtbot, mixed: FakeStaffData,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_console(qtbot, mixed)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.document.status() == QPdfDocument.Status.Ready)

    def broken(submission_id: str) -> bytes:
        raise ValueError("payload cannot be opened")

    monkeypatch.setattr(window.console, "pdf", broken)
    window.table.selectRow(1)
    assert window.status.text() == "This submission cannot be shown: ValueError: payload cannot be opened"
    assert window.document.status() != QPdfDocument.Status.Ready, "the previous patient's PDF is not left on screen"
    assert window.isVisible()


def test_unlock_and_setup_messages_are_plain_text(qtbot, content: Content) -> None:
    from ui.console.setup import SetupDialog
    from ui.console.unlock import UnlockDialog

    unlock = UnlockDialog(lambda name, passphrase: MARKUP)
    setup = SetupDialog(lambda clinic, admin, passphrase: MARKUP)
    for dialog in (unlock, setup):
        qtbot.addWidget(dialog)
    unlock.try_unlock()
    assert unlock.message.text() == MARKUP
    setup.clinic.setText(MARKUP)
    setup.admin.setText(MARKUP)
    setup.passphrase.setText("x" * 20)
    setup.again.setText("x" * 20)
    setup.create()
    assert setup.key_field.text() == MARKUP
    for dialog in (unlock, setup):
        for label in dialog.findChildren(QLabel):
            assert label.textFormat() == Qt.TextFormat.PlainText, f"rich text possible in {label.text()[:40]!r}"


def test_retry_outbox_button_reports_what_happened(qtbot, mixed: FakeStaffData) -> None:
    window = open_console(qtbot, mixed)
    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    assert window.status.text() == "No print outbox is set up on this kiosk."
    window.console.retry = lambda: "Printed 1 of 1 waiting PDF(s)."
    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    assert window.status.text() == "Printed 1 of 1 waiting PDF(s)."
    assert mixed.audit[-1].action == "retry_outbox"
