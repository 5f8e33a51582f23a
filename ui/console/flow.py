"""The way between the patient kiosk and the console: staff exit -> unlock -> console -> lock -> kiosk.

One patient in memory at a time: a session in progress is abandoned (kept for
staff per settings, wiped from the screen) before the console opens, and the
kiosk window is hidden while the console shows. Locking forgets the keys and
brings the kiosk back at its welcome screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from kiosk.console.controller import StaffConsole, StaffData, StaffGate, UnlockRefused
from ui.console.common import fill_screen
from ui.console.setup import SetupDialog
from ui.console.unlock import UnlockDialog
from ui.console.warm_up import warm_up
from ui.console.window import ConsoleWindow


class StaffFlow(QObject):
    """Owns the setup and unlock dialogs and the console window; the kiosk window only asks for it."""

    opened = Signal(object)
    closed = Signal()
    cancelled = Signal()  # the unlock dialog was closed without unlocking

    def __init__(self, gate: StaffGate, make_console: Callable[[StaffData], StaffConsole], kiosk: QWidget,
                 abandon: Callable[[], None], show_kiosk: Callable[[], None], full_screen: bool = True) -> None:
        super().__init__(kiosk)
        self.gate = gate
        self.make_console = make_console
        self.kiosk = kiosk
        self.abandon = abandon
        self.show_kiosk = show_kiosk
        self.full_screen = full_screen
        self.unlock_dialog: UnlockDialog | None = None
        self.window: ConsoleWindow | None = None
        self._data: StaffData | None = None

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
            self._data = self.gate.unlock(name, passphrase, meanwhile=warm_up)  # while the key is derived
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
        else:
            self.cancelled.emit()

    def open_console(self, data: StaffData) -> ConsoleWindow:
        self.abandon()
        self.kiosk.hide()
        window = ConsoleWindow(self.make_console(data), data.settings().console_idle_timeout_s)
        window.locked.connect(self._locked)
        self.window = window
        if self.full_screen:
            fill_screen(window)
        else:
            window.resize(1280, 800)
            window.show()
        self.opened.emit(window)
        return window

    def _locked(self) -> None:
        self.window = None
        self.show_kiosk()
        self.closed.emit()


def first_run_setup(gate: StaffGate, smoke: bool = False, full_screen: bool = True) -> bool:
    """Before any patient screen: run the setup dialog when no staff account exists. True once one does.

    `smoke` (the start-up check) paints the dialog and closes it at once. In full-screen mode it fills the
    screen like the kiosk: the first thing a clinic sees.
    """
    if not gate.needs_setup():
        return True
    dialog = SetupDialog(gate.setup)
    if full_screen:
        fill_screen(dialog)
    if smoke:
        QTimer.singleShot(0, lambda: dialog.done(QDialog.DialogCode.Rejected))
    dialog.exec()
    dialog.deleteLater()
    return not gate.needs_setup()


def attach_staff_console(window: QWidget, abandon: Callable[[], None], gate: StaffGate,
                         make_console: Callable[[StaffData], StaffConsole], kiosk_mode: bool) -> StaffFlow:
    """Connect the kiosk window's hidden staff exit to unlock -> console -> lock -> kiosk (the composition root's part)."""

    def show_kiosk() -> None:
        if kiosk_mode:
            window.setGeometry(QApplication.primaryScreen().geometry())
            window.showFullScreen()
        else:
            window.show()

    flow = StaffFlow(gate, make_console, window, abandon, show_kiosk, full_screen=kiosk_mode)
    window.staff_exit_requested.connect(flow.request_unlock)
    window.staff_flow = flow
    return flow
