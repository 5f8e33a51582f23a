"""The queue's columns: every date, birth date and status shows whole, and showing a page does not measure every row."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from fake_staff import START, FakeStaffData, make_submission, many
from kiosk.console.controller import QueueQuery, QueueRow
from kiosk.content import Content
from ui.console.queue_model import QueueModel
from ui.console.window import ConsoleWindow
from test_console import open_console

FIXED = {1: "Submitted", 3: "Date of birth", 4: "Status"}


def test_dates_birth_dates_and_statuses_show_whole_in_their_columns(qtbot, content: Content) -> None:
    late = dt.datetime(2026, 12, 28, 23, 58, tzinfo=dt.timezone.utc)
    data = FakeStaffData(content, [
        make_submission(content, "Rosa Diaz", "1980-12-28", late, status="new"),
        make_submission(content, "Sam Lee", "1975-06-07", START, status="printed"),
        make_submission(content, "Ann Wu", "1990-10-30", START, status="reviewed"),
        make_submission(content, "Walked Away", "1990-01-01", START, status="abandoned"),
    ])
    window = open_console(qtbot, data)
    header = window.table.horizontalHeader()
    for column, title in FIXED.items():
        assert window.model.headerData(column, Qt.Orientation.Horizontal) == title
        width = window.table.columnWidth(column)
        assert header.sectionSizeFromContents(column).width() <= width, f"the {title} heading is cut"
        for row in range(window.model.rowCount()):
            index = window.model.index(row, column)
            text = window.model.data(index)
            assert window.table.sizeHintForIndex(index).width() <= width, f"{text!r} is cut in {title}"
    assert "new (not printed)" in [window.model.data(window.model.index(r, 4)) for r in range(4)]
    # The flags and the name keep the rest of the width, so a reason and a long name have room.
    assert window.table.columnWidth(0) >= 120 and window.table.columnWidth(2) >= 120


def test_showing_a_page_asks_only_for_the_rows_on_screen(qtbot, content: Content, monkeypatch) -> None:
    """200 loaded rows, about ten on screen: sizing columns from every loaded row was most of the cost of a search."""
    asked_ids: set[str] = set()
    original = QueueModel._cell

    def counting(row: QueueRow, column: int) -> str:
        asked_ids.add(row.id)
        return original(row, column)

    # A plain Python helper of the model's, not one of Qt's virtual methods (replacing those confuses PySide).
    monkeypatch.setattr(QueueModel, "_cell", staticmethod(counting))
    window: ConsoleWindow = open_console(qtbot, FakeStaffData(content, many(content, 450)))

    def asked() -> set[int]:
        return {window.model.find(submission_id) for submission_id in asked_ids}

    qtbot.waitUntil(lambda: bool(asked_ids))
    assert window.model.rowCount() == 200
    on_screen = window.table.rowAt(window.table.viewport().height() - 1) + 1 or window.model.rowCount()
    assert 0 < on_screen < 30
    assert max(asked()) < on_screen + 5, f"asked for rows up to {max(asked())} with {on_screen} on screen"
    asked_ids.clear()
    window.model.search(QueueQuery(name="Person"))
    window.repaint()
    qtbot.wait(10)
    assert asked_ids and -1 not in asked() and max(asked()) < on_screen + 5
