"""Start-up work that the first screen does not wait for: the integrity check of a large file, and retention.

Both run beside the patient window on the event loop, so a start costs the same
with ten submissions or a hundred thousand (see `open_kiosk_database`).
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.system.health import DatabaseHealth, IntegrityCheck
from kiosk.services import KioskServices
from kiosk.storage.db import StorageError

log = logging.getLogger(__name__)


def report_damage(health: DatabaseHealth | None) -> None:
    if health is not None and not health.ok:
        log.error("database not usable; showing out-of-service")
        print(f"naltrexone-kiosk: {health.staff_message}", file=sys.stderr)


class _FirstPaint(QObject):
    """Runs its action once, when the first of `window`'s widgets is painted, then steps aside."""

    def __init__(self, window: QWidget, action: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.action = window, action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.window() is self.window:
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.window, self.action)  # once this paint is on the screen
        return False


def after_first_paint(window: QWidget, action: Callable[[], None]) -> None:
    """`action` once the patient window has painted its first screen.

    The patient window says so itself (`first_paint`). Only a window without that signal is watched through an
    application-wide filter: handing PySide every receiver before the first paint makes it set up dozens of Qt
    classes, which cost a large file's start ~40 ms more than a small one's.
    """
    painted = getattr(window, "first_paint", None)
    if painted is not None:
        painted.connect(action)
        return
    QApplication.instance().installEventFilter(_FirstPaint(window, action))


CHECK_POLL_MS = 100


def replace_if_damaged(integrity: IntegrityCheck, window: QWidget, out_of_service: Callable[[str], QWidget]) -> None:
    """The background check begins once the first screen is painted (a large file's read never competes with
    the start); when it finds damage, the patient window gives way to the out-of-service screen."""

    def poll() -> None:
        if not integrity.started:  # still waiting for the first paint (or a write, which starts it)
            QTimer.singleShot(CHECK_POLL_MS, window, poll)
            return
        health = integrity.result(timeout=0)
        if health is None:
            QTimer.singleShot(CHECK_POLL_MS, window, poll)
        elif not health.ok:
            report_damage(health)
            window.replacement = out_of_service(health.staff_message)
            window.allow_close = True
            window.hide()

    after_first_paint(window, integrity.start)
    QTimer.singleShot(CHECK_POLL_MS, window, poll)


PURGE_BATCH = 200
PURGE_FIRST_MS = 2000  # after the first screen is up: the patient never waits for retention
PURGE_GAP_MS = 50  # between batches, so the screen stays responsive to touches


def purge_after_first_paint(services: KioskServices, window: QWidget, integrity: IntegrityCheck | None = None) -> None:
    """Retention in bounded batches on the event loop, each its own short transaction, once the file is known sound."""

    def batch() -> None:
        if services.closed:  # the kiosk is shutting down: the next start purges what is left
            return
        health = integrity.result(timeout=0) if integrity is not None else None
        if integrity is not None and health is None:
            QTimer.singleShot(PURGE_FIRST_MS, window, batch)  # a purge must not wait on the UI thread for the check
            return
        if health is not None and not health.ok:
            return
        try:
            gone = services.purge_expired(PURGE_BATCH)
        except (sqlite3.Error, StorageError):
            log.exception("retention purge stopped; it is tried again at the next start")
            return
        if gone:
            log.info("retention: %d expired submission(s) purged", gone)
        if gone == PURGE_BATCH:
            QTimer.singleShot(PURGE_GAP_MS, window, batch)

    QTimer.singleShot(PURGE_FIRST_MS, window, batch)
