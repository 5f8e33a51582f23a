"""Small widget helpers shared by the console's windows and dialogs: every label is plain text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QLineEdit, QMessageBox, QPushButton, QWidget


def label(text: str, name: str = "") -> QLabel:
    """A QLabel that can never interpret patient or staff text as rich text."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
        widget.setAccessibleName(name)
    return widget


def button(text: str, slot: Callable[[], object], layout: QLayout | None = None) -> QPushButton:
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


def ask(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, yes_text: str,
        on_yes: Callable[[], object], on_no: Callable[[], object] | None = None) -> QMessageBox:
    """A Yes / Cancel question, opened without blocking: staff confirm before a change they cannot easily take back.

    The text is plain (it may hold patient names or paths), Yes says what it does (`yes_text`), and only that
    button runs `on_yes`; Cancel or closing the box runs `on_no`, if given."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes = box.button(QMessageBox.StandardButton.Yes)
    yes.setText(yes_text)
    box.buttonClicked.connect(lambda clicked: on_yes() if clicked is yes else on_no() if on_no is not None else None)
    box.open()
    return box


def console_style() -> str:
    """The kiosk's own theme (colours, large text, 48 px targets) with what only the console has: tables, tabs."""
    from ui.theme import style_sheet, theme

    t = theme("normal")
    return style_sheet(t) + f"""
    QTableView, QTableWidget, QHeaderView::section {{ font-size: {max(12, t.text_size - 4)}pt; }}
    QTableView, QTableWidget, QListWidget {{ background: {t['background']}; alternate-background-color: {t['surface']};
                   gridline-color: {t['border']}; selection-background-color: {t['selected']};
                   selection-color: {t['text']}; border: 2px solid {t['border']}; }}
    QHeaderView::section {{ background: {t['surface']}; color: {t['text']}; font-weight: bold; padding: 8px;
                   border: none; border-bottom: 2px solid {t['border']}; }}
    QListWidget::item {{ padding: 8px; }}
    QTabBar::tab {{ background: {t['surface']}; padding: 12px 24px; min-height: 32px;
                   border: 2px solid {t['border']}; }}
    QTabBar::tab:selected {{ background: {t['selected']}; border-color: {t['accent']}; }}
    QLabel#problems, QLabel#message {{ color: {t['error']}; font-weight: bold; }}
    """


def fill_screen(widget: QWidget) -> None:
    """Full screen on the widget's screen; without a window manager showFullScreen alone leaves a small window."""
    from PySide6.QtGui import QGuiApplication

    screen = widget.screen() or QGuiApplication.primaryScreen()
    widget.setGeometry(screen.geometry())
    widget.showFullScreen()
