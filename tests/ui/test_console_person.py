"""The console's person view: the suggested match, the timeline drawn with Qt Charts from the core's series (with
the numbers in a table too), and confirm / not the same person / split / merge, each through the controller."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMessageBox

from conftest import ADMIN, ADMIN_PASSPHRASE
from people_visits import store_visit
from kiosk.console.controller import StaffConsole
from kiosk.content import Content, load_visits
from kiosk.staff import audit, vault
from kiosk.staff.data import SealedStaffData
from kiosk.staff.rights import Role
from kiosk.system.paths import content_dir
from ui.console.person import PersonDialog
from ui.console.window import ConsoleWindow

DAYS = ["2026-09-01", "2026-09-29", "2026-10-27"]


@pytest.fixture(scope="module")
def visits() -> dict[str, Content]:
    return load_visits(content_dir())


def console_for(conn: sqlite3.Connection, content: Content, data_dir: Path,
                role: Role = Role.ADMINISTRATOR) -> StaffConsole:
    admin = vault.unlock(conn, ADMIN, ADMIN_PASSPHRASE)
    unlocked = admin
    if role is not Role.ADMINISTRATOR:
        vault.add_account(conn, admin, "Desk Dee", "dee's passphrase here", role)
        unlocked = vault.unlock(conn, "Desk Dee", "dee's passphrase here")
    return StaffConsole(content, SealedStaffData(conn, unlocked, content, data_dir), lambda: "Riverside Clinic",
                        lambda pdf, sid: (True, ""))


def points(dialog: PersonDialog, field: str, kind: type, name: str = "") -> list[tuple[str, float]]:
    """(visit date, value) of the chart's line, or of its scatter series `name` (confirmed / not confirmed)."""
    [series] = [s for s in dialog.timeline.charts[field].chart().series()
                if type(s) is kind and (kind is QLineSeries or s.name() == name)]
    return [(QDateTime.fromMSecsSinceEpoch(int(p.x())).date().toString("yyyy-MM-dd"), p.y()) for p in series.points()]


def table(dialog: PersonDialog) -> list[list[str]]:
    grid = dialog.timeline.table
    return [[grid.item(r, c).text() for c in range(grid.columnCount())] for r in range(grid.rowCount())]


def test_the_timeline_charts_the_known_series_and_confirming_clears_the_unconfirmed_marks(
        qtbot, installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    store_visit(installed, visits["intake"], "José López", 0, 18)
    store_visit(installed, visits["follow-up"], "JOSE LOPEZ", 1, 14, cravings=7)
    follow = store_visit(installed, visits["follow-up"], "jose lópez", 2, 8, cravings=3)
    store_visit(installed, visits["intake"], "Jose Lopes", 0, 2)  # a typo: never suggested
    dialog = PersonDialog(console_for(installed, visits["intake"], data_dir), follow)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 800)
    dialog.show()

    assert dialog.summary.text().startswith("Suggested match: 2 other visit(s)")
    assert points(dialog, "phq9", QLineSeries) == [(DAYS[0], 18.0), (DAYS[1], 14.0), (DAYS[2], 8.0)]
    assert dialog.timeline.notes.text() == ("PHQ-9 14 -> 8 since the previous visit (-6) - a change of 5 or more "
                                            "points\nResponse: PHQ-9 fell 50% or more from baseline 18")
    assert points(dialog, "cravings", QLineSeries) == [(DAYS[1], 7.0), (DAYS[2], 3.0)]
    assert points(dialog, "phq9", QScatterSeries, "not confirmed") == [(DAYS[0], 18.0), (DAYS[1], 14.0)]
    assert points(dialog, "phq9", QScatterSeries, "confirmed") == [(DAYS[2], 8.0)], "only this visit is sure"
    audit_c = [v for _, v in points(dialog, "audit_c", QLineSeries)]
    rows = table(dialog)
    assert [r[0] for r in rows] == DAYS and [r[3] for r in rows] == ["18", "14", "8"]
    assert [r[2] for r in rows] == ["suggested, not confirmed", "suggested, not confirmed", "this visit"]
    assert [float(r[4]) for r in rows if r[4] != "-"] == audit_c, "the table holds the chart's numbers"
    assert [r[5] for r in rows] == ["-", "7", "3"]
    assert dialog.confirm_button.isVisible() and dialog.reject_button.isVisible()
    assert not dialog.split_button.isVisible()

    with qtbot.waitSignal(dialog.changed):
        dialog.confirm_button.click()
    assert dialog.summary.text().startswith("Same person confirmed by Admin Ann")
    assert points(dialog, "phq9", QScatterSeries, "not confirmed") == []
    assert len(points(dialog, "phq9", QScatterSeries, "confirmed")) == 3
    assert [r[2] for r in table(dialog)] == ["confirmed", "confirmed", "this visit"]
    assert not dialog.confirm_button.isVisible() and dialog.split_button.isVisible()
    assert audit.entries(installed, 0, 1)[0].action == "person_confirm"


