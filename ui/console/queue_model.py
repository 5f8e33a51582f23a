"""The submission queue as a lazily filled table: only the rows on screen are fetched.

With 100,000 submissions the view asks for the first page at once and the
next pages as the list scrolls (Qt's canFetchMore/fetchMore), each an indexed
query, so opening the queue costs one page, not the whole table.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

from kiosk.console.controller import STATUSES, QueueQuery, QueueRow, StaffConsole

HEADERS = ("Flags", "Submitted", "Name", "Date of birth", "Status")
Index = QModelIndex | QPersistentModelIndex
# Plain ints: data() runs for every visible cell and role, and comparing PySide enums costs a Python enum lookup each time.
DISPLAY, BACKGROUND, FOREGROUND, USER = (int(r.value) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                                                                Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.UserRole))
URGENT_BACKGROUND = QBrush(QColor("#FDECEA"))
URGENT_FOREGROUND = QBrush(QColor("#8B0016"))
# The texts each fixed-format column can hold, the widest of which sets its width: a date and time, a birth date,
# every status as the queue words it.
WIDEST = {1: ("8888-88-88 88:88",), 3: ("8888-88-88", "88/88/8888"),
          4: tuple(str(QueueRow("", None, "", "", status, 0, printed=status.on_paper).status_text)
             for status in STATUSES)}


class QueueModel(QAbstractTableModel):
    """Rows in the data layer's order (unreviewed urgent first, then newest); urgent rows tinted AND marked."""

    def __init__(self, console: StaffConsole, page_size: int = 200) -> None:
        super().__init__()
        self.console = console
        self.page_size = page_size
        self.query = QueueQuery()
        self.rows_loaded: list[QueueRow] = []
        self.total = 0
        self.refresh()

    def search(self, query: QueueQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.total = self.console.count(self.query)
        self.rows_loaded = self.console.rows(self.query, 0, self.page_size)
        self.endResetModel()

    def clear(self) -> None:
        """Drop every loaded row (on lock) without asking the data layer again."""
        self.beginResetModel()
        self.rows_loaded, self.total = [], 0
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows_loaded)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and len(self.rows_loaded) < self.total

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        more = self.console.rows(self.query, len(self.rows_loaded), self.page_size)
        if not more:
            self.total = len(self.rows_loaded)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows_loaded), len(self.rows_loaded) + len(more) - 1)
        self.rows_loaded.extend(more)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role) if not isinstance(role, int) else role
        if role not in (DISPLAY, BACKGROUND, FOREGROUND, USER) or not index.isValid():
            return None
        row = self.rows_loaded[index.row()]
        if role == DISPLAY:
            return self._cell(row, index.column())
        if role == USER:
            return row.id
        if row.urgent:
            return URGENT_BACKGROUND if role == BACKGROUND else URGENT_FOREGROUND
        return None

    @staticmethod
    def _cell(row: QueueRow, column: int) -> str:
        if column == 0:
            return row.flag_text
        if column == 1:
            return row.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M") if row.submitted_at else ""
        if column == 2:
            return row.name_text
        if column == 3:
            return row.dob
        return row.status_text

    def recheck_matches(self) -> None:
        """Ask again which loaded rows wait for a match to be confirmed (staff confirmed, merged or split a person)."""
        pending = self.console.awaiting_confirmation(self.rows_loaded)
        for index, row in enumerate(self.rows_loaded):
            if row.to_confirm != (row.id in pending):
                self.rows_loaded[index] = replace(row, to_confirm=row.id in pending)
                self.dataChanged.emit(self.index(index, 0), self.index(index, 0))

    def row_at(self, index: int) -> QueueRow:
        return self.rows_loaded[index]

    def find(self, submission_id: str) -> int:
        """The row of a loaded submission, or -1."""
        return next((i for i, row in enumerate(self.rows_loaded) if row.id == submission_id), -1)

    def update(self, submission_id: str, **changes: Any) -> None:
        """Change one loaded row in place (after print or review) so the list keeps its scroll position."""
        index = self.find(submission_id)
        if index >= 0:
            self.rows_loaded[index] = replace(self.rows_loaded[index], **changes)
            self.dataChanged.emit(self.index(index, 0), self.index(index, len(HEADERS) - 1))


def fit_columns(table: QTableView) -> None:
    """Flags and name share the spare width; the fixed-format columns get the width of their widest possible text.

    Measured once from the font, not from the rows: ResizeToContents would ask every loaded row's every cell for
    its size at each search and page, most of the cost of showing the queue."""
    header = table.horizontalHeader()
    table.ensurePolished()  # the style sheet's table font
    metrics = table.fontMetrics()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + metrics.averageCharWidth()
    for column in range(len(HEADERS)):
        if column in WIDEST:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            text = max(metrics.horizontalAdvance(sample) for sample in WIDEST[column]) + margin
            header.resizeSection(column, max(text, header.sectionSizeFromContents(column).width()))
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
