"""The person of one visit: whether the match is confirmed, the timeline, and the changes staff make to it
(confirm a suggested match, say it is someone else, split a wrongly linked visit off, merge with another record).

Everything goes through the console controller; the core checks the right and writes the audit entry.
`changed` fires after a change so the console redraws the preview (its "Since last visit" marks follow it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QVBoxLayout, QWidget

from kiosk.console.controller import QueueQuery, StaffConsole
from kiosk.console.forms import query_from_form
from kiosk.staff.rights import Action, needed_for
from ui.console.common import ask, button, console_style, label, line
from ui.console.timeline import TimelineView


class PersonDialog(QDialog):
    changed = Signal()

    def __init__(self, console: StaffConsole, submission_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Person and timeline")
        self.setObjectName("person")
        self.setStyleSheet(console_style())
        self.console = console
        self.submission_id = submission_id
        self.confirm_box: QMessageBox | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = label("", "Match")
        top.addWidget(self.summary, 1)
        self.confirm_button = button("Same person: confirm", self.confirm_match, top)
        self.reject_button = button("Not the same person", self.reject_match, top)
        self.split_button = button("Split this visit off", self.split_off, top)
        self.close_button = button("Close", self.accept, top)
        layout.addLayout(top)
        self.timeline = TimelineView()
        layout.addWidget(self.timeline, 1)
        layout.addLayout(self._merge_bar())
        self.message = label("", "message")
        layout.addWidget(self.message)
        allowed = console.can(Action.PEOPLE)
        for widget in (self.confirm_button, self.reject_button, self.split_button, self.merge_button,
                       self.find_button):
            widget.setEnabled(allowed)
            widget.setToolTip("" if allowed else f"Needs {needed_for(Action.PEOPLE)}")
        if parent is not None:
            self.setGeometry(parent.geometry())  # as large as the console: four charts and a table
        self.refresh()

    def _merge_bar(self) -> QVBoxLayout:
        """Find another record (a typo in the name, say) by name and date of birth, then merge it in."""
        box = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(label("Merge with:", "Merge with"))
        self.merge_name = line("Other record's name", "Name, or its start", max_length=120)
        self.merge_dob = line("Other record's date of birth", "Date of birth MM/DD/YYYY", max_length=10)
        for field in (self.merge_name, self.merge_dob):
            field.returnPressed.connect(self.find_other)
            row.addWidget(field)
        self.find_button = button("Find", self.find_other, row)
        self.merge_button = button("Merge into this person", self.ask_merge, row)
        box.addLayout(row)
        self.found = QListWidget()
        self.found.setAccessibleName("Records found")
        self.found.setMaximumHeight(130)
        self.found.setVisible(False)  # only while there is something to pick: the timeline needs the room
        box.addWidget(self.found)
        return box

    def refresh(self) -> None:
        timeline = self.console.timeline(self.submission_id)
        view = timeline.view
        self.summary.setText(view.summary())
        self.timeline.show_timeline(timeline)
        allowed = self.console.can(Action.PEOPLE)
        has_suggestion = bool(view.suggested)
        self.confirm_button.setVisible(has_suggestion or view.ambiguous)
        self.confirm_button.setEnabled(allowed and has_suggestion)
        self.reject_button.setVisible(has_suggestion)
        self.split_button.setVisible(view.confirmed and len(view.visits) > len(view.suggested) + 1)

    def _change(self, change: object) -> None:
        try:
            text = change() if callable(change) else ""
        except (ValueError, PermissionError, KeyError) as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(str(text))
        self.refresh()
        self.changed.emit()

    def confirm_match(self) -> None:
        self._change(lambda: self.console.confirm_person(self.submission_id))

    def reject_match(self) -> None:
        self._change(lambda: self.console.reject_person(self.submission_id))

    def split_off(self) -> None:
        self._change(lambda: self.console.split_person(self.submission_id))

    def find_other(self) -> None:
        self.found.clear()
        self.found.setVisible(False)
        query, problems = query_from_form(self.merge_name.text(), self.merge_dob.text(), "", "")
        if problems or query == QueueQuery():
            self.message.setText("\n".join(problems) or "Type a name or a date of birth to find the other record.")
            return
        mine = set(self.console.person(self.submission_id).ids())
        for row in self.console.rows(query, 0, 50):
            if row.id in mine:
                continue
            when = row.submitted_at.astimezone().strftime("%Y-%m-%d") if row.submitted_at else "-"
            item = QListWidgetItem(f"{row.name_text}   born {row.dob}   visit {when}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.found.addItem(item)
        self.message.setText(f"{self.found.count()} other record(s) found" if self.found.count() else
                             "No other record found")
        if self.found.count():
            self.found.setVisible(True)
            self.found.setCurrentRow(0)

    def ask_merge(self) -> None:
        """Merging puts another record's numbers on this person's page: staff say yes first."""
        item = self.found.currentItem()
        if item is None:
            self.message.setText("Find the other record first, then pick it in the list.")
            return
        other = str(item.data(Qt.ItemDataRole.UserRole))
        self.confirm_box = ask(self, QMessageBox.Icon.Question, "Merge these records?",
                               f"{item.text()}\n\nMerge this record and its visits into this person?",
                               "Yes, same person", lambda: self.merge_with(other))

    def merge_with(self, other_id: str) -> None:
        self._change(lambda: self.console.merge_people(self.submission_id, other_id))
        self.found.clear()
        self.found.setVisible(False)
