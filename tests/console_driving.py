"""Driving the real staff console from a script in a child process, as staff would: wait for a window or dialog
to show, then act on it; signing in through the unlock dialog is the first step of every such script."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ui.console.unlock import UnlockDialog

POLL_MS = 50


def find(kind: type[QWidget]):
    """The visible top-level window of this kind, or None while it has not shown yet."""
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def when_shown(kind: type[QWidget], act: Callable) -> None:
    """Calls `act(window)` once a window of this kind shows, looking again every POLL_MS until then."""
    window = find(kind)
    if window is None:
        QTimer.singleShot(POLL_MS, lambda: when_shown(kind, act))
        return
    act(window)


def sign_in_then(next_step: Callable[[], None]) -> None:
    """Signs in as KIOSK_STAFF_NAME / KIOSK_STAFF_PASSPHRASE through the unlock dialog, then runs `next_step`."""

    def unlock(dialog: UnlockDialog) -> None:
        dialog.name.setText(os.environ["KIOSK_STAFF_NAME"])
        dialog.passphrase.setText(os.environ["KIOSK_STAFF_PASSPHRASE"])
        dialog.try_unlock()
        QTimer.singleShot(POLL_MS, next_step)

    when_shown(UnlockDialog, unlock)