def test_merge_a_typo_found_by_name_and_split_a_visit_off(
        qtbot, installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    intake = store_visit(installed, visits["intake"], "María Gómez", 0, 20)
    typo = store_visit(installed, visits["follow-up"], "Maria Gomes", 1, 15)
    follow = store_visit(installed, visits["follow-up"], "Maria Gomez", 2, 9)
    dialog = PersonDialog(console_for(installed, visits["intake"], data_dir), follow)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [r[3] for r in table(dialog)] == ["20", "9"]

    dialog.merge_name.setText("Gomes")
    dialog.find_button.click()
    assert dialog.found.count() == 1 and "Maria Gomes" in dialog.found.item(0).text()
    dialog.merge_button.click()
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox) and "Merge this record" in box.text()
    with qtbot.waitSignal(dialog.changed):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert [r[3] for r in table(dialog)] == ["20", "15", "9"]
    assert [r[2] for r in table(dialog)] == ["confirmed", "confirmed", "this visit"]

    split = PersonDialog(dialog.console, typo)
    qtbot.addWidget(split)
    with qtbot.waitSignal(split.changed):
        split.split_button.click()
    assert [r[3] for r in table(split)] == ["15"] and "person of its own" in split.message.text()
    dialog.refresh()
    assert [r[3] for r in table(dialog)] == ["20", "9"]
    assert [e.action for e in audit.entries(installed, 0, 2)] == ["person_split", "person_merge"]
    assert intake in dialog.console.person(follow).ids()


def test_the_front_desk_sees_the_match_and_timeline_but_cannot_change_people(
        qtbot, installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    store_visit(installed, visits["intake"], "Kim Park", 0, 10)
    follow = store_visit(installed, visits["follow-up"], "Kim Park", 1, 6)
    window = ConsoleWindow(console_for(installed, visits["intake"], data_dir, Role.FRONT_DESK))
    qtbot.addWidget(window)
    window.show()
    window.table.selectRow(next(r for r in range(window.model.rowCount()) if window.model.row_at(r).id == follow))
    window.person_button.click()
    dialog = window.dialog
    assert isinstance(dialog, PersonDialog)
    assert [r[3] for r in table(dialog)] == ["10", "6"]
    for widget in (dialog.confirm_button, dialog.reject_button, dialog.merge_button):
        assert not widget.isEnabled() and widget.toolTip() == "Needs a clinician"
    assert dialog.console.person(follow).person is None


def test_a_visit_with_no_earlier_match_says_so(qtbot, installed: sqlite3.Connection, visits: dict[str, Content],
                                               data_dir: Path) -> None:
    only = store_visit(installed, visits["intake"], "Lone Visitor", 0, 5)
    dialog = PersonDialog(console_for(installed, visits["intake"], data_dir), only)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == "No earlier visit matches this name and date of birth"
    assert points(dialog, "phq9", QLineSeries) == [("2026-09-01", 5.0)]
    assert dialog.timeline.charts["audit_c"].chart().title() == "AUDIT-C"
    assert dialog.timeline.charts["days_since_opioid"].chart().title() == \
        "Days since last opioid: not measured at these visits"
    assert points(dialog, "days_since_opioid", QLineSeries) == []
    assert not dialog.confirm_button.isVisible() and not dialog.split_button.isVisible()
    assert dt.date.fromisoformat(table(dialog)[0][0]) == dt.date(2026, 9, 1)


def test_confirming_in_the_console_redraws_the_open_pdf_without_the_unconfirmed_mark(
        qtbot, installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    store_visit(installed, visits["intake"], "Lee Chan", 0, 18)
    follow = store_visit(installed, visits["follow-up"], "Lee Chan", 1, 8)
    window = ConsoleWindow(console_for(installed, visits["intake"], data_dir))
    qtbot.addWidget(window)
    window.show()

    def page_one() -> str:
        return " ".join(window.document.getAllText(0).text().split())

    window.table.selectRow(next(r for r in range(window.model.rowCount()) if window.model.row_at(r).id == follow))
    qtbot.waitUntil(lambda: window.document.pageCount() > 0)
    assert "not confirmed by staff" in page_one()
    window.person_button.click()
    dialog = window.dialog
    assert isinstance(dialog, PersonDialog)
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: window.document.pageCount() > 0 and "Earlier visits confirmed by staff" in page_one())
    assert "not confirmed by staff" not in page_one()


def test_a_long_history_writes_every_nth_visit_date_and_always_the_latest() -> None:
    from ui.console.timeline import labelled_days

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=28 * n) for n in range(18)]
    shown = labelled_days(days)
    assert len(shown) <= 8 and shown[-1] == days[-1] and shown == sorted(shown)
    assert labelled_days(days[:5]) == days[:5]


