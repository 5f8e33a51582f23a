"""Kiosk behaviour a patient, staff and a bystander notice: lock-down, idle wipe, calling staff, what the screen shows."""

from __future__ import annotations

import gc
import weakref
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from kiosk.patient.intake import WELCOME
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_wizard_e2e import by_name, click, complete_page, nav
from ui.app import show_kiosk

CANARY = "Zqx Canary 7731"
TOPIC_WORDS = ("naltrex", "opioid", "opiáceo", "alcohol", "addict", "adicci", "substance", "sustancia", "drug",
               "droga", "vivitrol", "recovery")


def reach_identity_page(qtbot, window, controller) -> None:
    click(qtbot, nav(window, "Start"))
    name_page = controller.content.page_of[controller.content.manifest.identity.name].id
    while controller.session.position != name_page:
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))


def name_field(window, controller) -> QLineEdit:
    question = controller.content.questions[controller.content.manifest.identity.name]
    return by_name(window.page, QLineEdit, question.text.get("en"))


def widget_strings(widget: QWidget) -> list[str]:
    """Every string a widget holds that a person or a screen reader could get at."""
    found = [widget.windowTitle(), widget.accessibleName(), widget.accessibleDescription(), widget.toolTip(),
             widget.statusTip(), widget.whatsThis()]
    if isinstance(widget, (QLabel, QAbstractButton)):
        found.append(widget.text())
    if isinstance(widget, QLineEdit):
        found += [widget.text(), widget.placeholderText(), widget.displayText()]
    if isinstance(widget, QPlainTextEdit):
        found += [widget.toPlainText(), widget.placeholderText()]
    if isinstance(widget, QComboBox):
        found += [widget.itemText(i) for i in range(widget.count())] + [widget.currentText()]
    return found


def traces_of(text: str, window) -> list[str]:
    """Where `text` still lives in any widget of any window, or in what read-aloud kept."""
    widgets = set(QApplication.allWidgets())
    hits = [f"{type(w).__name__} {w.objectName()!r}" for w in widgets if any(text in s for s in widget_strings(w))]
    if window.speech is not None and window.speech.last and text in window.speech.last[1]:
        hits.append("read-aloud memory")
    return hits


# -- lock-down --------------------------------------------------------------------


def test_full_screen_without_decorations_and_close_escape_do_nothing(qtbot, make_kiosk) -> None:
    window, controller, _ = make_kiosk(kiosk_mode=True)
    show_kiosk(window, QApplication.instance())
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    click(qtbot, nav(window, "Start"))
    place = controller.session.position
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Escape)
    assert not window.close(), "the close button and Alt+F4 (a close request) must be refused"
    assert window.isVisible() and window.isFullScreen() and controller.session.position == place


