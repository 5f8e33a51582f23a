"""Kiosk behaviour a patient and a bystander notice: idle wipe, help, text size, contrast, targets, read aloud."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QLineEdit, QPushButton, QWidget

from answer_plans import PATIENT_NAME
from kiosk.content import Content
from kiosk.intake import REVIEW, WELCOME, IntakeController, PatientSession
from kiosk.settings import Settings
from kiosk.storage.db import connect
from kiosk.storage.submissions import SubmissionStore
from ui.app import build_window
from ui.controls import OptionRow
from ui.theme import TEXT_PAIRS, contrast_ratio, theme, theme_names
from test_wizard_e2e import by_name, click, complete_page, nav


class RecordingJournal:
    def __init__(self) -> None:
        self.records = 0
        self.abandoned: list[dict] = []

    def record(self, session: PatientSession) -> None:
        self.records += 1

    def abandon(self, session: PatientSession) -> None:
        self.abandoned.append(dict(session.answers))

    def forget(self, session_id: str) -> None:
        pass


@pytest.fixture
def kiosk(qtbot, content: Content, data_dir: Path, visit_time: dt.datetime):
    journal = RecordingJournal()
    controller = IntakeController(content, SubmissionStore(connect(data_dir / "kiosk.db")), data_dir / "reports",
                                  lambda: "Riverside Clinic", clock=lambda: visit_time, journal=journal)
    settings = Settings(clinic_name="Riverside Clinic", idle_timeout_s=5, idle_warning_s=3, speech_engine="mock")
    window = build_window(controller, settings, kiosk_mode=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window, controller, journal
    window.allow_close = True


def reach_identity_page(qtbot, window, controller) -> None:
    click(qtbot, nav(window, "Start"))
    name_page = controller.content.page_of[controller.content.manifest.identity.name].id
    while controller.session.position != name_page:
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))


def test_idle_warning_then_full_wipe_keeps_answers_for_staff_only(qtbot, kiosk) -> None:
    window, controller, journal = kiosk
    reach_identity_page(qtbot, window, controller)
    field = by_name(window.page, QLineEdit, controller.content.questions[controller.content.manifest.identity.name].text.get("en"))
    qtbot.keyClicks(field, PATIENT_NAME)
    assert journal.records > 0, "every answer is autosaved as it is given"
    for _ in range(2):
        window.idle.tick()
    assert window.idle.dialog is not None and "3 seconds" in window.idle.dialog.message.text()
    click(qtbot, by_name(window.idle.dialog, QPushButton, "I'm still here"))
    assert window.idle.dialog is None and controller.session.position != WELCOME
    for _ in range(5):
        window.idle.tick()
    assert controller.session.position == WELCOME
    assert controller.answers() == {}
    assert journal.abandoned and journal.abandoned[0].get(controller.content.manifest.identity.name) == PATIENT_NAME
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    texts = [w.text() for w in window.findChildren(QLineEdit)] + [w.text() for w in window.findChildren(QLabel)]
    assert not any(PATIENT_NAME in t for t in texts)
    assert not window.back_button.isVisible()


def test_idle_timer_does_not_run_on_the_welcome_screen(kiosk) -> None:
    window, controller, journal = kiosk
    for _ in range(10):
        window.idle.tick()
    assert window.idle.dialog is None and journal.abandoned == []


def test_need_help_alerts_staff_and_keeps_the_place(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach_identity_page(qtbot, window, controller)
    place = controller.session.position
    with qtbot.waitSignal(window.staff_alert, timeout=1000) as signal:
        click(qtbot, by_name(window, QPushButton, "Need help?"))
    assert signal.args == ["help"]
    assert controller.session.position == place
    assert window.help_button.text() == "A staff member is coming to help you."


def test_text_size_has_three_steps_and_resets_for_the_next_patient(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    sizes = []
    for _ in range(3):
        sizes.append(window.page.findChildren(QLabel)[-1].font().pointSize())
        click(qtbot, by_name(window, QPushButton, "Text size"))
    assert sizes == sorted(sizes) and len(set(sizes)) == 3
    window.reset_appearance()
    assert window.page.findChildren(QLabel)[-1].font().pointSize() == sizes[0]


@pytest.mark.parametrize("name", theme_names())
def test_theme_text_contrast_meets_wcag(name: str) -> None:
    needed = 7.0 if name == "high_contrast" else 4.5
    t = theme(name)
    for foreground, background in TEXT_PAIRS:
        ratio = contrast_ratio(t[foreground], t[background])
        assert ratio >= needed, f"{name}: {foreground} on {background} is {ratio:.2f}:1"


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_high_contrast_switch_changes_the_colours(qtbot, kiosk) -> None:
    window, _, _ = kiosk
    click(qtbot, by_name(window, QPushButton, "High contrast"))
    assert theme("high_contrast")["background"].lower() in window.styleSheet().lower()


def _targets(root: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, OptionRow) or isinstance(widget, (QPushButton, QLineEdit, QComboBox)):
            found.append(widget)
    return found


def test_every_patient_target_is_at_least_48_by_48(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, nav(window, "Start"))
    checked = 0
    while controller.session.position != REVIEW:
        for widget in _targets(window):
            size = widget.size()
            assert size.width() >= 48 and size.height() >= 48, f"{type(widget).__name__} {widget.accessibleName()!r} is {size.width()}x{size.height()}"
            checked += 1
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
    assert checked > 20


def test_read_aloud_speaks_the_screen_in_its_language(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, by_name(window, QPushButton, "Español"))
    click(qtbot, by_name(window, QPushButton, "Leer en voz alta"))
    language, text = window.speech.spoken[-1]
    assert language == "es" and controller.content.text("welcome_title", "es") in text


def test_read_aloud_is_hidden_without_an_engine(qtbot, content: Content, data_dir: Path, monkeypatch) -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    monkeypatch.setattr(QTextToSpeech, "availableEngines", staticmethod(lambda: []))
    controller = IntakeController(content, SubmissionStore(connect(data_dir / "k.db")), data_dir, lambda: "C")
    window = build_window(controller, Settings(), kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    assert window.speech is None and not window.read_button.isVisible()


def test_keyboard_alone_completes_the_wizard(qtbot, kiosk) -> None:
    """Tab, arrows, Space and Enter only: no clicks, no setters."""
    window, controller, _ = kiosk
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    for _ in range(80):
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
        qtbot.wait(10)  # the page puts focus on its first control once it is shown
        if controller.session.position == REVIEW:
            break
        page = controller.screen().page
        _answer_by_keyboard(qtbot, window, controller)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)
        assert controller.session.position != page.id or window.page.problem_labels, "Enter must go on"
    assert controller.session.position == REVIEW
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert controller.session.submitted is not None


def _answer_by_keyboard(qtbot, window, controller) -> None:
    """Walk the page's controls with Tab and answer each with the keys a patient would use."""
    from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QRadioButton

    seen: set[int] = set()
    for _ in range(200):
        widget = QApplication.focusWidget()
        if widget is None or not window.page.isAncestorOf(widget) or id(widget) in seen:
            break
        seen.add(id(widget))
        if isinstance(widget, QRadioButton) and not any(b.isChecked() for b in widget.group().buttons()):
            qtbot.keyClick(widget, Qt.Key.Key_Space)
        elif isinstance(widget, QCheckBox) and not widget.isChecked():
            qtbot.keyClick(widget, Qt.Key.Key_Space)
        elif isinstance(widget, QComboBox) and widget.currentIndex() <= 0:
            qtbot.keyClick(widget, Qt.Key.Key_Down)
        elif isinstance(widget, QLineEdit) and not widget.text():
            qtbot.keyClicks(widget, "1990" if "Year" in widget.accessibleName() else ("1" if widget.validator() else "Pat Keys"))
        elif isinstance(widget, QPlainTextEdit) and not widget.toPlainText():
            qtbot.keyClicks(widget, "none")
        if window.page.signature is not None and window.page.signature.is_empty():
            from PySide6.QtCore import QPointF

            window.page.signature.add_stroke([QPointF(10, 10), QPointF(90, 60)])  # drawing needs a pointer
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
