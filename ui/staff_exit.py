"""The hidden staff exit: a long press on the clinic name, then a staff passphrase.

A patient tapping around never triggers it by accident (it needs a steady
press of several seconds on one spot), and it shows nothing until then.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

LONG_PRESS_MS = 3000


class LongPress(QObject):
    """Emits `triggered` after the widget has been held down for `hold_ms`."""

    triggered = Signal()

    def __init__(self, widget: QWidget, hold_ms: int = LONG_PRESS_MS) -> None:
        super().__init__(widget)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(self.triggered.emit)
        self.clock = QElapsedTimer()
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.timer.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.Leave):
            self.timer.stop()
        return False
