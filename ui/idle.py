"""Idle timeout: a warning with a countdown and a big "I'm still here", then a full wipe.

Any touch, click or key anywhere in the application restarts the timer. When
the countdown ends, the controller abandons the session: the patient's
answers leave memory and every widget, and the next person sees welcome.

Hearing a patient once a second is enough: after a touch or key (or a page
change, which only a patient's tap causes) the watcher stops listening until
the next tick. Listening all the time ran Python for each of the thousands of
paint, layout and show events a page change sends to its widgets.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ui.overlay import Overlay

ACTIVITY = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.Wheel,
}


class IdleWarning(Overlay):
    """Covers the whole window, answers included: the next person in line must not read the last patient's name."""

    def __init__(self, parent: QWidget, still_here_text: str) -> None:
        super().__init__(parent, "idle-warning", cover=True)
        self.escape_result = 0
        self.message = self.add_text("", "overlay-title")
        # its size is in the theme: a style sheet overrides setMinimumSize
        (self.button,) = self.add_buttons((still_here_text, 0, "still-here"))


class IdleWatcher(QObject):
    """Counts idle seconds while `active()` says a patient is mid-intake."""

    def __init__(self, window: QWidget, timeout_s: int, warning_s: int, active: Callable[[], bool],
                 texts: Callable[[str], str], on_timeout: Callable[[], None], listen_now: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.timeout_s = timeout_s
        self.warning_s = min(warning_s, timeout_s)
        self.active = active
        self.texts = texts
        self.on_timeout = on_timeout
        self.idle_s = 0
        self.dialog: IdleWarning | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.listening = False
        if listen_now:
            self.listen()

    def listen(self) -> None:
        """The kiosk first listens once its first screen has painted (`listen_now=False`): no patient can have left
        welcome before, where nothing counts, and an application-wide filter seeing the first events of a start
        makes PySide6 set up every Qt object class to find each receiver's own."""
        if not self.listening:
            QApplication.instance().installEventFilter(self)
            self.listening = True

    def heard(self) -> None:
        """The patient is here: count from zero, and stop listening until the next tick (the warning, once shown,
        waits for its own button instead)."""
        if self.dialog is not None:
            return
        self.idle_s = 0
        if self.listening:
            QApplication.instance().removeEventFilter(self)
            self.listening = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in ACTIVITY:
            self.heard()
        return False

    def tick(self) -> None:
        self.listen()
        if not self.active():
            self.idle_s = 0
            self._close_dialog()
            return
        self.idle_s += 1
        left = self.timeout_s - self.idle_s
        if left <= 0:
            self._close_dialog()
            self.idle_s = 0
            self.on_timeout()
        elif left <= self.warning_s:
            self._warn(left)

    def still_here(self) -> None:
        self.idle_s = 0
        self._close_dialog()

    def _warn(self, left: int) -> None:
        text = self.texts("idle_warning").format(seconds=left)
        if self.dialog is None:
            self.dialog = IdleWarning(self.window, self.texts("still_here"))
            self.dialog.finished.connect(lambda _result: self.still_here())  # the button, or Escape
            self.dialog.message.setText(text)
            self.dialog.open()
        self.dialog.message.setText(text)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.blockSignals(True)
            dialog.done(0)
            dialog.deleteLater()
