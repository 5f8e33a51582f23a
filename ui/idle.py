"""Idle timeout: a warning with a countdown and a big "I'm still here", then a full wipe.

Any touch, click or key anywhere in the application restarts the timer. When
the countdown ends, the controller abandons the session: the patient's
answers leave memory and every widget, and the next person sees welcome.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QVBoxLayout, QWidget

from ui.controls import plain_label

ACTIVITY = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.Wheel,
}


class IdleWarning(QDialog):
    def __init__(self, parent: QWidget, still_here_text: str) -> None:
        super().__init__(parent)
        self.setObjectName("idle-warning")
        self.setModal(True)
        self.setMinimumWidth(min(720, parent.width() - 40))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(24)
        self.message = plain_label("", "title")
        layout.addWidget(self.message)
        self.button = QPushButton(still_here_text)
        self.button.setObjectName("still-here")  # its size is in the theme: a style sheet overrides setMinimumSize
        self.button.setAccessibleName(still_here_text)
        self.button.setDefault(True)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button.clicked.connect(self.accept)

    def fit(self) -> None:
        """Size to the wrapped message (a top-level window does not do it by itself) and centre on the kiosk."""
        self.ensurePolished()
        self.message.ensurePolished()
        width = self.minimumWidth()
        self.resize(width, self.layout().totalHeightForWidth(width))
        parent = self.parentWidget()
        centre = parent.mapToGlobal(parent.rect().center())
        self.move(centre.x() - self.width() // 2, centre.y() - self.height() // 2)


class IdleWatcher(QObject):
    """Counts idle seconds while `active()` says a patient is mid-intake."""

    def __init__(self, window: QWidget, timeout_s: int, warning_s: int, active: Callable[[], bool],
                 texts: Callable[[str], str], on_timeout: Callable[[], None]) -> None:
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
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in ACTIVITY and self.dialog is None:
            self.idle_s = 0
        return False

    def tick(self) -> None:
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
            self.dialog.fit()
            self.dialog.open()
        self.dialog.message.setText(text)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.blockSignals(True)
            dialog.done(0)
            dialog.deleteLater()
