"""Staff accounts, admins only: each person has their own name and passphrase, so every action is attributable."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.console.controller import StaffConsole
from kiosk.console.forms import MIN_PASSPHRASE, passphrase_problem
from kiosk.staff.rights import Role
from ui.console.common import button, label, line


class AccountsDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Staff accounts")
        self.setObjectName("accounts")
        self.console = console
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(("Name", "Role", "Created"))
        self.table.setAccessibleName("Staff accounts")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.remove_button = button("Remove selected account", self.remove, layout)
        layout.addWidget(label("Add a staff member. Each person gets their own passphrase; never share one."))
        form = QFormLayout()
        self.name = line("New staff name", max_length=80)
        self.passphrase = line("New passphrase", f"at least {MIN_PASSPHRASE} characters", secret=True, max_length=256)
        self.again = line("New passphrase again", secret=True, max_length=256)
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        for role in Role:
            self.role.addItem(role.title.capitalize(), role)
        self.role.setCurrentIndex(list(Role).index(Role.CLINICIAN))
        for text, widget in (("Name", self.name), ("Passphrase", self.passphrase), ("Passphrase again", self.again),
                             ("Role", self.role)):
            form.addRow(label(text), widget)
        layout.addWidget(label("Front desk: find, preview, print, notes. Clinician: also mark reviewed. "
                               "Administrator: also settings, accounts, export, purge, backup, audit log."))
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.add_button = button("Add account", self.add, buttons)
        self.close_button = button("Close", self.accept, buttons)
        layout.addLayout(buttons)
        self.message = label("", "message")
        layout.addWidget(self.message)
        self.pending_removal: str | None = None
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reload()

    def _selection_changed(self) -> None:
        self.pending_removal = None

    def reload(self) -> None:
        accounts = self.console.accounts()
        self.table.setRowCount(len(accounts))
        for row, account in enumerate(accounts):
            cells = (account.name, account.role.title,
                     account.created_at.astimezone().strftime("%Y-%m-%d"))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def add(self) -> None:
        name = " ".join(self.name.text().split())
        problem = "Enter the staff member's name." if not name else passphrase_problem(self.passphrase.text(),
                                                                                       self.again.text())
        if problem:
            self.message.setText(problem)
            return
        try:
            self.console.add_account(name, self.passphrase.text(), self.role.currentData())
        except Exception as exc:  # noqa: BLE001 - the core says why (permission, duplicate, weak passphrase)
            self.message.setText(f"Not added: {exc}")
            return
        for field in (self.name, self.passphrase, self.again):
            field.clear()
        self.role.setCurrentIndex(list(Role).index(Role.CLINICIAN))
        self.message.setText(f"Added {name}.")
        self.reload()

    def remove(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self.message.setText("Select the account to remove first.")
            return
        name = self.table.item(row, 0).text()
        if self.pending_removal != name:
            self.pending_removal = name
            self.message.setText(f"Remove {name}? They will no longer be able to unlock the console. "
                                 "Click 'Remove selected account' again to confirm.")
            return
        self.pending_removal = None
        try:
            left_out = self.console.remove_account(name)
        except Exception as exc:  # noqa: BLE001 - the core says why (permission, validation); shown, not raised
            self.message.setText(f"Not removed: {exc}")
            return
        text = f"Removed {name}. What is stored from now on is sealed to new keys that account never held."
        if left_out:
            text += f" These accounts must be removed and added again to reach the new keys: {', '.join(left_out)}."
        self.message.setText(text)
        self.reload()
