"""Answer controls, one per question type: big rows, plain text, limits enforced where the patient types.

Each control reports its value through `on_change` as soon as it changes, so
the controller (and its autosave) always holds the latest answer. Every
label is plain text: patient text is never interpreted as Qt rich text.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Content
from kiosk.content.model import Question

OnChange = Callable[[Any], None]


def plain_label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


class OptionRow(QFrame):
    """A whole-width row holding a radio button or check box and its wrapping label; a tap anywhere selects it."""

    def __init__(self, button: QAbstractButton, text: str) -> None:
        super().__init__()
        self.setObjectName("row")
        self.button = button
        button.setAccessibleName(text)
        button.setMinimumSize(48, 48)
        self.label = plain_label(text)
        self.label.setBuddy(button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(button)
        layout.addWidget(self.label, 1)
        self.setMinimumHeight(56)
        self.pressed = False
        button.toggled.connect(self._restyle)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.pressed = event.button() == Qt.MouseButton.LeftButton
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """A tap is a press and a release on the row: a finger lifted here after dragging the page chooses nothing."""
        tapped = self.pressed and self.rect().contains(event.position().toPoint())
        self.pressed = False
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled() and tapped:
            self.button.click()
        super().mouseReleaseEvent(event)

    def _restyle(self, checked: bool) -> None:
        self.setProperty("checked", "true" if checked else "false")
        if self.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # not yet: polishing will read the property
            self.style().unpolish(self)
            self.style().polish(self)


def _choice(question: Question, language: str, content: Content, value: Any, on_change: OnChange,
            options: list[tuple[Any, str]]) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    group = QButtonGroup(box)
    group.setExclusive(True)
    for code, text in options:
        button = QRadioButton()
        row = OptionRow(button, text)
        group.addButton(button)
        button.setChecked(value == code and value is not None)
        row._restyle(button.isChecked())
        button.toggled.connect(lambda checked, c=code: checked and on_change(c))
        layout.addWidget(row)
    return box


def _multi(question: Question, language: str, content: Content, value: Any, on_change: OnChange) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(plain_label(content.text("select_all", language), "muted"))
    chosen = list(value) if isinstance(value, list) else []
    boxes: dict[str, QCheckBox] = {}
    exclusive = {o.code for o in question.options if o.exclusive}

    def changed(code: str, checked: bool) -> None:
        if checked:
            # "None of these" clears every other answer, and any other answer clears "None of these".
            for other, check in boxes.items():
                if other != code and (code in exclusive or other in exclusive) and check.isChecked():
                    check.blockSignals(True)
                    check.setChecked(False)
                    check.blockSignals(False)
                    rows[other]._restyle(False)
        on_change([c for c, check in boxes.items() if check.isChecked()])

    rows: dict[str, OptionRow] = {}
    for option in question.options:
        check = QCheckBox()
        row = OptionRow(check, option.text.get(language))
        check.setChecked(option.code in chosen)
        row._restyle(check.isChecked())
        check.toggled.connect(lambda checked, c=option.code: changed(c, checked))
        boxes[option.code] = check
        rows[option.code] = row
        layout.addWidget(row)
    return box


def _number(question: Question, language: str, content: Content, value: Any, on_change: OnChange) -> QWidget:
    """A number field with big -/+ buttons; typing is limited to digits within the allowed range."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    low = int(question.min) if question.min is not None else 0
    high = int(question.max) if question.max is not None else 999
    field = QLineEdit("" if value is None else str(value))
    field.setAccessibleName(question.text.get(language))
    field.setValidator(QIntValidator(low, high, field))
    field.setMaxLength(len(str(high)) + (1 if low < 0 else 0))
    field.setMaximumWidth(200)
    field.setAlignment(Qt.AlignmentFlag.AlignCenter)
    minus = QPushButton("−")
    plus = QPushButton("+")
    for button, key in ((minus, "decrease"), (plus, "increase")):
        button.setAccessibleName(button.text())
        button.setAccessibleDescription(f"{content.text(key, language)}: {question.text.get(language)}")
    for button in (minus, plus):
        button.setObjectName("stepper")
        button.setMinimumSize(64, 56)
        button.setAutoRepeat(True)
    hint = plain_label(f"{low} – {high}", "muted", wrap=False)

    def emit(text: str) -> None:
        on_change(int(text) if text.strip().lstrip("-").isdigit() else None)

    def step(delta: int) -> None:
        current = int(field.text()) if field.text().strip().lstrip("-").isdigit() else low - delta if delta > 0 else low
        field.setText(str(max(low, min(high, current + delta))))

    field.textChanged.connect(emit)
    minus.clicked.connect(lambda: step(-1))
    plus.clicked.connect(lambda: step(1))
    layout.addWidget(minus)
    layout.addWidget(field)
    layout.addWidget(plus)
    layout.addWidget(hint)
    layout.addStretch(1)
    return box


