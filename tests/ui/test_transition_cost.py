"""What a page change costs in Python: the window's housekeeping must not run Python for every widget event.

A page change sends thousands of show, layout and paint events to the new page's widgets; a Python event
filter or override that sees each of them made every transition slower than one frame. The idle timer
still hears every tap and key.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from shiboken6 import isValid

from kiosk.patient.intake import WELCOME
from kiosk.testing.wizard import answer_current_page
from kiosk_fixtures import make_kiosk  # noqa: F401 (a pytest fixture)
from ui.page_widget import PageWidget


def test_a_tap_or_a_key_anywhere_on_the_window_restarts_the_idle_count(qtbot, make_kiosk) -> None:
    window, controller, _ = make_kiosk(idle_timeout_s=60, idle_warning_s=10)
    controller.next()
    assert controller.session.position != WELCOME
    qtbot.wait(20)
    handle = window.windowHandle()
    for tap in (lambda: QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                                         QPoint(640, 400)),
                lambda: QTest.keyClick(handle, Qt.Key.Key_Shift)):
        window.idle.tick()
        window.idle.tick()
        assert window.idle.idle_s == 2
        tap()
        assert window.idle.idle_s == 0, "a patient's tap or key press counts as still here"
    window.idle.tick()
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)  # delivered to the widget itself, as tests do
    assert window.idle.idle_s == 0


def test_after_a_page_change_the_idle_watcher_stops_listening_until_its_next_tick(qtbot, make_kiosk) -> None:
    """Its application-wide filter ran Python for each of the thousands of show, layout and paint events a page
    change sends (more than a frame on the PHQ-9 page); only a patient's tap changes the page, so the watcher
    counts it as activity and listens again at its next tick."""
    window, controller, _ = make_kiosk(idle_timeout_s=60, idle_warning_s=10)
    window.idle.timer.stop()
    controller.next()
    qtbot.wait(20)
    window.idle.tick()
    window.idle.tick()
    assert window.idle.listening and window.idle.idle_s == 2
    answer_current_page(controller)
    controller.next()
    assert not window.idle.listening and window.idle.idle_s == 0
    window.repaint()
    window.idle.tick()
    assert window.idle.listening and window.idle.idle_s == 1


def test_the_page_left_behind_is_deleted_once_the_new_page_has_painted(qtbot, make_kiosk) -> None:
    """Deleting a page's few hundred widgets took milliseconds of the transition; it waits for the page built
    ahead, a moment after the new page painted. A patient leaving (the wipe) takes every page with them at once."""
    window, controller, _ = make_kiosk()
    window.idle.timer.stop()
    controller.next()
    qtbot.wait(200)
    left = window.page
    answer_current_page(controller)
    controller.next()
    window.repaint()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert isValid(left), "not deleted during the transition"
    assert not left.isVisible()
    qtbot.waitUntil(lambda: not isValid(left), timeout=2000)
    for _ in range(2):
        answer_current_page(controller)
        controller.next()
    window.wipe()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert controller.session.position == WELCOME
    assert window.findChildren(PageWidget) == [window.page], "nothing of the last patient stays in a widget"


def test_question_text_is_bold_by_the_theme_not_a_style_sheet_per_label(qtbot, make_kiosk) -> None:
    """A style sheet of a label's own is parsed and polished per label (dozens a page); the theme's rule draws
    the same bold text, in every text size and contrast."""
    window, controller, _ = make_kiosk()
    window.idle.timer.stop()
    controller.next()
    while controller.session.position != "phq9":
        answer_current_page(controller)
        controller.next()
    qtbot.wait(10)
    questions = [label for label in window.page.findChildren(QLabel) if label.property("question") == "true"]
    assert len(questions) >= 9
    for step in (0, 2):
        window.size_step = step
        window.set_high_contrast(step == 2)
        for label in questions:
            assert label.font().bold() and label.styleSheet() == "", label.text()
