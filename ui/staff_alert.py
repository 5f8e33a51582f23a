"""How staff learn a patient needs someone, without bystanders reading anything on the patient's screen.

`Settings.staff_alert` chooses the signal: "sound" (the system beep), "marker"
(a small coloured square in the top-left corner, no words), "sound+marker",
or "none" (the staff console alone). The same path serves "Need help?" and an
urgent answer. The marker stays until a staff member makes the hidden staff
gesture (long press on the clinic name), so it is not lost when the patient
moves on or the next patient starts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QFrame, QWidget

from kiosk.settings import STAFF_ALERTS as MODES
MARKER_SIZE = 16


class StaffAlert(QObject):
    """Plays the configured signal; `marker` is a wordless square staff recognise from across the room."""

    def __init__(self, window: QWidget, mode: str, beep: Callable[[], None] = QApplication.beep) -> None:
        super().__init__(window)
        self.window = window
        self.set_mode(mode)
        self.beep = beep
        self.marker = QFrame(window)
        self.marker.setObjectName("staff-marker")
        self.marker.setFixedSize(MARKER_SIZE, MARKER_SIZE)
        self.marker.setAccessibleName("")
        self.marker.move(0, 0)
        self.marker.hide()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"settings.staff_alert is {mode!r}; use one of: {', '.join(MODES)}")
        self.mode = mode

    def alert(self, reason: str) -> None:
        if "sound" in self.mode:
            self.beep()
        if "marker" in self.mode:
            self.marker.show()
            self.marker.raise_()

    def clear(self) -> None:
        self.marker.hide()
