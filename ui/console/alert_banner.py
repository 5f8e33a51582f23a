"""The alert banner at the top of an unlocked console: which station needs someone, and why, with a sound.

Each alert from the shared database (kiosk/console/alerts.py) adds a line,
"Needs help - Waiting room tablet 2 - 10:42", with an Acknowledge button, and
rings the desk (the system bell by default). Acknowledging is audited and drops
the line here and at every other console. The banner is empty (hidden) when
nothing waits, and it is shown only where a shared database is configured: one
machine alone keeps the kiosk's own signal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.console.alerts import AlertDesk, AlertListener
from kiosk.storage.alerts import Alert
from ui.console.common import button, label


class _FromListener(QObject):
    """Carries the listener thread's callbacks into the Qt thread (signals emitted there arrive queued here)."""

    alert = Signal(object)
    acknowledged = Signal(str)


class AlertBanner(QFrame):
    def __init__(self, desk: AlertDesk, beep: Callable[[], None] = QApplication.beep,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.beep = beep
        self.setObjectName("alert-banner")
        self.setAccessibleName("Staff alerts")
        # White on a deep red (contrast 7.6:1), whatever the console's theme gives other frames and labels.
        self.setStyleSheet("QFrame#alert-banner, QFrame#alert-line { background: #b00020; border: none; }"
                           "QFrame#alert-banner QLabel { color: white; background: transparent; font-weight: bold; }")
        self.lines = QVBoxLayout(self)
        self.rows: dict[str, QWidget] = {}
        self.alerts: dict[str, Alert] = {}
        self.status = ""
        self.hide()

    @staticmethod
    def text(alert: Alert) -> str:
        return f"{alert.title} - {alert.station} - {alert.raised_at.astimezone().strftime('%H:%M')}"

    def add(self, alert: Alert) -> None:
        if alert.id in self.rows:
            return
        row = QFrame()
        row.setObjectName("alert-line")
        line = QHBoxLayout(row)
        line.setContentsMargins(8, 4, 8, 4)
        words = label(self.text(alert), "Alert")
        words.setTextFormat(Qt.TextFormat.PlainText)
        line.addWidget(words, 1)
        button("Acknowledge", lambda: self.acknowledge(alert.id), line)
        self.lines.addWidget(row)
        self.rows[alert.id] = row
        self.alerts[alert.id] = alert
        self.show()
        self.beep()

    def acknowledge(self, alert_id: str) -> None:
        alert = self.alerts.get(alert_id)
        if alert is None:
            return
        self.status = self.desk.acknowledge(alert)
        self.drop(alert_id)

    def drop(self, alert_id: str) -> None:
        row = self.rows.pop(alert_id, None)
        self.alerts.pop(alert_id, None)
        if row is not None:
            self.lines.removeWidget(row)
            row.deleteLater()
        self.setVisible(bool(self.rows))


def attach_alert_banner(window: QWidget, url: str, beep: Callable[[], None] = QApplication.beep) -> AlertBanner:
    """Put the banner on top of an unlocked console window and listen until it locks (the composition's part)."""
    console = window.console  # type: ignore[attr-defined]
    desk = AlertDesk(url, console.actor, lambda action, target, detail: console.data.record(action, target, detail))
    banner = AlertBanner(desk, beep, window)
    window.layout().insertWidget(0, banner)
    bridge = _FromListener(banner)
    bridge.alert.connect(banner.add)
    bridge.acknowledged.connect(banner.drop)
    listener = AlertListener(url, bridge.alert.emit, bridge.acknowledged.emit)
    banner.listener = listener  # type: ignore[attr-defined]
    # Locking never waits long on a server that is away: the listener thread ends by itself once told to.
    window.locked.connect(lambda: listener.stop(timeout=1.0))  # type: ignore[attr-defined]
    # A window deleted without locking first: no callback reaches the bridge once it is going (stop() waits for
    # one in progress, and none starts after it).
    bridge.destroyed.connect(lambda: listener.stop(timeout=0))
    listener.start()
    window.alert_banner = banner  # type: ignore[attr-defined]
    return banner
