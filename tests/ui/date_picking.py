"""Pick a date in the date picker as a patient does: tap a part, tap a cell (real mouse clicks, no typing)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget

from ui.date_picker import DatePicker


def tap_part(qtbot, picker: DatePicker, part: str) -> None:
    if picker.open_part != part:
        qtbot.mouseClick(picker.buttons[part], Qt.MouseButton.LeftButton)


def tap_cell(qtbot, picker: DatePicker, text: str) -> None:
    grid = picker.grid
    item = next(grid.item(i) for i in range(grid.count()) if grid.item(i).text() == text)
    grid.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
    qtbot.waitUntil(lambda: grid.viewport().rect().contains(grid.visualItemRect(item).center()), timeout=2000)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualItemRect(item).center())


def pick(qtbot, picker: DatePicker, part: str, text: str) -> None:
    tap_part(qtbot, picker, part)
    tap_cell(qtbot, picker, text)


def pick_date(qtbot, area: QWidget, day: dt.date) -> None:
    picker = area if isinstance(area, DatePicker) else area.findChildren(DatePicker)[0]
    for part, text in (("month", picker.months[day.month - 1]), ("day", str(day.day)), ("year", str(day.year))):
        pick(qtbot, picker, part, text)
