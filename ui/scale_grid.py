"""Items that share one answer scale (PHQ-9, TAPS-1) as a grid: the answers once as column headers, a row per item.

Each row is a frame named by its question, holding the item's text and one
cell per answer; a tap anywhere in a cell chooses it (the cells are option
rows, so a drag that scrolls the page chooses nothing). Each radio button is
named by its answer, so read-aloud and screen readers still say what it is.
Columns are as wide as the longest header word needs in the current font, and
while the rows scroll under the top of the page a copy of the header stays there.
Where the columns do not fit beside the text (the largest text on a narrow
screen), each item lists its answers under it, as any other question does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Question
from ui.controls import OptionRow, plain_label

MIN_COLUMN = 88  # px: a 48 px target with the cell's margins around it
MAX_TEXT = 520  # px: on a wide screen the answers stay near the item's words, not across a gap
MIN_TEXT = 170  # px the items' text keeps beside the columns; with less room each item lists its answers itself


class ScaleGrid(QWidget):
    """`rows[qid]` is the item's frame, `labels[qid]` its text and `problems[qid]` the message slot under it."""

    def __init__(self, questions: list[Question], language: str, answers: dict[str, Any],
                 on_change: Callable[[str, Any], None]) -> None:
        super().__init__()
        self.setObjectName("scale-grid")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.cells: list[OptionRow] = []
        self.rows: dict[str, QFrame] = {}
        self.labels: dict[str, QLabel] = {}
        self.problems: dict[str, QLabel] = {}
        self.answers = [option.text.get(language) for option in questions[0].options]
        self.head = self._header()
        self.pinned: QWidget | None = None  # a copy of the header kept at the top while the rows scroll under it
        self.area: QScrollArea | None = None
        self.row_layouts: list[QBoxLayout] = []
        self.text_boxes: list[QWidget] = []  # each item's text and message: one column as wide in every row
        self.stacked = False  # too narrow for columns (large text on a narrow screen): answers under each item
        self.arranged: tuple[bool, int] | None = None  # (stacked, column width) the cells were last set out for
        layout.addWidget(self.head)
        for question in questions:
            layout.addWidget(self._row(question, language, answers.get(question.id), on_change))
        self._fit_columns()

    def _header(self) -> QWidget:
        head = QWidget()
        head.setObjectName("scale-head-row")
        row = QHBoxLayout(head)
        row.setContentsMargins(0, 4, 0, 4)
        spacer = QWidget()
        spacer.setObjectName("scale-head-spacer")
        row.addWidget(spacer)
        for text in self.answers:
            header = plain_label(text, "scale-head")
            header.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            row.addWidget(header, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        return head

    @property
    def headers(self) -> list[QLabel]:
        heads = [self.head] + ([self.pinned] if self.pinned is not None else [])
        return [label for head in heads for label in head.findChildren(QLabel)]

    def pin_to(self, area: QScrollArea) -> None:
        """Keep the answers in sight: while the header is scrolled off the top and rows are still on screen,
        a copy of it stays at the top of `area`'s viewport."""
        self.area = area
        self.pinned = self._header()
        self.pinned.setParent(area.viewport())
        self.pinned.setAutoFillBackground(True)
        self.pinned.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # a drag on it still scrolls
        self.pinned.hide()
        self._fit_columns()
        # bound methods: the connections end with this widget
        area.verticalScrollBar().valueChanged.connect(self._place_pinned)
        area.verticalScrollBar().rangeChanged.connect(self._place_pinned)

    def pinned_height(self) -> int:
        """The height of the header copy that stays at the top while this grid's items scroll under it."""
        return self.head.height() if self.pinned is not None and not self.stacked else 0

    def _place_pinned(self) -> None:
        if self.pinned is None or self.area is None or not self.isVisible():
            return
        top = self.mapTo(self.area.viewport(), QPoint(0, 0))
        height = self.head.height()
        show = not self.stacked and top.y() < 0 and top.y() + self.height() > 2 * height
        self.pinned.setGeometry(top.x(), 0, self.head.width(), height)
        self.pinned.setVisible(show)
        if show:
            self.pinned.raise_()

    def _row(self, question: Question, language: str, value: Any, on_change: Callable[[str, Any], None]) -> QFrame:
        frame = QFrame()
        frame.setObjectName("question")
        frame.setAccessibleName(question.text.get(language))
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight, frame)
        row.setContentsMargins(0, 4, 0, 4)
        self.row_layouts.append(row)
        box = QWidget()
        texts = QVBoxLayout(box)
        texts.setContentsMargins(0, 0, 0, 0)
        label = plain_label(question.text.get(language))
        label.setProperty("question", "true")  # bold, by the theme: a style sheet of its own per label cost time
        texts.addWidget(label)
        problem = plain_label("", "problem")
        problem.hide()
        texts.addWidget(problem)
        texts.addStretch(1)
        row.addWidget(box)
        self.text_boxes.append(box)
        group = QButtonGroup(frame)
        group.setExclusive(True)
        for option in question.options:
            button = QRadioButton()
            cell = OptionRow(button, option.text.get(language))
            self._cover(cell)
            group.addButton(button)
            button.setChecked(value == option.code)
            cell._restyle(button.isChecked())
            button.toggled.connect(lambda on, qid=question.id, code=option.code: on and on_change(qid, code))
            row.addWidget(cell)
            self.cells.append(cell)
        row.addStretch(1)
        self.rows[question.id] = frame
        self.labels[question.id] = label
        self.problems[question.id] = problem
        return frame

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_columns()

    @staticmethod
    def _cover(cell: OptionRow) -> None:
        """The header names the answer, so the cell's label is empty and laid over the centred button: the finger
        lands on the label, as on any option row, and the row takes the tap (a drag from it only scrolls). The
        button keeps the answer as its name for read-aloud and screen readers."""
        name = cell.label.text()
        cell.label.setText("")
        cell.button.setAccessibleName(name)
        cell.button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = cell.layout()
        box.removeWidget(cell.button)
        box.removeWidget(cell.label)
        stack = QGridLayout()
        stack.addWidget(cell.button, 0, 0, Qt.AlignmentFlag.AlignCenter)
        stack.addWidget(cell.label, 0, 0)
        box.addLayout(stack)
        cell.label.raise_()
        cell.stack = stack  # type: ignore[attr-defined]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_columns()
        super().changeEvent(event)

    def showEvent(self, event: QEvent) -> None:  # noqa: N802
        self._fit_columns()
        super().showEvent(event)

    def _fit_columns(self) -> None:
        """Every column as wide as the widest single header word needs, so headers wrap between words only."""
        widest = max((header.fontMetrics().horizontalAdvance(word) for header in self.headers
                      for word in header.text().split()), default=0)
        width = max(MIN_COLUMN, widest + 12)
        columns = len(self.answers)
        room = self.width()  # the page's width inside its margins: columns never widen it past the screen
        stacked = self.isVisible() and columns * (width + 8) + MIN_TEXT > room
        for header in self.headers:
            header.setFixedWidth(width)
        # the text column no wider than reads well, so the answers sit near the words they answer
        text = max(MIN_TEXT, min(MAX_TEXT, room - columns * (width + 8) - 8))
        heads = [self.head] + ([self.pinned] if self.pinned is not None else [])
        for spacer in (w for head in heads for w in head.findChildren(QWidget, "scale-head-spacer")):
            spacer.setFixedWidth(text)
        for box in self.text_boxes:
            if stacked:
                box.setMinimumWidth(0)
                box.setMaximumWidth(16777215)
            else:
                box.setFixedWidth(text)
        if self.arranged != (stacked, width):
            self._arrange(stacked, width)

    def _arrange(self, stacked: bool, width: int) -> None:
        """Columns under the header, or (too narrow) each item's answers as labelled rows under its text.

        Only when that changes: setting out 36 cells again lays out and repaints each of them, and showing
        the page (or resizing it to the same width) asks for it again."""
        self.stacked = stacked
        self.arranged = (stacked, width)
        self.head.setVisible(not stacked)
        if stacked and self.pinned is not None:
            self.pinned.hide()
        for row in self.row_layouts:
            row.setDirection(QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight)
        for cell in self.cells:
            cell.label.setText(cell.button.accessibleName() if stacked else "")
            cell.stack.setAlignment(cell.button, (Qt.AlignmentFlag.AlignLeft if stacked else Qt.AlignmentFlag.AlignHCenter)
                                    | Qt.AlignmentFlag.AlignVCenter)
            cell.label.setIndent(56 if stacked else 0)  # in a list, the answer's words sit right of the button
            if stacked:
                cell.setMinimumWidth(0)
                cell.setMaximumWidth(16777215)
            else:
                cell.setFixedWidth(width)
