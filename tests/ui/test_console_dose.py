"""A clinician records the shot given (side, lot) or pills prescribed on the open submission; the front desk cannot."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from pypdf import PdfReader

from fake_staff import START, FakeStaffData, make_submission
from fake_console import open_console
from kiosk.content import Content
from kiosk.staff.rights import Role
from ui.console.dose import DoseDialog


def radio(group, value: str):
    return next(b for b in group.buttons() if b.property("value") == value)


def test_a_clinician_records_the_shot_and_the_preview_shows_it(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [make_submission(content, "Sam Lee", "1975-06-07", START)], role=Role.CLINICIAN)
    window = open_console(qtbot, data)
    assert not window.dose_button.isEnabled(), "nothing is open yet"
    window.table.selectRow(0)
    sid = window.model.row_at(0).id
    assert window.dose_button.isEnabled()
    qtbot.mouseClick(window.dose_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, DoseDialog) and dialog.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Given: choose") and data.dose(sid) is None
    radio(dialog.kind, "shot").setChecked(True)
    radio(dialog.side, "left").setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Lot number" in dialog.message.text() and data.dose(sid) is None, "a shot needs its lot number"
    dialog.lot.setText("LOT-88C")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    record = data.dose(sid)
    assert (record.kind, record.side, record.lot, record.by) == ("shot", "left", "LOT-88C", "Dana")
    assert window.status.text() == "Recorded: shot given, left side, lot LOT-88C"
    assert [(e.action, e.target) for e in data.audit if e.action == "dose"] == [("dose", sid)]
    page_one = PdfReader(io.BytesIO(bytes(window._pdf_bytes.data()))).pages[0].extract_text()
    assert "Given at this visit: shot given, left side, lot LOT-88C" in " ".join(page_one.split())

    window.open_dose()
    again = window.dialog
    assert again is not dialog and radio(again.side, "left").isChecked() and again.lot.text() == "LOT-88C", \
        "a correction starts from what was recorded"


def test_pills_need_no_side_or_lot(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [make_submission(content, "Pat Kim", "1980-01-02", START)])
    window = open_console(qtbot, data)
    window.table.selectRow(0)
    window.open_dose()
    dialog = window.dialog
    radio(dialog.kind, "pills").setChecked(True)
    assert not dialog.lot.isEnabled() and not radio(dialog.side, "left").isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert data.dose(window.current).words == "pills prescribed"


def test_the_front_desk_sees_the_button_greyed_with_the_reason(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [make_submission(content, "Sam Lee", "1975-06-07", START)], actor="Desk",
                         role=Role.FRONT_DESK)
    window = open_console(qtbot, data)
    window.table.selectRow(0)
    assert not window.dose_button.isEnabled() and window.dose_button.toolTip() == "Needs a clinician"
