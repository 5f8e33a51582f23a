"""Items sharing one answer scale (PHQ-9, TAPS-1) as a grid: the answers read once as column headers, a tap in a
cell answers, the headers stay in sight while scrolling, and a narrow screen with large text lists them per item."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QRadioButton

from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_touch import drag, reach
from ui.scale_grid import ScaleGrid


def shown_texts(page) -> list[str]:
    return [label.text() for label in page.inner.findChildren(QLabel) if label.isVisibleTo(page.inner)]


def test_phq9_shows_its_answers_once_and_every_item_keeps_its_wording(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach(qtbot, window, controller, lambda c: c.session.position == "phq9")
    page, content = window.page, controller.content
    texts = shown_texts(page)
    for option in content.questions["phq9_1"].options:
        assert texts.count(option.text.get("en")) == 1, option.text.get("en")
    for n in range(1, 10):
        question = content.questions[f"phq9_{n}"]
        assert question.text.get("en") in texts
        row = next(w for w in page.inner.findChildren(ScaleGrid)[0].rows.values()
                   if w.accessibleName() == question.text.get("en"))
        names = [b.accessibleName() for b in row.findChildren(QRadioButton)]
        assert names == [o.text.get("en") for o in question.options], "read-aloud still names each answer"


def test_a_tap_in_a_cell_answers_that_item(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach(qtbot, window, controller, lambda c: c.session.position == "phq9")
    grid = window.page.inner.findChildren(ScaleGrid)[0]
    cell = grid.cells[1]  # item 1, "Several days"
    assert cell.width() >= 48 and cell.height() >= 48
    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton, pos=QPoint(5, cell.height() - 5))  # the cell's corner
    assert controller.answers()["phq9_1"] == "several_days"
    assert cell.button.isChecked()


def test_the_headers_stay_in_sight_while_the_items_scroll(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach(qtbot, window, controller, lambda c: c.session.position == "phq9")
    page = window.page
    grid = page.inner.findChildren(ScaleGrid)[0]
    assert grid.pinned is not None and not grid.pinned.isVisible()
    first = next(iter(grid.labels.values()))
    drag(qtbot, page.viewport(), first.mapTo(page.viewport(), QPoint(20, 10)), -250)
    assert page.verticalScrollBar().value() > 0
    assert grid.head.mapTo(page.viewport(), QPoint(0, 0)).y() < 0, "the grid's own header went off the top"
    assert grid.pinned.isVisible() and grid.pinned.geometry().top() == 0
    pinned = [label.text() for label in grid.pinned.findChildren(QLabel, "scale-head")]
    assert pinned == [o.text.get("en") for o in controller.content.questions["phq9_1"].options]


def test_a_narrow_screen_with_the_largest_text_lists_the_answers_under_each_item(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach(qtbot, window, controller, lambda c: c.session.position == "substances")
    window.resize(800, 1280)
    window.size_step = 2
    window.apply_theme()
    controller.set_language("es")
    page = window.page
    grid = page.inner.findChildren(ScaleGrid)[0]
    qtbot.waitUntil(lambda: grid.stacked)
    assert not grid.head.isVisible()
    qtbot.waitUntil(lambda: page.horizontalScrollBar().maximum() == 0)  # nothing runs off the side of the screen
    never = controller.content.questions["taps_tobacco"].option("never").text.get("es")
    assert shown_texts(page).count(never) == len(grid.rows) - 1  # one of the two alcohol items is hidden


def test_next_with_an_item_unanswered_shows_its_words_below_the_pinned_answers(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    reach(qtbot, window, controller, lambda c: c.session.position == "phq9")
    page = window.page
    grid = page.inner.findChildren(ScaleGrid)[0]
    for row in range(6):  # items 1 to 6 answered; 7 is the first left
        cell = grid.cells[row * len(grid.answers)]
        page.ensureWidgetVisible(cell)
        qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)
    page.verticalScrollBar().setValue(0)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert controller.session.position == "phq9"
    label = grid.labels["phq9_7"]
    top = label.mapTo(page.viewport(), QPoint(0, 0)).y()
    assert grid.pinned is not None and grid.pinned.isVisible()
    assert top >= grid.pinned.geometry().bottom(), "the item's words are not under the pinned answers"
    assert top + label.height() <= page.viewport().height()
    assert grid.problems["phq9_7"].isVisibleTo(page.inner)
