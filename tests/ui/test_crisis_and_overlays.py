"""The crisis moment and the kiosk's own dialogs: overlays inside the main window, a banner, start over."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QRadioButton, QWidget

from kiosk.patient.intake import REVIEW, THANKS, WELCOME
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_kiosk_behaviour import CANARY, name_field, reach_identity_page, traces_of
from test_wizard_e2e import by_name, click, complete_page, nav
from ui.overlay import Overlay, open_overlays
from ui.theme import text_sizes

SELF_HARM_PAGE_QUESTION = "phq9_9"


def reach_page_of(qtbot, window, controller, question_id: str) -> None:
    page_id = controller.content.page_of[question_id].id
    click(qtbot, nav(window, "Start"))
    while controller.session.position != page_id:
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
        assert controller.session.position != REVIEW, f"never reached {page_id}"


def answer_several_days_to_item_9(qtbot, window, controller) -> None:
    complete_page(qtbot, window, controller)
    question = controller.content.questions[SELF_HARM_PAGE_QUESTION]
    frame = by_name(window.page, QWidget, question.text.get("en"))
    click(qtbot, by_name(frame, QRadioButton, question.options[1].text.get("en")))


def assert_is_overlay_of(overlay: QWidget, window) -> None:
    assert isinstance(overlay, Overlay) and overlay.parentWidget() is window and not overlay.isWindow(), \
        "a patient-side dialog is drawn inside the main window, not as a window of its own"
    assert overlay.isVisible() and overlay.geometry() == window.rect(), "it covers (dims) the whole window"
    assert not window.centralWidget().isEnabled(), "the page underneath takes no taps or keys meanwhile"
    floating = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.parentWidget() is window]
    assert floating == [], f"no bare top-level windows over the kiosk: {floating}"


def test_item_9_above_zero_opens_the_crisis_page_then_a_banner_stays_to_the_thank_you_screen(
        qtbot, make_kiosk, visit_time) -> None:
    window, controller, _ = make_kiosk(staff_alert="marker")
    reach_page_of(qtbot, window, controller, SELF_HARM_PAGE_QUESTION)
    assert not window.crisis_banner.isVisible(), "no banner before anything happened"
    answer_several_days_to_item_9(qtbot, window, controller)
    click(qtbot, nav(window, "Next"))

    crisis = window.messages.crisis
    assert_is_overlay_of(crisis, window)
    content = controller.content
    shown = [label.text() for label in crisis.findChildren(QLabel)]
    assert content.text("crisis_title", "en") in shown and content.text("crisis_body", "en") in shown
    assert "988" in content.text("crisis_body", "en")
    body = next(label for label in crisis.findChildren(QLabel) if label.text() == content.text("crisis_body", "en"))
    assert body.font().pointSizeF() >= 1.4 * text_sizes()[0], "large text, half again the size of a page's"
    button = crisis.continue_button
    assert button.text() == "Continue" and button.width() >= 48 and button.height() >= 48
    assert window.alerts.marker.isVisible(), "staff still see their signal over the crisis page"
    events = controller.session.events
    assert (events.crisis_shown_at, events.staff_alert) == (visit_time, "marker"), "when shown, how staff were alerted"

    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(5, window.height() // 2))
    qtbot.keyClick(crisis, Qt.Key.Key_Escape)
    assert crisis.isVisible(), "only Continue closes it: a stray tap or Escape does not"
    click(qtbot, button)
    assert open_overlays(window) == [] and window.centralWidget().isEnabled()

    banner_text = content.text("crisis_banner", "en")
    while controller.session.position != THANKS:
        assert window.crisis_banner.isVisible() and window.crisis_banner.label.text() == banner_text, \
            controller.session.position
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Submit" if controller.session.position == REVIEW else "Next"))
    assert window.crisis_banner.isVisible(), "the thank-you screen keeps the crisis line"
    stored = controller.store.get(controller.session.id).events
    assert (stored.crisis_shown_at, stored.staff_alert) == (visit_time, "marker"), "kept for the clinician's report"
    click(qtbot, nav(window, "Done"))
    assert controller.session.position == WELCOME
    assert not window.crisis_banner.isVisible() and window.crisis_banner.label.text() == "", "cleared for the next"
    assert controller.session.events.crisis_shown_at is None


def test_the_crisis_banner_speaks_the_patients_language(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach_page_of(qtbot, window, controller, SELF_HARM_PAGE_QUESTION)
    answer_several_days_to_item_9(qtbot, window, controller)
    click(qtbot, nav(window, "Next"))
    click(qtbot, window.messages.crisis.continue_button)
    click(qtbot, by_name(window, QPushButton, "Español"))
    assert window.crisis_banner.label.text() == controller.content.text("crisis_banner", "es")


def test_no_crisis_page_and_no_record_when_item_9_is_zero(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach_page_of(qtbot, window, controller, SELF_HARM_PAGE_QUESTION)
    complete_page(qtbot, window, controller)
    click(qtbot, nav(window, "Next"))
    assert window.messages.crisis is None and controller.session.events.crisis_shown_at is None
    assert not window.crisis_banner.isVisible()


def test_the_idle_warning_is_an_overlay_that_covers_the_answers(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach_identity_page(qtbot, window, controller)
    field = name_field(window, controller)
    field.setText(CANARY)
    area = QRect(field.mapTo(window, QPoint(0, 0)), field.size())
    before = window.grab(area).toImage()
    for _ in range(3):
        window.idle.tick()
    warning = window.idle.dialog
    assert_is_overlay_of(warning, window)
    covered = window.grab(area).toImage()
    field.setText("")
    blank = window.grab(area).toImage()
    field.setText(CANARY)
    assert covered == blank, "nothing of the name shows through the warning"
    assert before != covered
    click(qtbot, warning.button)
    assert window.idle.dialog is None and window.centralWidget().isEnabled()
    assert name_field(window, controller).text() == CANARY


def test_start_over_asks_first_then_wipes_like_the_idle_timeout(qtbot, kiosk) -> None:
    window, controller, journal = kiosk
    assert not window.start_over_button.isVisible(), "nothing to start over on the welcome screen"
    reach_identity_page(qtbot, window, controller)
    name_field(window, controller).setText(CANARY)
    place = controller.session.position
    start_over = by_name(window, QPushButton, "Start over")
    assert start_over.width() >= 48 and start_over.height() >= 48

    click(qtbot, start_over)
    confirm = window.messages.start_over
    assert_is_overlay_of(confirm, window)
    card = confirm.card
    assert card.height() >= card.layout().totalHeightForWidth(card.width()), "the wrapped question is not clipped"
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    assert controller.session.position == place and name_field(window, controller).text() == CANARY, \
        "Enter keeps going: erasing is never the default"

    click(qtbot, start_over)
    click(qtbot, by_name(window.messages.start_over, QPushButton, "Yes, start over"))
    assert controller.session.position == WELCOME and controller.answers() == {}
    assert journal.abandoned and journal.abandoned[-1][controller.content.manifest.identity.name] == CANARY, \
        "kept for staff per settings, exactly as the idle timeout does"
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert traces_of(CANARY, window) == []
    assert open_overlays(window) == [] and window.centralWidget().isEnabled()


def test_not_saved_is_an_overlay(qtbot, kiosk, monkeypatch) -> None:
    window, controller, _ = kiosk
    reach_identity_page(qtbot, window, controller)
    window.show_not_saved()
    assert_is_overlay_of(window.messages.not_saved, window)
    click(qtbot, by_name(window.messages.not_saved, QPushButton, "OK"))
    assert open_overlays(window) == []