def _date(question: Question, language: str, content: Content, value: Any, on_change: OnChange) -> QWidget:
    """Month, day and year picked from large cells, in the content's order: nothing to type."""
    from ui.date_picker import DatePicker, date_order

    labels = {part: content.text(f"date_{part}", language) for part in ("day", "month", "year")}
    months = [name.strip() for name in content.text("months", language).split(",")]
    return DatePicker(value, on_change, order=date_order(content.text("date_order", language)), labels=labels,
                      months=months if len(months) == 12 else _month_names(language),
                      name=question.text.get(language), past_only=question.past_only)


def _text(question: Question, language: str, content: Content, value: Any, on_change: OnChange) -> QWidget:
    """A text field that stops at the limit and says how much room is left while the patient types."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    limit = question.text_limit
    counter = plain_label("", "counter", wrap=False)

    def count(text: str) -> None:
        counter.setText(content.text("chars_left", language).format(left=limit - len(text), limit=limit))

    if question.type == "text":
        field: QWidget = LimitedTextEdit(limit)
        field.setPlainText(value or "")
        field.setMinimumHeight(120)
        field.textChanged.connect(lambda: (count(field.toPlainText()), on_change(field.toPlainText())))
        count(field.toPlainText())
    else:
        line = QLineEdit(value or "")
        line.setMaxLength(limit)
        line.textChanged.connect(lambda text: (count(text), on_change(text)))
        field = line
        count(line.text())
    field.setAccessibleName(question.text.get(language))
    layout.addWidget(field)
    layout.addWidget(counter)
    return box


class LimitedTextEdit(QPlainTextEdit):
    """A multi-line field that refuses text past its limit, typed or pasted."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._trim)

    def _trim(self) -> None:
        text = self.toPlainText()
        if len(text) > self.limit:
            cursor = self.textCursor()
            self.blockSignals(True)
            self.setPlainText(text[: self.limit])
            self.blockSignals(False)
            cursor.setPosition(min(cursor.position(), self.limit))
            self.setTextCursor(cursor)
            self.textChanged.emit()


def _month_names(language: str) -> list[str]:
    if language == "es":
        return ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                "septiembre", "octubre", "noviembre", "diciembre"]
    return list(calendar.month_name)[1:] if language == "en" else [str(n) for n in range(1, 13)]


def build_control(question: Question, language: str, content: Content, value: Any, on_change: OnChange) -> QWidget:
    if question.type == "choice":
        options = [(o.code, o.text.get(language)) for o in question.options]
        return _choice(question, language, content, value, on_change, options)
    if question.type == "boolean":
        options = [(True, content.text("yes", language)), (False, content.text("no", language))]
        return _choice(question, language, content, value, on_change, options)
    if question.type == "multi":
        return _multi(question, language, content, value, on_change)
    if question.type in ("integer", "decimal"):
        return _number(question, language, content, value, on_change)
    if question.type == "date":
        return _date(question, language, content, value, on_change)
    return _text(question, language, content, value, on_change)