def test_the_staff_exit_needs_a_long_press_on_the_clinic_name(qtbot, kiosk) -> None:
    window, _, _ = kiosk
    window.staff_press.timer.setInterval(200)
    fired: list[bool] = []
    window.staff_exit_requested.connect(lambda: fired.append(True))
    qtbot.mouseClick(window.clinic_label, Qt.MouseButton.LeftButton)  # a patient's tap
    qtbot.wait(400)
    assert fired == []
    with qtbot.waitSignal(window.staff_exit_requested, timeout=2000):
        qtbot.mousePress(window.clinic_label, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(window.clinic_label, Qt.MouseButton.LeftButton)
    assert window.isVisible(), "the window never leaves kiosk mode on its own: staff prove who they are first"


# -- idle timeout -----------------------------------------------------------------


def test_idle_warning_counts_down_and_im_still_here_keeps_the_patient(qtbot, kiosk) -> None:
    window, controller, journal = kiosk
    reach_identity_page(qtbot, window, controller)
    qtbot.keyClicks(name_field(window, controller), CANARY)
    place = controller.session.position
    window.idle.tick()
    assert window.idle.dialog is None, "no warning before the warning period"
    window.idle.tick()
    dialog = window.idle.dialog
    assert dialog is not None and dialog.isVisible() and "3 seconds" in dialog.message.text()
    window.idle.tick()
    assert "2 seconds" in dialog.message.text(), "the countdown counts down"
    button = by_name(dialog, QPushButton, "I'm still here")
    assert button.width() >= 200 and button.height() >= 80, "a large button, easy to hit in a hurry"
    click(qtbot, button)
    assert window.idle.dialog is None and controller.session.position == place
    assert controller.answers()[controller.content.manifest.identity.name] == CANARY
    assert journal.abandoned == []


def test_escape_on_the_warning_counts_as_still_here(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach_identity_page(qtbot, window, controller)
    for _ in range(3):
        window.idle.tick()
    qtbot.keyClick(window.idle.dialog, Qt.Key.Key_Escape)
    assert window.idle.dialog is None and window.idle.idle_s == 0
    for _ in range(2):
        window.idle.tick()
    assert controller.session.position != WELCOME


def test_idle_timeout_wipes_every_widget_and_back_cannot_reach_the_answers(qtbot, kiosk) -> None:
    window, controller, journal = kiosk
    reach_identity_page(qtbot, window, controller)
    qtbot.keyClicks(name_field(window, controller), CANARY)
    click(qtbot, by_name(window, QPushButton, "Read aloud"))
    click(qtbot, by_name(window, QPushButton, "Text size"))
    assert journal.records > 0, "every answer is autosaved as it is given"
    assert traces_of(CANARY, window), "the walk finds the canary while the patient is here"
    last_patient = weakref.ref(controller.session)
    for _ in range(5):
        window.idle.tick()
    assert controller.session.position == WELCOME and controller.answers() == {}
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert last_patient() is None, "only one patient in memory: nothing still holds the last one's session"
    assert traces_of(CANARY, window) == []
    assert window.size_step == 0, "the next patient starts at the normal text size"
    assert not window.back_button.isVisible()
    controller.back()
    assert controller.session.position == WELCOME
    reach_identity_page(qtbot, window, controller)
    assert name_field(window, controller).text() == "" and traces_of(CANARY, window) == []
    assert journal.abandoned and journal.abandoned[0][controller.content.manifest.identity.name] == CANARY


def test_abandoned_answers_can_be_discarded_by_setting(qtbot, make_kiosk) -> None:
    window, controller, journal = make_kiosk(keep_abandoned=False)
    reach_identity_page(qtbot, window, controller)
    qtbot.keyClicks(name_field(window, controller), CANARY)
    session_id = controller.session.id
    for _ in range(5):
        window.idle.tick()
    assert journal.abandoned == [] and session_id in journal.forgotten
    assert controller.session.position == WELCOME and controller.answers() == {}


def test_the_thank_you_screen_returns_to_welcome_by_itself(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, nav(window, "Start"))
    while controller.session.position != "review":
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
    click(qtbot, by_name(window, QPushButton, "High contrast"))
    click(qtbot, nav(window, "Submit"))
    assert controller.session.position == "thanks"
    assert window.thanks_timer.isActive() and window.thanks_timer.interval() == 5000, "settings.idle_timeout_s"
    window.thanks_timer.timeout.emit()
    assert controller.session.position == WELCOME and not window.contrast_button.isChecked()
    assert not window.thanks_timer.isActive()


def test_the_idle_clock_runs_by_itself_warns_and_then_wipes(qtbot, make_kiosk) -> None:
    """The other idle tests count seconds by hand; here the watcher's own clock does it, as on the kiosk."""
    window, controller, journal = make_kiosk(idle_clock=True)
    reach_identity_page(qtbot, window, controller)
    assert window.idle.timer.isActive() and window.idle.timer.interval() == 1000
    qtbot.waitUntil(lambda: window.idle.dialog is not None and window.idle.dialog.isVisible(), timeout=6_000)
    qtbot.waitUntil(lambda: controller.session.position == WELCOME, timeout=8_000)
    assert window.idle.dialog is None and len(journal.abandoned) == 1


def test_idle_timer_does_not_run_on_the_welcome_screen(kiosk) -> None:
    window, controller, journal = kiosk
    for _ in range(10):
        window.idle.tick()
    assert window.idle.dialog is None and journal.abandoned == [] and journal.forgotten == []


# -- calling staff ------------------------------------------------------------------


def _count_beeps(window) -> list[int]:
    beeps: list[int] = []
    window.alerts.beep = lambda: beeps.append(1)
    return beeps


def test_need_help_is_on_every_screen(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, nav(window, "Start"))
    while True:
        assert by_name(window, QPushButton, "Need help?").isVisible(), controller.session.position
        if controller.session.position == "review":
            break
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))


