"""A clinic name changed in the console reaches the patient screens when staff lock the console."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from built_kiosk import built_kiosk
from conftest import ADMIN
from kiosk.staff.settings_store import save_settings


def test_new_clinic_name_shows_after_the_console_locks(qtbot, installed, data_dir) -> None:
    with built_kiosk(qtbot, installed, data_dir) as (window, services):
        assert window.windowTitle() == "Riverside Clinic"
        save_settings(services.conn, ADMIN, True, clinic_name="Hillside Recovery")
        window.staff_flow.closed.emit()
        assert window.windowTitle() == "Hillside Recovery"
        shown = [label.text() for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
        assert "Hillside Recovery" in shown and "Riverside Clinic" not in shown


def test_keep_abandoned_turned_on_in_the_console_keeps_the_next_idle_patient(qtbot, installed, data_dir) -> None:
    """The idle wipe asks the setting when the patient walks away, as the staff exit does, not at start-up."""
    with built_kiosk(qtbot, installed, data_dir, keep_abandoned=False, idle_timeout_s=30,
                     idle_warning_s=5) as (window, services):
        save_settings(services.conn, ADMIN, True, keep_abandoned=True)
        controller = window.controller
        controller.start()
        controller.set_answer(services.content.manifest.identity.name, "Rosa Diaz")
        for _ in range(30):
            window.idle.tick()
        assert controller.in_progress() is False
        statuses = [row[0] for row in services.conn.execute("SELECT status FROM submissions")]
        assert statuses == ["abandoned"]


def test_staff_alert_and_idle_timeout_reach_the_next_patient_when_the_console_locks(qtbot, installed,
                                                                                     data_dir) -> None:
    with built_kiosk(qtbot, installed, data_dir) as (window, services):
        assert window.alerts.mode == "sound"
        save_settings(services.conn, ADMIN, True, staff_alert="marker", idle_timeout_s=90, idle_warning_s=20)
        window.staff_flow.closed.emit()
        assert window.alerts.mode == "marker"
        assert (window.idle.timeout_s, window.idle.warning_s, window.thanks_timer.interval()) == (90, 20, 90_000)
