"""Small widget helpers shared by the console's windows and dialogs: every label is plain text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QLineEdit, QPushButton


def label(text: str, name: str = "") -> QLabel:
    """A QLabel that can never interpret patient or staff text as rich text."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
        widget.setAccessibleName(name)
    return widget


def button(text: str, slot: Callable[[], object], layout: QBoxLayout | None = None) -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(text)
    widget.clicked.connect(lambda _checked=False: slot())
    if layout is not None:
        layout.addWidget(widget)
    return widget


def line(name: str, placeholder: str = "", secret: bool = False, max_length: int = 200) -> QLineEdit:
    widget = QLineEdit()
    widget.setAccessibleName(name)
    widget.setPlaceholderText(placeholder)
    widget.setMaxLength(max_length)
    if secret:
        widget.setEchoMode(QLineEdit.EchoMode.Password)
    return widget
