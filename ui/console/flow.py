"""The way between the patient kiosk and the console: staff exit -> unlock -> console -> lock -> kiosk.

One patient in memory at a time: a session in progress is abandoned (kept for
staff per settings, wiped from the screen) before the console opens, and the
kiosk window is hidden while the console shows. Locking forgets the keys and
brings the kiosk back at its welcome screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from kiosk.console import StaffConsole, StaffData, StaffGate, UnlockRefused
from ui.console.setup import SetupDialog
from ui.console.unlock import UnlockDialog
from ui.console.window import ConsoleWindow


class StaffFlow(QObject):
    """Owns the setup and unlock dialogs and the console window; the kiosk window only asks for it."""

    opened = Signal(object)
    closed = Signal()

    def __init__(self, gate: StaffGate, make_console: Callable[[StaffData], StaffConsole], kiosk: QWidget,
                 abandon: Callable[[], None], show_kiosk: Callable[[], None], full_screen: bool = True) -> None:
        super().__init__(kiosk)
        self.gate = gate
        self.make_console = make_console
        self.kiosk = kiosk
        self.abandon = abandon
        self.show_kiosk = show_kiosk
        self.full_screen = full_screen
        self.setup_dialog: SetupDialog | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.window: ConsoleWindow | None = None
        self._data: StaffData | None = None

    # -- first run -----------------------------------------------------------------

    def begin(self, show: Callable[[], None], cancelled: Callable[[], None]) -> None:
        """Show the kiosk via `show`, after the first-run setup if no staff account exists yet."""
        if not self.gate.needs_setup():
            show()
            return
        self.setup_dialog = SetupDialog(self.gate.setup)
        self.setup_dialog.accepted.connect(show)
        self.setup_dialog.rejected.connect(cancelled)
        self.setup_dialog.open()

    # -- unlock ----------------------------------------------------------------------

    def request_unlock(self) -> None:
        """The hidden staff exit (or start-up) asks for the console; a second request while one is open is ignored."""
        if self.unlock_dialog is not None or self.window is not None:
            return
        self.unlock_dialog = UnlockDialog(self._attempt, self.kiosk)
        self.unlock_dialog.finished.connect(self._unlock_finished)
        self.unlock_dialog.open()

    def _attempt(self, name: str, passphrase: str) -> str | None:
        try:
            self._data = self.gate.unlock(name, passphrase)
        except UnlockRefused as refused:
            return str(refused)
        return None

    def _unlock_finished(self, result: int) -> None:
        dialog, self.unlock_dialog = self.unlock_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        data, self._data = self._data, None
        if result == QDialog.DialogCode.Accepted and data is not None:
            self.open_console(data)

    def open_console(self, data: StaffData) -> ConsoleWindow:
        self.abandon()
        self.kiosk.hide()
        window = ConsoleWindow(self.make_console(data), data.settings().console_idle_timeout_s)
        window.locked.connect(self._locked)
        self.window = window
        if self.full_screen:
            window.showFullScreen()
        else:
            window.resize(1280, 800)
            window.show()
        self.opened.emit(window)
        return window

    def _locked(self) -> None:
        self.window = None
        self.show_kiosk()
        self.closed.emit()
