"""The Clinic tab: a clinic at a glance over a date range, drawn with Qt Charts, exportable as a PDF.

The numbers come from kiosk.report.clinic_stats (Qt-free, tested at known inputs); this
only draws them and asks where to save the PDF for the medical director.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDialog, QFileDialog, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.console.controller import StaffConsole
from kiosk.console.forms import date_range
from kiosk.report.clinic_stats import Dashboard
from ui.console.common import button, console_style, label, line

DEFAULT_WEEKS = 12


class ClinicDialog(QDialog):
    def __init__(self, console: StaffConsole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic at a glance")
        self.setObjectName("clinic")
        self.setStyleSheet(console_style())
        self.console = console
        self.board: Dashboard | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        today = dt.date.today()
        self.since = line("From", "From YYYY-MM-DD", max_length=10)
        self.since.setText((today - dt.timedelta(weeks=DEFAULT_WEEKS)).isoformat())
        self.until = line("To", "To YYYY-MM-DD", max_length=10)
        self.until.setText(today.isoformat())
        for field in (self.since, self.until):
            field.returnPressed.connect(self.refresh)
            top.addWidget(field)
        self.show_button = button("Show", self.refresh, top)
        self.pdf_button = button("Export PDF...", self.choose_pdf, top)
        self.close_button = button("Close", self.accept, top)
        layout.addLayout(top)
        self.summary = label("", "Summary")
        layout.addWidget(self.summary)
        grid = QGridLayout()
        self.charts = {name: QChartView() for name in ("weeks", "positive", "stopped", "teach_back")}
        for index, view in enumerate(self.charts.values()):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(220)
            grid.addWidget(view, index // 2, index % 2)
        layout.addLayout(grid, 1)
        self.message = label("", "message")
        layout.addWidget(self.message)
        self.file_dialog: QFileDialog | None = None
        self.refresh()

    def refresh(self) -> None:
        since, until, problems = date_range(self.since.text(), self.until.text())
        if problems:
            self.message.setText("\n".join(problems))
            return
        self.message.clear()
        board = self.board = self.console.dashboard(since, until)
        median = "-" if board.median_minutes is None else f"{board.median_minutes:g} min"
        self.summary.setText(f"Intakes: {board.intakes}   Urgent: {board.urgent}   Stop: {board.stop}   "
                             f"Abandoned: {board.abandoned}   Median time to complete: {median}")
        self.charts["weeks"].setChart(_bars("Intakes per week", [f"{d.month}/{d.day}" for d, _ in board.weeks],
                                            [n for _, n in board.weeks], "intakes"))
        self.charts["positive"].setChart(_bars("Share positive (%)", [n for n, _, _ in board.positive],
                                               [100 * Dashboard.share(p, t) for _, p, t in board.positive], "%",
                                               horizontal=True, top=100))
        self.charts["stopped"].setChart(_bars("Where abandoned sessions stopped", [p for p, _ in board.stopped_at],
                                              [n for _, n in board.stopped_at], "sessions", horizontal=True))
        self.charts["teach_back"].setChart(_bars("Teach-back missed (%)", [q.removeprefix("Teach-back: ")
                                                                           for q, _, _ in board.teach_back],
                                                 [100 * Dashboard.share(m, a) for _, m, a in board.teach_back], "%",
                                                 horizontal=True, top=100))

    def choose_pdf(self) -> None:
        dialog = QFileDialog(self, "Save the clinic report as", str(Path.home() / "clinic-report.pdf"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOptions(QFileDialog.Option.DontUseNativeDialog)
        dialog.setDefaultSuffix("pdf")
        dialog.setNameFilter("PDF (*.pdf)")
        dialog.fileSelected.connect(lambda path: self.export_pdf(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def export_pdf(self, path: Path) -> None:
        from kiosk.report.dashboard_pdf import render_dashboard
        from kiosk.storage.private_files import write_private

        if self.board is None:
            return
        try:
            write_private(path, render_dashboard(self.board, self.console.clinic()))
        except OSError as exc:
            self.message.setText(f"Could not write {path}: {exc.strerror or exc}")
            return
        self.message.setText(f"Clinic report saved to {path}")


def _bars(title: str, names: list[str], values: list[float], unit: str, horizontal: bool = False,
          top: float | None = None) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    bars = QBarSet(unit)
    bars.append([float(round(v)) for v in values])  # whole numbers: a chart, not a table
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(names or ["(none)"])
    amounts = QValueAxis()
    amounts.setRange(0, top if top is not None else max([1.0, *values]) * 1.15)
    amounts.setLabelFormat("%d")
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(amounts)
    return chart
