"""First-run setup: the clinic, the first (admin) staff account, and the one-time recovery key.

Shown before any patient screen when no staff account exists. There is no
default password; the recovery key is shown once and the staff must confirm
they wrote it down before the kiosk goes on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from kiosk.console.forms import MIN_PASSPHRASE, setup_problems
from ui.console.common import button, console_style, label, line

WARNING = ("Patient answers are stored encrypted. They can only be read with a staff passphrase or the recovery key "
           "shown on the next screen. If every staff passphrase is lost and the recovery key is lost too, "
           "the stored answers can never be read again, by anyone.")


class SetupDialog(QDialog):
    """`setup(clinic, admin, passphrase)` creates the install and returns the recovery key."""

    def __init__(self, setup: Callable[[str, str, str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up this kiosk")
        self.setObjectName("setup")
        self.setup = setup
        self.recovery_key = ""
        self.setStyleSheet(console_style())
        self.pages = QStackedWidget()
        self.pages.setMaximumWidth(960)  # on a full screen the form stays a readable column in the middle
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = label("Set up this kiosk", "title")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title)
        layout.addWidget(self.pages, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.addWidget(label("Before patients can use this kiosk, create the clinic and its first "
                                    "staff account (an administrator)."))
        form = QFormLayout()
        form.setVerticalSpacing(16)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.clinic = line("Clinic name", max_length=120)
        self.admin = line("Administrator name", max_length=80)
        self.passphrase = line("Passphrase", f"at least {MIN_PASSPHRASE} characters", secret=True, max_length=256)
        self.again = line("Passphrase again", secret=True, max_length=256)
        for text, widget in (("Clinic name", self.clinic), ("Administrator name", self.admin),
                             ("Passphrase", self.passphrase), ("Passphrase again", self.again)):
            form.addRow(label(text), widget)
        form_layout.addLayout(form)
        form_layout.addWidget(label(WARNING, "warning"))
        self.problems = label("", "problems")
        form_layout.addWidget(self.problems)
        self.create_button = button("Create", self.create, form_layout)
        self.create_button.setDefault(True)
        self.pages.addWidget(form_page)

        key_page = QWidget()
        key_layout = QVBoxLayout(key_page)
        key_layout.addWidget(label("Recovery key. Write it down now and keep it locked away from the kiosk. "
                                   "It is shown only this once and is not stored anywhere readable."))
        self.key_field = QLineEdit()
        self.key_field.setReadOnly(True)
        self.key_field.setAccessibleName("Recovery key")
        key_layout.addWidget(self.key_field)
        self.confirm = QCheckBox("I have written down the recovery key and stored it safely")
        self.confirm.setAccessibleName("Confirm recovery key written down")
        key_layout.addWidget(self.confirm)
        self.finish_button = button("Finish", self.accept, key_layout)
        self.finish_button.setEnabled(False)
        self.confirm.toggled.connect(self.finish_button.setEnabled)
        self.pages.addWidget(key_page)

    def create(self) -> None:
        problems = setup_problems(self.clinic.text(), self.admin.text(), self.passphrase.text(), self.again.text())
        if problems:
            self.problems.setText("\n".join(problems))
            return
        try:
            self.recovery_key = self.setup(self.clinic.text().strip(), self.admin.text().strip(), self.passphrase.text())
        except Exception as exc:  # noqa: BLE001 - the message names what failed; nothing was half-shown
            self.problems.setText(f"Setup failed: {exc}")
            return
        self.passphrase.clear()
        self.again.clear()
        self.key_field.setText(self.recovery_key)
        self.pages.setCurrentIndex(1)

    def reject(self) -> None:
        """Once the key is shown, the dialog only closes through the confirmation."""
        if self.pages.currentIndex() == 0:
            super().reject()

    def done(self, result: int) -> None:
        self.key_field.clear()
        super().done(result)
