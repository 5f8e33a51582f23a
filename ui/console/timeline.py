"""A person's timeline: one small Qt Charts line per measure the trend follows, with every value printed at its
point, and the same numbers in a table (screen readers, and a value never rests on reading a chart).

The series come from the console controller (`StaffConsole.timeline`), which takes them from the Qt-free
kiosk.report.trend, the same declaration the PDF uses; this only draws them.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt, QTime
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QGridLayout, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from kiosk.console.controller import Timeline
from kiosk.report.trend import MEASURES, phq9_notes, shown
from ui.console.common import label

NOT_CONFIRMED = "not confirmed"
LINE = QColor("#1D4ED8")
CHART_TEXT_PT = 11
MOST_DATE_LABELS = 8  # what fits under a half-width chart at the console's 1280 px  # Qt Charts' default is smaller than the console's text


def day_ms(day: dt.date) -> float:
    """A visit date as Qt Charts' date axis counts it (milliseconds since the epoch, at local noon)."""
    return float(QDateTime(day, QTime(12, 0)).toMSecsSinceEpoch())


def two_lines(text: str) -> str:
    """A long column heading on two lines, split at the space nearest its middle, so it is never cut."""
    if len(text) <= 12 or " " not in text:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1:]


def nice_top(most: int | None, values: list[int]) -> tuple[int, int]:
    """The value axis's top and tick count: a scale's own top (PHQ-9 27, AUDIT-C 12, cravings 10), else the
    largest value rounded up, with ticks on whole numbers."""
    if most is not None:
        return most, next(n for n in (4, 3, 5, 2) if most % (n - 1) == 0) if most > 1 else 2
    step = 5 if max([0, *values]) <= 20 else 10 if max(values) <= 60 else 30
    top = max(step, -(-max([0, *values]) // step) * step)
    return top, min(7, top // step + 1)


def labelled_days(days: list[dt.date], most: int = MOST_DATE_LABELS) -> list[dt.date]:
    """The visit dates written under a chart: all of them, or (a long history) every n-th one and always the
    latest, so the labels never run into each other."""
    if len(days) <= most:
        return days
    step = -(-len(days) // most)
    return days[::-1][::step][::-1]


def match_text(visit_id: str, timeline: Timeline) -> str:
    if visit_id == timeline.view.submission_id:
        return "this visit"
    point = next(v.point for v in timeline.view.visits if v.id == visit_id)
    return "suggested, not confirmed" if point.unconfirmed else "confirmed"


class TimelineView(QWidget):
    """Charts (2 x 2) above a table of the same numbers; `show_timeline` redraws both."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.notes = label("", "PHQ-9 notes")
        self.notes.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.notes)
        self.key = label("Hollow squares: visits matched by name and date of birth only, not confirmed.",
                         "Chart key")
        layout.addWidget(self.key)
        grid = QGridLayout()
        self.charts: dict[str, QChartView] = {}
        for index, measure in enumerate(MEASURES):
            view = QChartView()
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(170)
            view.setAccessibleName(f"{measure.label} chart")
            self.charts[measure.field] = view
            grid.addWidget(view, index // 2, index % 2)
        layout.addLayout(grid, 3)
        self.table = QTableWidget(0, 3 + len(MEASURES))
        self.table.setAccessibleName("Visits and their numbers")
        self.table.setHorizontalHeaderLabels(["Visit date", "Visit", "Match", *[two_lines(m.label) for m in MEASURES]])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (0, 2):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 2)

    def show_timeline(self, timeline: Timeline) -> None:
        visits = timeline.view.visits
        # What the PDF says of the PHQ-9 totals (a change of 5 or more, response, remission), from the same rule.
        self.notes.setText("\n".join(phq9_notes([v.point for v in visits])))
        unconfirmed = {v.point.when for v in visits if v.point.unconfirmed}
        first = min((v.point.when for v in visits), default=dt.date.today())
        last = max((v.point.when for v in visits), default=first)
        for measure, pairs in timeline.series:
            self.charts[measure.field].setChart(_line_chart(measure.label, measure.most, list(pairs), unconfirmed,
                                                            first, last))
        self.table.setRowCount(len(visits))
        for row, visit in enumerate(visits):
            point = visit.point
            cells = [point.when.isoformat(), point.visit, match_text(visit.id, timeline),
                     *[shown(getattr(point, m.field)) for m in MEASURES]]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()


def _line_chart(title: str, most: int | None, pairs: list[tuple[dt.date, int]], unconfirmed: set[dt.date],
                first: dt.date, last: dt.date) -> QChart:
    """One measure across visits: a line through every value, each value written at its point, the visit dates
    under their points; visits that are only suggested matches are also drawn as hollow squares (named in the
    legend), so the mark is not colour alone."""
    font = QFont()
    font.setPointSize(CHART_TEXT_PT)
    chart = QChart()
    chart.setTitle(title if pairs else f"{title}: not measured at these visits")
    chart.setTitleFont(font)
    line = QLineSeries()
    line.setName(title)
    line.setPen(QPen(LINE, 2))
    line.setMarkerSize(18)  # not drawn (the dots below are), but it lifts each value's label clear of its mark
    line.setPointLabelsVisible(True)
    line.setPointLabelsFormat("@yPoint")
    line.setPointLabelsFont(font)
    line.setPointLabelsClipping(False)
    for day, value in pairs:
        line.append(day_ms(day), float(value))
    chart.addSeries(line)
    # Each visit's point: a filled dot when confirmed, a hollow square when only suggested.
    confirmed, doubtful = QScatterSeries(), QScatterSeries()
    confirmed.setName("confirmed")
    confirmed.setColor(LINE)
    confirmed.setBorderColor(LINE)
    doubtful.setName(NOT_CONFIRMED)
    doubtful.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRectangle)
    doubtful.setColor(QColor("white"))
    doubtful.setBorderColor(QColor("#9A3412"))
    doubtful.setPen(QPen(QColor("#9A3412"), 2))
    for series in (confirmed, doubtful):
        series.setMarkerSize(11)
    for day, value in pairs:
        (doubtful if day in unconfirmed else confirmed).append(day_ms(day), float(value))
    chart.addSeries(confirmed)
    chart.addSeries(doubtful)
    chart.legend().hide()  # the chart is small: the key is one line above all four charts
    chart.setMargins(QMargins(4, 4, 4, 4))
    dates = QCategoryAxis()
    dates.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    dates.setLabelsFont(font)
    for day in labelled_days(sorted({day for day, _ in pairs})):
        dates.append(day.strftime("%m/%d/%y" if first.year != last.year else "%m/%d"), day_ms(day))
    span = max(1, (last - first).days)
    pad = max(3, span // 12) * 24 * 3600 * 1000  # room for the first and last labels
    dates.setRange(day_ms(first) - pad, day_ms(last) + pad)
    amounts = QValueAxis()
    top, ticks = nice_top(most, [v for _, v in pairs])
    amounts.setRange(0, top)
    amounts.setTickCount(ticks)
    amounts.setLabelFormat("%d")
    amounts.setLabelsFont(font)
    chart.addAxis(dates, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
    for series in (line, confirmed, doubtful):
        series.attachAxis(dates)
        series.attachAxis(amounts)
    return chart
