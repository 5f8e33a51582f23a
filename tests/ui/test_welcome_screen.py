"""The welcome screen: the clinic's name once, and a promised time that is the content's own estimate."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.rules.estimate import promised_minutes
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)


def shown_texts(window) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible() and label.text()]


def test_the_clinic_name_appears_once_on_the_welcome_screen(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    texts = shown_texts(window)
    assert sum("Riverside Clinic" in text for text in texts) == 1, texts


def test_the_welcome_screen_promises_the_estimated_time_in_each_language(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    minutes = promised_minutes(controller.content)
    assert any(f"about {minutes} minutes" in text for text in shown_texts(window))
    controller.set_language("es")
    assert any(f"unos {minutes} minutos" in text for text in shown_texts(window))
