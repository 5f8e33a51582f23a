"""A clinic name changed in the console reaches the patient screens when staff lock the console."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from conftest import ADMIN
from kiosk.services import open_kiosk_services
from kiosk.staff.settings_store import save_settings
from ui.app import build_kiosk


def test_new_clinic_name_shows_after_the_console_locks(qtbot, installed, data_dir) -> None:
    save_settings(installed, ADMIN, True, speech_engine="mock")  # no real voice on a test machine
    installed.close()
    services = open_kiosk_services(data_dir)
    window = build_kiosk(services, kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Riverside Clinic"
    save_settings(services.conn, ADMIN, True, clinic_name="Hillside Recovery")
    window.staff_flow.closed.emit()
    assert window.windowTitle() == "Hillside Recovery"
    shown = [label.text() for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
    assert "Hillside Recovery" in shown and "Riverside Clinic" not in shown
    window.allow_close = True
    services.close()
