"""While the patient reads, the next page is built ahead, so Next shows it at once; it never outlives the patient."""

from __future__ import annotations

from kiosk.content.model import QuestionPage
from kiosk.rules.flow import visible_questions
from kiosk.patient.intake import WELCOME
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_wizard_e2e import click, complete_page, nav


def wait_for_prebuild(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.prebuilt is not None, timeout=3000)


def test_next_shows_the_page_built_while_the_patient_read(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, nav(window, "Start"))
    decides = controller.content.page_of["education_before"].id  # which screens follow: no page built ahead knows
    while controller.session.position != decides:
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
    complete_page(qtbot, window, controller)
    click(qtbot, nav(window, "Next"))
    for _ in range(4):
        wait_for_prebuild(qtbot, window)
        ahead = window.prebuilt[1]
        assert not ahead.isVisible() and ahead.screen.name == controller.upcoming().name
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
        assert window.page is ahead and ahead.isVisible()
        assert window.page.screen.name == controller.session.position


def test_a_page_built_ahead_is_not_used_when_the_answers_changed_what_it_shows(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    content = controller.content
    # find a page whose questions depend on earlier answers, and reach the page just before it
    click(qtbot, nav(window, "Start"))
    while True:
        upcoming = controller.upcoming()
        assert upcoming is not None, "the content has a question page with branching"
        if isinstance(upcoming.page, QuestionPage) and any(q.enable_when for q in upcoming.page.questions):
            break
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
    complete_page(qtbot, window, controller)
    wait_for_prebuild(qtbot, window)
    stale = window.prebuilt[1]
    window.prebuilt = (("changed",) + window.prebuilt[0][1:], stale)  # as if other answers had been given since
    click(qtbot, nav(window, "Next"))
    assert window.page is not stale
    shown = {q.id for q in visible_questions(content, window.page.screen.page, controller.answers())}
    assert shown, "the fresh page shows the questions these answers call for"


def test_the_page_built_ahead_goes_with_the_patient(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, nav(window, "Start"))
    complete_page(qtbot, window, controller)
    click(qtbot, nav(window, "Next"))
    wait_for_prebuild(qtbot, window)
    ahead = window.prebuilt[1]
    controller.abandon()
    assert controller.session.position == WELCOME
    assert window.prebuilt is None or window.prebuilt[1] is not ahead
    assert window.stack.indexOf(ahead) == -1
    assert window.stack.count() <= 2, "only the welcome page and, at most, the first page for the next patient"


def test_the_page_left_is_freed_before_the_next_page_is_built_ahead(qtbot, kiosk, monkeypatch) -> None:
    """The kiosk's peak memory: the page left, the page shown and the page built ahead were alive at once."""
    import ui.window
    from shiboken6 import isValid

    window, controller, _ = kiosk
    built = ui.window.build_page
    alive_when_built: list[bool] = []
    left: list = []

    def build_ahead(*args, **kwargs):
        # building the page shown next (its page left is still window.page then) is not building ahead
        alive_when_built.extend(isValid(page) for page in left if page is not window.page)
        return built(*args, **kwargs)

    monkeypatch.setattr(ui.window, "build_page", build_ahead)
    click(qtbot, nav(window, "Start"))
    for _ in range(3):
        wait_for_prebuild(qtbot, window)
        left.append(window.page)
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
    wait_for_prebuild(qtbot, window)
    assert alive_when_built, "pages were built ahead after the patient moved on"
    assert not any(alive_when_built), "a page the patient left was still alive while the next one was built"
    assert not any(isValid(page) for page in left)
    assert window.page.isVisible() and window.prebuilt is not None
