"""Mark reviewed on an urgent or stop row asks first, says who and when, and can be taken back."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from fake_staff import START, FakeStaffData, make_submission
from fake_console import open_console
from kiosk.content import Content


def test_an_urgent_row_asks_before_review_and_the_review_can_be_undone(qtbot, content: Content) -> None:
    data = FakeStaffData(content, [make_submission(content, "Old Urgent", "1960-01-01", START, urgent=True),
                                   make_submission(content, "Sam Lee", "1975-06-07", START + dt.timedelta(days=1))])
    window = open_console(qtbot, data)
    assert window.model.row_at(0).name == "Old Urgent"
    window.table.selectRow(0)
    urgent = window.model.row_at(0).id
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    box = window.confirm
    assert box is not None and box.isVisible() and "URGENT (Urgent test flag" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.model.row_at(0).status == "new" and "review" not in [e.action for e in data.audit]

    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    window.confirm.button(QMessageBox.StandardButton.Yes).click()
    assert window.model.row_at(0).status == "reviewed"
    assert window.review_label.text().startswith("Reviewed by Dana on ")
    assert window.undo_button.isVisible()

    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert window.model.row_at(0).status == "new" and window.review_label.text() == "Not reviewed yet"
    assert not window.undo_button.isVisible()
    assert [(e.action, e.target) for e in data.audit if e.action.startswith("review")] == [
        ("review", urgent), ("review_undone", urgent)]


def test_a_routine_row_is_reviewed_at_once(qtbot, content: Content) -> None:
    routine = make_submission(content, "Sam Lee", "1975-06-07", START)
    routine.assessment = replace(routine.assessment, flags=())
    data = FakeStaffData(content, [routine])
    window = open_console(qtbot, data)
    window.table.selectRow(0)
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    assert window.confirm is None and window.model.row_at(0).status == "reviewed"
