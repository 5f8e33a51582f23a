"""The Clinic tab draws the dashboard's numbers with Qt Charts and saves them as a PDF for a medical director."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCharts import QAbstractBarSeries

from fake_staff import FakeStaffData, make_submission
from kiosk.console.controller import StaffConsole
from kiosk.content import Content
from ui.console.clinic import ClinicDialog
from ui.console.window import ConsoleWindow

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def values(dialog: ClinicDialog, name: str) -> list[float]:
    [series] = [s for s in dialog.charts[name].chart().series() if isinstance(s, QAbstractBarSeries)]
    [bars] = series.barSets()
    return [bars.at(i) for i in range(bars.count())]


def test_the_clinic_tab_charts_the_range_and_exports_a_pdf(qtbot, content: Content, tmp_path: Path) -> None:
    people = [make_submission(content, "A", "1980-01-01", NOW - dt.timedelta(days=d)) for d in (1, 2, 9)]
    people.append(make_submission(content, "Old", "1980-01-01", NOW - dt.timedelta(days=200)))
    data = FakeStaffData(content, people)
    window = ConsoleWindow(StaffConsole(content, data, lambda: "North Clinic", lambda pdf, sid: (True, "")))
    qtbot.addWidget(window)
    window.show()
    window.clinic_button.click()
    dialog = window.dialog
    assert isinstance(dialog, ClinicDialog)
    assert sum(values(dialog, "weeks")) == 3, "the last 12 weeks by default: the 200-day-old intake is outside"
    assert dialog.summary.text().startswith("Intakes: 3 ")
    assert all(0 <= v <= 100 for v in values(dialog, "positive"))

    dialog.since.setText((NOW - dt.timedelta(days=365)).date().isoformat())
    dialog.refresh()
    assert sum(values(dialog, "weeks")) == 4
    dialog.until.setText("soon")
    dialog.refresh()
    assert "To: 'soon' is not a date" in dialog.message.text()

    out = tmp_path / "clinic.pdf"
    dialog.export_pdf(out)
    text = " ".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "North Clinic" in text and "Intakes" in text and "Share positive" in text and "A " not in text.split("Intakes")[0]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
