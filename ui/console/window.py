"""The console window: search, the queue, the PDF preview (QtPdf) and the actions on one submission.

It holds no patient data of its own beyond what is on screen; `lock()` closes
the preview, tells the core to forget the keys and hands back to the kiosk.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.console.controller import SEVERITY_MARK, QueueRow, StaffConsole
from kiosk.console.forms import query_from_form
from kiosk.storage.submissions import SEVERITY_RANK
from kiosk.staff.rights import Action, needed_for
from ui.console.common import ask, button, console_style, label, line
from ui.console.queue_model import QueueModel, fit_columns
from ui.flow_layout import FlowLayout

ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin)
NOTE_LIMIT = 2000


class ConsoleWindow(QWidget):
    """Shown while a staff member is unlocked; `locked` fires when they lock or the idle timer does."""

    locked = Signal()

    def __init__(self, console: StaffConsole, idle_timeout_s: int = 300) -> None:
        super().__init__()
        self.console = console
        self.setWindowTitle("Staff console")
        self.setObjectName("console")
        self.setStyleSheet(console_style())
        self.current: str | None = None
        self.dialog: QDialog | None = None
        self.is_locked = False
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        layout.addLayout(self._search_bar())
        self.search_problems = label("", "Search problems")
        layout.addWidget(self.search_problems)
        splitter = QSplitter()
        splitter.addWidget(self._queue())
        splitter.addWidget(self._side())
        splitter.setStretchFactor(0, 2)  # the queue gets most of the width, so its columns are not cut
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([2000, 1000])  # two thirds from the start too, not what the side's buttons would like
        layout.addWidget(splitter, 1)
        fit_columns(self.table)  # once in the window, whose style sheet sets the table's font
        self._pdf_bytes = QByteArray()
        self._buffer: QBuffer | None = None

        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(max(1, idle_timeout_s) * 1000)
        self.idle.timeout.connect(self.lock)
        self.idle.start()
        QApplication.instance().installEventFilter(self)
        if self.console.audit_findings:  # found by the check made at this unlock; also written into the log
            self.status.setText("Audit log problem found at sign-in: " + "; ".join(self.console.audit_findings))

    # -- layout ------------------------------------------------------------------

    def _top_bar(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.addWidget(label(f"Unlocked by {self.console.actor} ({self.console.role.title})", "Unlocked by"))
        # The actions wrap onto a second line rather than squeeze: a cut-off label is a button nobody can read.
        actions = QWidget()
        bar = FlowLayout(actions)
        bar.setContentsMargins(0, 0, 0, 0)
        top.addWidget(actions, 1)
        self.retry_button = button("Retry print outbox", self.retry_outbox, bar)
        self.export_button = button("Export", self.open_export, bar)
        self.audit_button = button("Audit log", self.open_audit, bar)
        self.settings_button = button("Settings", self.open_settings, bar)
        self.accounts_button = button("Staff accounts", self.open_accounts, bar)
        self.clinic_button = button("Clinic", self.open_clinic, bar)
        self.system_button = button("System check", self.open_system_check, bar)
        for widget, action in ((self.export_button, Action.EXPORT), (self.audit_button, Action.AUDIT),
                               (self.settings_button, Action.SETTINGS), (self.system_button, Action.SETTINGS),
                               (self.accounts_button, Action.ACCOUNTS),
                               (self.retry_button, Action.PRINT), (self.clinic_button, Action.FIND)):
            widget.setVisible(self.console.can(action))
        self.lock_button = button("Lock", self.lock, bar)
        return top

    def _search_bar(self) -> QHBoxLayout:
        search = QHBoxLayout()
        self.name_field = line("Name", "Name, or its start: Lope finds Lopez", max_length=120)
        self.dob_field = line("Date of birth", "Date of birth MM/DD/YYYY", max_length=10)
        self.since_field = line("From", "From YYYY-MM-DD", max_length=10)
        self.until_field = line("To", "To YYYY-MM-DD", max_length=10)
        for field in (self.name_field, self.dob_field, self.since_field, self.until_field):
            field.returnPressed.connect(self.search)
            search.addWidget(field)
        self.search_button = button("Search", self.search, search)
        self.clear_button = button("Show all", self.clear_search, search)
        return search

    def _queue(self) -> QTableView:
        self.model = QueueModel(self.console, self.console.page_size)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # a long reason or name takes a second line in its finger-sized row
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(52)  # a finger-sized row
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName("Submissions")
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self.open_row(current.row()))
        return self.table

    def _side(self) -> QWidget:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        self.document = QPdfDocument(self)
        self.preview = QPdfView()
        self.preview.setAccessibleName("Preview")
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        side_layout.addWidget(self.preview, 1)
        self.review_label = label("", "Review")
        review_row = QHBoxLayout()
        review_row.addWidget(self.review_label, 1)
        side_layout.addLayout(review_row)
        actions = QGridLayout()  # two by two, the two widest in one column: in one row they cut labels at 1280 px
        self.print_button = button("Print", self.print_current)
        self.review_button = button("Mark reviewed", self.review_current)
        self.person_button = button("Timeline", self.open_person)  # the person: match, merge, split, charts
        self.dose_button = button("Shot / pills given...", self.open_dose)
        for at, widget in enumerate((self.print_button, self.review_button, self.person_button, self.dose_button)):
            actions.addWidget(widget, at // 2, at % 2)
        side_layout.addLayout(actions)
        self.undo_button = button("Undo review", self.undo_review, review_row)
        self.undo_button.setVisible(False)
        self._undo: tuple[str, str] | None = None
        self.confirm: QMessageBox | None = None
        self.note_field = QPlainTextEdit()
        self.note_field.setAccessibleName("Staff note")
        self.note_field.setPlaceholderText(f"Staff note, printed on later copies (up to {NOTE_LIMIT} characters)")
        self.note_field.setMaximumHeight(90)
        note_row = QHBoxLayout()  # the note beside its button, so four action buttons leave the preview its height
        note_row.addWidget(self.note_field, 1)
        self.note_button = button("Save note", self.save_note, note_row)
        side_layout.addLayout(note_row)
        self.status = label("", "Status")
        side_layout.addWidget(self.status)
        for widget in (self.print_button, self.review_button, self.note_button, self.dose_button, self.person_button):
            widget.setEnabled(False)
        return side

    # -- queue -------------------------------------------------------------------

    def search(self) -> None:
        query, problems = query_from_form(self.name_field.text(), self.dob_field.text(), self.since_field.text(),
                                          self.until_field.text())
        self.search_problems.setText("\n".join(problems))
        self._close_preview()
        if problems:
            # Rows left from the last search would read as the answer to this one.
            self.model.clear()
            self.status.setText("Nothing searched: correct the field named above.")
            return
        self.model.search(query)
        self.status.setText(f"{self.model.total} submission(s) found")

    def clear_search(self) -> None:
        for field in (self.name_field, self.dob_field, self.since_field, self.until_field):
            field.clear()
        self.search()

    def open_row(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        submission_id = self.model.row_at(row).id
        if submission_id == self.current:
            return
        self.current = submission_id
        try:
            self.show_pdf(self.console.pdf(submission_id))
        except Exception as exc:  # noqa: BLE001 - one unreadable submission must not close the console
            self._drop_pdf()
            self.status.setText(f"This submission cannot be shown: {type(exc).__name__}: {exc}")
        self.note_field.setPlainText(self.console.note(submission_id))
        self.review_label.setText(self.console.review_text(submission_id))
        self.print_button.setText("Reprint" if self.model.row_at(row).printed else "Print")
        self._enable_actions()

    def show_pdf(self, pdf: bytes) -> None:
        """Load the PDF from memory (QBuffer): the preview never writes patient data to a temp file."""
        self._drop_pdf()
        self._pdf_bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._pdf_bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    def _drop_pdf(self) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._pdf_bytes = QByteArray()

    def _close_preview(self) -> None:
        self.current = None
        self._drop_pdf()
        self.note_field.clear()
        self.review_label.clear()
        for widget in (self.print_button, self.review_button, self.note_button, self.dose_button, self.person_button):
            widget.setEnabled(False)

    def _enable_actions(self) -> None:
        """Only what this account's role may do is enabled; the rest stays grey (and the core refuses it anyway)."""
        for widget, action in ((self.print_button, Action.PRINT), (self.review_button, Action.REVIEW),
                               (self.note_button, Action.NOTE), (self.dose_button, Action.DOSE)):
            widget.setEnabled(self.console.can(action))
            widget.setToolTip("" if self.console.can(action) else f"Needs {needed_for(action)}")
        self.person_button.setEnabled(True)  # seeing the match and timeline needs only the preview right

    # -- actions on the open submission ---------------------------------------------

    def print_current(self) -> None:
        if self.current:
            ok, message = self.console.print(self.current)
            self.status.setText(message)
            if ok:
                row = self.model.rows_loaded[self.model.find(self.current)]
                self.model.update(self.current, printed=True, status="printed" if row.status == "new" else row.status)
                self.print_button.setText("Reprint")

    def review_current(self) -> None:
        """An urgent or stop row asks first: marking it reviewed takes it off the top of the queue."""
        if not self.current:
            return
        row = self.model.rows_loaded[self.model.find(self.current)]
        if row.severity > SEVERITY_RANK["stop"]:
            self._mark_reviewed(row)
            return
        self.confirm = ask(self, QMessageBox.Icon.Warning, "Mark reviewed?",
                           f"This submission is {SEVERITY_MARK[row.severity]}"
                           + (f" ({row.reason})" if row.reason else "") + ".\nHas a clinician dealt with it?",
                           "Yes, mark reviewed",
                           lambda: self._mark_reviewed(row) if self.current == row.id else None)

    def _mark_reviewed(self, row: QueueRow) -> None:
        self.console.mark_reviewed(row.id)
        self.model.update(row.id, status="reviewed")
        self.review_label.setText(self.console.review_text(row.id))
        self.status.setText(f"Marked reviewed by {self.console.actor}")
        self._undo = (row.id, row.status)
        self.undo_button.setVisible(True)

    def undo_review(self) -> None:
        if self._undo is None:
            return
        submission_id, status = self._undo
        self._undo = None
        self.undo_button.setVisible(False)
        self.console.undo_review(submission_id, status)
        self.model.update(submission_id, status=status)
        if self.current == submission_id:
            self.review_label.setText(self.console.review_text(submission_id))
        self.status.setText(f"Review taken back; the submission is {status} again")

    def save_note(self) -> None:
        if self.current:
            text = self.note_field.toPlainText()
            if len(text) > NOTE_LIMIT:
                self.status.setText(f"The note is {len(text)} characters long; the limit is {NOTE_LIMIT}. Nothing saved.")
                return
            self.console.add_note(self.current, text)
            self.status.setText("Note saved; it appears on later prints")

    def retry_outbox(self) -> None:
        self.status.setText(self.console.retry_outbox())

    def open_dose(self) -> None:
        from ui.console.dose import DoseDialog

        if self.current:
            current = self.current
            self._show_dialog(DoseDialog(self.console, current, lambda text: self._dose_saved(current, text), self))

    def _dose_saved(self, submission_id: str, text: str) -> None:
        """The record is on this visit's page 1: the preview is drawn again to show it."""
        self.status.setText(text)
        if self.current == submission_id:
            self.show_pdf(self.console.pdf(submission_id))

    # -- dialogs -------------------------------------------------------------------

    def _show_dialog(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_audit(self) -> None:
        from ui.console.audit import AuditDialog

        self._show_dialog(AuditDialog(self.console, self))

    def open_export(self) -> None:
        from ui.console.export import ExportDialog

        self._show_dialog(ExportDialog(self.console, self))

    def open_settings(self) -> None:
        from ui.console.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.console, self)
        dialog.setGeometry(self.geometry())  # room for every setting at the console's text size
        self._show_dialog(dialog)

    def open_clinic(self) -> None:
        from ui.console.clinic import ClinicDialog

        dialog = ClinicDialog(self.console, self)
        dialog.setGeometry(self.geometry())  # as large as the console: charts need the room
        self._show_dialog(dialog)

    def open_person(self) -> None:
        """The open visit's person: the match, the timeline, confirm / merge / split (then page 1 is drawn again)."""
        from ui.console.person import PersonDialog

        if self.current:
            dialog = PersonDialog(self.console, self.current, self)
            dialog.changed.connect(self._person_changed)
            self._show_dialog(dialog)

    def _person_changed(self) -> None:
        """Page 1 is drawn again and the queue's "match to confirm" markers follow the change."""
        self.model.recheck_matches()
        if self.current:
            self.show_pdf(self.console.pdf(self.current))

    def open_system_check(self) -> None:
        from ui.console.system_check import SystemCheckDialog

        self._show_dialog(SystemCheckDialog(self.console, self))

    def open_accounts(self) -> None:
        from ui.console.accounts import AccountsDialog

        self._show_dialog(AccountsDialog(self.console, self))

    # -- lock --------------------------------------------------------------------

    def lock(self) -> None:
        """Forget the keys and every patient detail on screen, then hand back to the patient kiosk."""
        if self.is_locked:
            return
        self.is_locked = True
        QApplication.instance().removeEventFilter(self)
        self.idle.stop()
        for box in (self.dialog, self.confirm):
            if box is not None:
                box.close()
        self._undo = None
        self._close_preview()
        self.model.clear()
        self.console.lock()
        self.hide()
        self.locked.emit()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Closing the window is locking it: the keys never outlive the console."""
        self.lock()
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in ACTIVITY and not self.is_locked:
            self.idle.start()
        return False
