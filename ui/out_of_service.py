"""Shown instead of the wizard when the kiosk must not take answers (a damaged database).

Patients see one calm sentence in every offered language; a long press on it
shows staff what happened and what to do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content import Content
from ui.controls import plain_label
from ui.staff_exit import LongPress
from ui.theme import style_sheet, theme


class OutOfServiceWindow(QWidget):
    def __init__(self, content: Content, staff_message: str, clinic: str) -> None:
        super().__init__()
        self.setWindowTitle(clinic)
        self.setObjectName("out-of-service")
        self.setStyleSheet(style_sheet(theme("normal", 1)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(plain_label(clinic, "clinic"))
        layout.addStretch(1)
        self.patient_text = plain_label("\n\n".join(content.text("out_of_service", lang) for lang in content.languages), "title")
        self.patient_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.patient_text)
        layout.addStretch(1)
        self.staff_text = plain_label(staff_message)
        self.staff_text.hide()
        layout.addWidget(self.staff_text)
        self.press = LongPress(self.patient_text)
        self.press.triggered.connect(self.staff_text.show)
        self.allow_close = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept() if self.allow_close else event.ignore()
