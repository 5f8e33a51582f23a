"""The unlock dialog: staff name and passphrase. Messages never say which of the two was wrong."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QVBoxLayout, QWidget

from ui.console.common import button, console_style, label, line


class UnlockDialog(QDialog):
    """`attempt(name, passphrase)` returns the core's message (wrong pair, lockout), or None once unlocked."""

    def __init__(self, attempt: Callable[[str, str], str | None], parent: QWidget | None = None,
                 idle_close_s: int = 120) -> None:
        super().__init__(parent)
        self.setWindowTitle("Staff unlock")
        self.setObjectName("unlock")
        self.attempt = attempt
        self.setStyleSheet(console_style())
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = line("Staff name", max_length=80)
        self.passphrase = line("Passphrase", secret=True, max_length=256)
        form.addRow(label("Staff name"), self.name)
        form.addRow(label("Passphrase"), self.passphrase)
        layout.addLayout(form)
        for field in (self.name, self.passphrase):
            field.setMinimumWidth(380)
        self.message = label("", "message")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.cancel_button = button("Cancel", self.reject, buttons)
        self.unlock_button = button("Unlock", self.try_unlock, buttons)
        self.unlock_button.setDefault(True)
        layout.addLayout(buttons)
        # Left open and untouched (staff called away), it closes so the next patient sees the kiosk, not a login.
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_close_s * 1000)
        self.idle.timeout.connect(self.reject)
        self.idle.start()
        for field in (self.name, self.passphrase):
            field.textEdited.connect(lambda _text: self.idle.start())

    def try_unlock(self) -> None:
        self.idle.start()
        problem = self.attempt(self.name.text().strip(), self.passphrase.text())
        self.passphrase.clear()
        if problem is None:
            self.accept()
        else:
            self.message.setText(problem)
            # The box grows to fit a long message (a lock-out) instead of squeezing the passphrase field.
            self.adjustSize()
            self.passphrase.setFocus()
