"""Answer controls as a patient uses them: whole rows to tap, a date without a calendar, numbers with -/+, a typed signature."""

from __future__ import annotations

import datetime as dt

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPushButton,
    QWidget,
)

from date_picking import pick, tap_cell, tap_part
from kiosk.content import Content
from kiosk.rules.flow import check_answer
from ui.date_picker import DatePicker, date_order
from kiosk.content.loader import parse_model
from kiosk.content.model import Question
from kiosk.patient.intake import REVIEW
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_wizard_e2e import by_name, click, complete_page, nav
from ui.controls import OptionRow, build_control


def control(qtbot, content: Content, value: Any = None, **question) -> tuple[QWidget, list[Any]]:
    changes: list[Any] = []
    q = parse_model(Question, {"id": "q", "text": {"en": "Q", "es": "Q"}, **question})
    widget = build_control(q, "en", content, value, changes.append)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    return widget, changes


def test_tapping_anywhere_on_an_answer_row_chooses_it(qtbot, content: Content) -> None:
    options = [{"code": "a", "text": {"en": "First answer", "es": "A"}},
               {"code": "b", "text": {"en": "Second answer", "es": "B"}}]
    widget, changes = control(qtbot, content, type="choice", options=options)
    rows = widget.findChildren(OptionRow)
    far_right = QPoint(rows[1].width() - 10, rows[1].height() // 2)
    assert not rows[1].button.geometry().contains(far_right), "the tap is away from the round button"
    qtbot.mouseClick(rows[1], Qt.MouseButton.LeftButton, pos=far_right)
    assert changes == ["b"] and rows[1].button.isChecked() and rows[1].property("checked") == "true"
    qtbot.mouseClick(rows[0].label, Qt.MouseButton.LeftButton)
    assert changes[-1] == "a" and not rows[1].button.isChecked(), "one answer at a time"


def test_check_box_rows_toggle_from_anywhere(qtbot, content: Content) -> None:
    options = [{"code": "x", "text": {"en": "Sweating", "es": "X"}}, {"code": "y", "text": {"en": "Yawning", "es": "Y"}}]
    widget, changes = control(qtbot, content, type="multi", options=options)
    rows = widget.findChildren(OptionRow)
    for row in rows:
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton, pos=QPoint(row.width() - 10, row.height() // 2))
    assert changes[-1] == ["x", "y"]
    qtbot.mouseClick(rows[0], Qt.MouseButton.LeftButton, pos=QPoint(rows[0].width() - 10, 10))
    assert changes[-1] == ["y"]
    assert all(isinstance(r.button, QCheckBox) for r in rows)


def test_none_of_these_clears_the_other_answers_and_they_clear_it(qtbot, content: Content) -> None:
    options = [{"code": "x", "text": {"en": "Sweating", "es": "X"}}, {"code": "y", "text": {"en": "Yawning", "es": "Y"}},
               {"code": "none", "exclusive": True, "text": {"en": "None of these", "es": "N"}}]
    widget, changes = control(qtbot, content, type="multi", options=options)
    sweating, yawning, none = widget.findChildren(OptionRow)
    for row in (sweating, yawning):
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert changes[-1] == ["x", "y"]
    qtbot.mouseClick(none, Qt.MouseButton.LeftButton)
    assert changes[-1] == ["none"]
    assert not sweating.button.isChecked() and sweating.property("checked") == "false"
    qtbot.mouseClick(yawning, Qt.MouseButton.LeftButton)
    assert changes[-1] == ["y"] and not none.button.isChecked()
    assert all(not (c and "none" in c and len(c) > 1) for c in changes), "never both at once"


def test_a_date_is_picked_from_large_cells_in_month_day_year_order_with_no_typing(qtbot, content: Content) -> None:
    widget, changes = control(qtbot, content, type="date", past_only=True)
    picker = widget if isinstance(widget, DatePicker) else widget.findChildren(DatePicker)[0]
    assert not widget.findChildren(QCalendarWidget) and not widget.findChildren(QDateEdit)
    assert not widget.findChildren(QLineEdit) and not widget.findChildren(QComboBox), "nothing to type"
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    order = sorted(picker.buttons, key=lambda part: picker.buttons[part].mapTo(widget, picker.buttons[part].rect().topLeft()).x())
    assert order == ["month", "day", "year"], "the US order, from the content"
    for part in ("month", "day", "year"):
        tap_part(qtbot, picker, part)
        grid = picker.grid
        assert grid.isVisible() and grid.count() >= 12
        for i in range(grid.count()):
            rect = grid.visualItemRect(grid.item(i))
            assert rect.height() >= 48 and rect.width() >= 48, (part, grid.item(i).text(), rect)
        button = picker.buttons[part]
        assert button.height() >= 48 and button.width() >= 48
    years = [picker.grid.item(i).text() for i in range(picker.grid.count())]
    assert "1988" in years and str(dt.date.today().year + 1) not in years, "a year is picked too, never typed"
    pick(qtbot, picker, "month", "April")
    assert picker.open_part == "day", "straight on to the next part"
    tap_cell(qtbot, picker, "9")
    tap_cell(qtbot, picker, "1988")
    assert changes[-1] == "1988-04-09" and not picker.grid.isVisible()
    pick(qtbot, picker, "day", "31")
    assert changes[-1] == "1988-04-31", "April has no 31st: the patient is told, not silently corrected"


def test_a_date_part_left_out_or_a_day_the_month_lacks_is_named(qtbot, content: Content) -> None:
    widget, changes = control(qtbot, content, type="date", past_only=True)
    picker = widget if isinstance(widget, DatePicker) else widget.findChildren(DatePicker)[0]
    widget.show()
    question = content.questions[content.manifest.identity.dob]
    pick(qtbot, picker, "month", "February")
    tap_cell(qtbot, picker, "30")
    assert check_answer(question, changes[-1], dt.date(2026, 11, 24)).render(content, "en") == (
        "February has 28 or 29 days. Please pick another day.")
    pick(qtbot, picker, "day", "12")
    assert check_answer(question, changes[-1], dt.date(2026, 11, 24)).render(content, "en") == "Please pick a year."


def test_the_date_order_comes_from_the_content(qtbot) -> None:
    assert date_order("day month year") == ("day", "month", "year")
    assert date_order("month day year") == ("month", "day", "year")
    assert date_order("nonsense") == ("month", "day", "year")
    picker = DatePicker(None, lambda _v: None, order=date_order("day month year"),
                        labels={"day": "Day", "month": "Month", "year": "Year"}, months=[str(n) for n in range(1, 13)],
                        name="When", past_only=True)
    qtbot.addWidget(picker)
    assert list(picker.buttons) == ["day", "month", "year"]


def test_numbers_have_minus_and_plus_buttons_within_the_range(qtbot, content: Content) -> None:
    widget, changes = control(qtbot, content, type="integer", min=0, max=2)
    minus, plus = by_name(widget, QPushButton, "−"), by_name(widget, QPushButton, "+")
    field = widget.findChildren(QLineEdit)[0]
    click(qtbot, plus)
    assert field.text() == "0" and changes[-1] == 0, "the first + starts at the lowest allowed number"
    for _ in range(4):
        click(qtbot, plus)
    assert field.text() == "2" and changes[-1] == 2, "+ stops at the highest allowed number"
    click(qtbot, minus)
    assert changes[-1] == 1
    for _ in range(3):
        click(qtbot, minus)
    assert field.text() == "0"
    qtbot.keyClicks(field, "9")
    assert field.text() == "0", "typing past the range is refused where the patient types"
    assert minus.accessibleDescription() == f"{content.text('decrease', 'en')}: Q"


def test_the_consent_can_be_signed_by_typing_the_name(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, nav(window, "Start"))
    while controller.screen().page is None or not getattr(controller.screen().page, "signature", False):
        assert controller.session.position != REVIEW, "no page asks for a signature"
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))
    page = controller.screen().page
    click(qtbot, by_name(window.page, QCheckBox, page.agree.get("en")))
    typed = by_name(window.page, QLineEdit, controller.content.text("signature_type", "en"))
    qtbot.keyClicks(typed, "Pat Keys")
    assert controller.session.signature_png and not window.page.signature.is_empty(), "the pad shows the typed name"
    click(qtbot, by_name(window.page, QPushButton, controller.content.text("signature_clear", "en")))
    assert controller.session.signature_png is None and typed.text() == "" and window.page.signature.is_empty()
    click(qtbot, nav(window, "Next"))
    assert controller.session.position == page.id, "an empty signature does not pass"
    qtbot.keyClicks(typed, "Pat Keys")
    click(qtbot, nav(window, "Next"))
    assert controller.session.position != page.id