def test_need_help_sounds_for_staff_and_keeps_the_place(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    beeps = _count_beeps(window)
    reach_identity_page(qtbot, window, controller)
    qtbot.keyClicks(name_field(window, controller), CANARY)
    place = controller.session.position
    with qtbot.waitSignal(window.staff_alert, timeout=1000) as signal:
        click(qtbot, by_name(window, QPushButton, "Need help?"))
    assert signal.args == ["help"] and beeps == [1]
    assert controller.session.position == place and name_field(window, controller).text() == CANARY
    assert window.help_button.text() == "A staff member is coming to help you."
    assert not window.alerts.marker.isVisible(), "the default signal is a sound only"


def test_an_urgent_answer_calls_staff_the_same_way(qtbot, make_kiosk, monkeypatch) -> None:
    window, controller, _ = make_kiosk(staff_alert="sound+marker")
    beeps = _count_beeps(window)
    reach_identity_page(qtbot, window, controller)
    urgent = SimpleNamespace(flags=[SimpleNamespace(id="test_urgent", severity="urgent")])
    monkeypatch.setattr("kiosk.patient.intake.assess", lambda *args, **kwargs: urgent)
    with qtbot.waitSignal(window.staff_alert, timeout=1000) as signal:
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
    assert signal.args == ["urgent"] and beeps == [1] and window.alerts.marker.isVisible()
    page = window.messages.crisis
    assert page.isVisible()
    ok = page.continue_button
    assert ok.width() >= 48 and ok.height() >= 48
    page.done(0)


def test_a_crisis_message_left_open_is_gone_for_the_next_patient(qtbot, kiosk, monkeypatch) -> None:
    """The crisis message says what the last patient answered: the idle wipe closes it with everything else."""
    window, controller, _ = kiosk
    reach_identity_page(qtbot, window, controller)
    urgent = SimpleNamespace(flags=[SimpleNamespace(id="test_urgent", severity="urgent")])
    monkeypatch.setattr("kiosk.patient.intake.assess", lambda *args, **kwargs: urgent)
    complete_page(qtbot, window, controller)
    click(qtbot, nav(window, "Next"))
    crisis = controller.content.text("crisis_body", "en")
    assert window.messages.crisis.isVisible()
    for _ in range(5):
        window.idle.tick()
    assert controller.session.position == WELCOME
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.parentWidget() is window]
    assert visible == [], f"still on screen for the next patient: {visible}"
    assert not any(crisis in s for w in window.findChildren(QWidget) if w.isVisible() for s in widget_strings(w))


def test_the_staff_marker_has_no_words_and_stays_until_staff_come(qtbot, make_kiosk) -> None:
    window, controller, _ = make_kiosk(staff_alert="marker")
    beeps = _count_beeps(window)
    reach_identity_page(qtbot, window, controller)
    click(qtbot, by_name(window, QPushButton, "Need help?"))
    marker = window.alerts.marker
    assert beeps == [] and marker.isVisible()
    assert widget_strings(marker) == [""] * 6 and not marker.findChildren(QWidget)
    assert marker.width() <= 24 and marker.geometry().topLeft().isNull(), "small, in the corner"
    for neighbour in (window.clinic_label, window.help_button, window.back_button):
        area = QRect(neighbour.mapTo(window, QPoint(0, 0)), neighbour.size())
        assert not marker.geometry().intersects(area), f"the marker covers {neighbour.objectName()!r}"
    for _ in range(5):
        window.idle.tick()
    assert controller.session.position == WELCOME and marker.isVisible(), "the call outlives the patient's session"
    window.staff_exit_requested.emit()
    assert not marker.isVisible()


def test_an_unknown_staff_alert_setting_is_refused_with_the_choices(make_kiosk) -> None:
    from kiosk.settings import Settings

    with pytest.raises(ValueError, match="sound, marker, sound\\+marker, none"):
        Settings(staff_alert="siren").validate()
    with pytest.raises(ValueError, match="sound, marker, sound\\+marker, none"):
        make_kiosk(staff_alert="siren")


# -- what a bystander can see ---------------------------------------------------------


def test_title_and_welcome_show_the_clinic_and_nothing_about_the_visit(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    assert window.windowTitle() == "Riverside Clinic"
    for language in ("en", "es"):
        controller.set_language(language)
        texts = [label.text() for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
        assert texts.count("Riverside Clinic") == 1, "the clinic's name, once (in the top bar)"
        shown = [s for w in window.findChildren(QWidget) if w.isVisibleTo(window) for s in widget_strings(w)]
        shown.append(window.windowTitle())
        leaks = [s for s in shown for word in TOPIC_WORDS if word in s.lower()]
        assert leaks == [], f"the welcome screen and frame tell a bystander what the visit is about: {leaks}"


def test_a_window_deleted_right_after_a_page_change_leaves_no_callback_behind(
        qtbot, content, data_dir, visit_time) -> None:
    """The focus move a page change queues goes with the window: it ran on a deleted window in whichever test came
    next ("Internal C++ object already deleted" caught in the Qt event loop)."""
    import shiboken6

    from kiosk.patient.intake import IntakeController
    from kiosk.settings import Settings
    from kiosk.storage.db import connect
    from kiosk.storage.sqlite_submissions import SubmissionStore
    from ui.app import build_window

    conn = connect(data_dir / "kiosk.db")
    controller = IntakeController(content, SubmissionStore(conn), data_dir / "reports", lambda: "Riverside Clinic",
                                  clock=lambda: visit_time)
    window = build_window(controller, Settings(clinic_name="Riverside Clinic", speech_engine="mock"))
    window.show()
    qtbot.waitExposed(window)
    click(qtbot, nav(window, "Start"))
    window.allow_close = True
    shiboken6.delete(window)
    qtbot.wait(50)  # the queued calls' turn: pytest-qt fails this test if one raises
    conn.close()
