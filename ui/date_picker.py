"""A date picked by touch: month, day and year each chosen from a grid of large cells, no typing, no calendar.

The order of the parts comes from the content (`date_order`, US default
"month day year"). One grid is open at a time, under the part buttons, inside
the page (not a pop-up window). While the patient picks, the control reports a
partly picked date (`????-02-30`), so Next can say exactly what is missing or
wrong ("Please pick a year", "February has 28 or 29 days").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules.flow import EARLIEST_DATE, partial_date, split_date

PARTS = ("month", "day", "year")
CELL_HEIGHT = 56  # every cell a finger can hit: at least 48 px
CELL_WIDTH = {"month": 180, "day": 64, "year": 104}
VISIBLE_ROWS = 5


def date_order(text: str) -> tuple[str, ...]:
    """The parts in the content's order; anything but a full permutation falls back to the US order."""
    parts = tuple(text.lower().replace("/", " ").split())
    return parts if sorted(parts) == sorted(PARTS) else PARTS


class DatePicker(QWidget):
    def __init__(self, value: Any, on_change: Callable[[str | None], None], *, order: tuple[str, ...],
                 labels: dict[str, str], months: list[str], name: str, past_only: bool,
                 today: dt.date | None = None) -> None:
        super().__init__()
        self.on_change = on_change
        self.labels = labels
        self.months = months
        self.today = today or dt.date.today()
        parts = split_date(value) or (None, None, None)
        self.values: dict[str, int | None] = {"year": parts[0], "month": parts[1], "day": parts[2]}
        last_year = self.today.year if past_only else self.today.year + 10
        self.choices: dict[str, list[tuple[int, str]]] = {
            "month": list(enumerate(months, start=1)),
            "day": [(d, str(d)) for d in range(1, 32)],
            "year": [(y, str(y)) for y in range(last_year, EARLIEST_DATE.year - 1, -1)],
        }
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for part in order:
            button = QPushButton()
            button.setObjectName("datePart")
            button.setCheckable(True)
            button.setMinimumSize(max(CELL_WIDTH[part], 120), CELL_HEIGHT)
            button.setAccessibleDescription(name)
            button.clicked.connect(lambda _checked=False, p=part: self.open(p))
            self.buttons[part] = button
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.grid = QListWidget()
        self.grid.setObjectName("dateGrid")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setWrapping(True)
        self.grid.setUniformItemSizes(True)
        self.grid.setSpacing(4)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # No drag-scroller here: it swallowed taps on cells; the grid is short and has a wide scroll bar.
        self.grid.itemClicked.connect(self._picked)
        self.grid.itemActivated.connect(self._picked)  # Enter, for a patient using keys
        self.grid.hide()
        layout.addWidget(self.grid)
        self.open_part: str | None = None
        self._refresh()

    def open(self, part: str) -> None:
        """Show the grid for one part (a second tap on its button closes it)."""
        if self.open_part == part:
            self.close_grid()
            return
        self.open_part = part
        self.grid.clear()
        size = QSize(CELL_WIDTH[part], CELL_HEIGHT)
        self.grid.setGridSize(QSize(size.width() + 8, size.height() + 8))
        for number, text in self.choices[part]:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, number)
            item.setSizeHint(size)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{self.labels[part]} {text}")
            self.grid.addItem(item)
            if number == self.values[part]:
                item.setSelected(True)
                self.grid.setCurrentItem(item)
        self.grid.setFixedHeight((CELL_HEIGHT + 8) * VISIBLE_ROWS + 12)
        self.grid.show()
        self.grid.doItemsLayout()  # lay the cells out now, so the chosen one can be scrolled into view
        current = self.grid.currentItem()
        if current is not None:
            self.grid.scrollToItem(current, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:  # keys start at the first cell, which stays unmarked until chosen
            self.grid.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
        self._refresh()
        QTimer.singleShot(0, self, self._reveal)  # dropped with the picker if the page goes first

    def _reveal(self) -> None:
        """Scroll the page so the whole open grid is on screen: it may open below the fold."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None and self.grid.isVisible():
            parent.ensureWidgetVisible(self.grid, 0, 16)

    def close_grid(self) -> None:
        part = self.open_part
        self.open_part = None
        self.grid.hide()
        self._refresh()
        if part is not None:
            self.buttons[part].setFocus(Qt.FocusReason.OtherFocusReason)

    def value(self) -> str | None:
        return partial_date(self.values["year"], self.values["month"], self.values["day"])

    def _picked(self, item: QListWidgetItem) -> None:
        if self.open_part is None:
            return
        self.values[self.open_part] = int(item.data(Qt.ItemDataRole.UserRole))
        self.on_change(self.value())
        following = [p for p in self.buttons if self.values[p] is None]
        # Straight on to the next part still missing, so three parts take three picks.
        if following:
            self.open_part = None
            self.open(following[0])
        else:
            self.close_grid()

    def _refresh(self) -> None:
        for part, button in self.buttons.items():
            chosen = self.values[part]
            shown = "—" if chosen is None else self.months[chosen - 1] if part == "month" else str(chosen)
            button.setText(f"{self.labels[part]}: {shown}")
            button.setAccessibleName(button.text())
            button.setChecked(part == self.open_part)