def test_the_actions_beside_the_preview_keep_whole_labels_at_1280(qtbot, content: Content) -> None:
    from fake_staff import FakeStaffData, make_submission

    now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
    data = FakeStaffData(content, [make_submission(content, "Rosa Diaz", "1980-02-03", now)])
    window = ConsoleWindow(StaffConsole(content, data, lambda: "Riverside Clinic", lambda pdf, sid: (True, "")))
    qtbot.addWidget(window)
    window.setGeometry(0, 0, 1280, 800)
    window.show()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.person_button.isEnabled())
    for widget in (window.print_button, window.review_button, window.dose_button, window.person_button):
        assert widget.isVisible() and widget.width() >= widget.sizeHint().width(), widget.text()


def test_the_queue_marks_a_visit_whose_suggested_match_waits_and_the_mark_goes_once_confirmed(
        qtbot, installed: sqlite3.Connection, visits: dict[str, Content], data_dir: Path) -> None:
    intake = store_visit(installed, visits["intake"], "Ana Ruíz", 0, 18)
    follow = store_visit(installed, visits["follow-up"], "ANA RUIZ", 1, 8)
    typo = store_visit(installed, visits["intake"], "Ana Ruis", 0, 3)  # another spelling: never suggested
    other_born = store_visit(installed, visits["follow-up"], "Ana Ruiz", 1, 4, dob="1990-01-02")
    console = console_for(installed, visits["intake"], data_dir)
    statements: list[str] = []
    installed.set_trace_callback(statements.append)
    window = ConsoleWindow(console)
    installed.set_trace_callback(None)
    qtbot.addWidget(window)
    window.show()
    assert len([s for s in statements if "token IN" in s]) == 1, "one query for the page's matches, not one a row"

    def flags() -> dict[str, str]:
        model = window.model
        return {model.row_at(r).id: model.data(model.index(r, 0)) for r in range(model.rowCount())}

    assert flags()[follow].endswith("[match to confirm]") and flags()[intake].endswith("[match to confirm]")
    assert "match" not in flags()[typo] and "match" not in flags()[other_born]
    window.table.selectRow(next(r for r in range(window.model.rowCount()) if window.model.row_at(r).id == follow))
    window.person_button.click()
    dialog = window.dialog
    assert isinstance(dialog, PersonDialog)
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: "match" not in flags()[follow])
    assert "match" not in flags()[intake], "confirming links both visits: neither waits any more"
    window.model.refresh()
    assert not any("match" in text for text in flags().values()), "and a fresh page agrees"
