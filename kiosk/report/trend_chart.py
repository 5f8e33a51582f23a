"""The small chart in page 1's "Since last visit": one panel per measure (PHQ-9, AUDIT-C, cravings, days since the
last opioid), each on its own scale, over the same visits the table lists.

Each measure gets its own panel because their scales differ (0-27, 0-12, 0-10, open-ended); one shared axis
would flatten three of them. The x axis is days since the first visit shown, so a missed month shows as a gap.
On the PHQ-9 panel a dashed line marks remission (under 5) and every change of 5 or more points between two
measured visits is written beside its point ("-8"), so the chart says it in words as well as in shape.
A visit matched to this patient by name and birth date only (staff have not confirmed it) is a hollow point, as on
the console's timeline, and a legend line under the panels says what the two kinds of point mean.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue

from kiosk.report.trend import MEANINGFUL_CHANGE, MEASURES, REMISSION_BELOW, Measure, VisitPoint, values

HEIGHT = 76.0  # one row of four panels
PANEL_LEAST = 58.0  # the least height a panel is drawn in
LINE = colors.HexColor("#1F4E79")
MARKED = colors.HexColor("#8A5A00")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"  # registered by kiosk.report.pdf before any page is drawn
# Room inside a panel for its title (top), y labels (left) and the first/last visit dates (bottom).
TITLE, LEFT, BOTTOM, GAP = 13.0, 20.0, 13.0, 10.0
POINT = 1.8  # a visit's point (radius): filled when confirmed, hollow when only suggested
LEGEND = 10.0  # a legend line under the panels, drawn only when some visit is not confirmed
LEGEND_FULL = 290.0  # the legend's long wording needs about 285 points at 6.5 pt; narrower charts use the short one
NOT_CONFIRMED = "not confirmed by staff (matched by name and date of birth only)"
NOT_CONFIRMED_SHORT = "not confirmed by staff"  # beside the table, where the "*" note under it says the rest


@dataclass(frozen=True)
class Panel:
    """One measure's drawn values: (days since the first visit, value), its scale, and the marked changes."""

    measure: Measure
    points: tuple[tuple[int, int], ...]
    top: int
    changes: tuple[tuple[int, int, int], ...] = ()  # (x, value, change since the previous measured visit)
    unconfirmed: tuple[bool, ...] = ()  # per point: only a suggested match, not confirmed by staff


def panels(trend: tuple[VisitPoint, ...]) -> list[Panel]:
    """What each panel draws, from the visits the table lists (oldest first)."""
    if not trend:
        return []
    first = trend[0].when
    found = []
    for measure in MEASURES:
        points = tuple(((when - first).days, value) for when, value in values(list(trend), measure))
        # values() keeps the measured visits in date order (a stable sort), so this lines up with `points`.
        measured = [p for p in sorted(trend, key=lambda p: p.when) if getattr(p, measure.field) is not None]
        changes: tuple[tuple[int, int, int], ...] = ()
        if measure.field == "phq9":
            changes = tuple((x, value, value - before) for (_, before), (x, value) in zip(points, points[1:])
                            if abs(value - before) >= MEANINGFUL_CHANGE)
        found.append(Panel(measure, points, measure.most or _open_top([v for _, v in points]), changes,
                           tuple(p.unconfirmed for p in measured)))
    return found


def _open_top(numbers: list[int]) -> int:
    """An open-ended scale's top: the largest value rounded up to a month (30 days), at least one month."""
    return max(30, math.ceil(max(numbers, default=0) / 30) * 30)


class TrendChart(Drawing):  # type: ignore[misc]
    """The drawing, plus `plots`: each measure's field and the LinePlot drawn for it (what a test reads back)."""

    _attrMap = AttrMap(BASE=Drawing, plots=AttrMapValue(None, desc="field -> LinePlot"))

    def __init__(self, width: float, height: float) -> None:
        super().__init__(width, height)
        self.plots: dict[str, LinePlot] = {}


def trend_chart(trend: tuple[VisitPoint, ...], width: float, columns: int = 4, height: float = HEIGHT) -> TrendChart:
    """The four panels, `columns` to a row, in `width` by `height` points (and a legend line under them when a visit
    is not confirmed, taken from `height` while the panels keep PANEL_LEAST, else added to it)."""
    found = panels(trend)
    if not found:
        return TrendChart(width, height)
    rows = math.ceil(len(found) / columns)
    legend = LEGEND if any(point.unconfirmed for point in trend) else 0.0
    area = max(height - legend, rows * PANEL_LEAST) if legend else height
    drawing = TrendChart(width, area + legend)
    span = max(1, (trend[-1].when - trend[0].when).days)
    each, tall = (width - GAP * (columns - 1)) / columns, area / rows
    for index, panel in enumerate(found):
        group, plot = _panel(panel, each, tall, span, trend[0].when)
        row, column = divmod(index, columns)
        group.translate(column * (each + GAP), legend + area - (row + 1) * tall)
        drawing.add(group)
        if plot is not None:
            drawing.plots[panel.measure.field] = plot
    if legend:
        drawing.add(_legend(NOT_CONFIRMED if width >= LEGEND_FULL else NOT_CONFIRMED_SHORT))
    return drawing


def _legend(not_confirmed: str) -> Group:
    """What a filled and a hollow point mean, on one line under the panels."""
    group = Group()
    y = LEGEND / 2 - 1
    for left, hollow, text in ((0.0, False, "confirmed visit"), (POINT * 2 + 62, True, not_confirmed)):
        group.add(Circle(left + POINT + 1, y + 2, POINT, fillColor=colors.white if hollow else LINE,
                         strokeColor=LINE, strokeWidth=1.0))
        group.add(String(left + POINT * 2 + 4, y, text, fontName=FONT, fontSize=6.5))
    return group


def _panel(panel: Panel, width: float, height: float, span: int, first: dt.date) -> tuple[Group, LinePlot | None]:
    group = Group()
    group.add(String(0, height - 9, panel.measure.label, fontName=FONT_BOLD, fontSize=7.5))
    if not panel.points:
        group.add(String(LEFT, height / 2, "not measured", fontName=FONT, fontSize=7, fillColor=colors.grey))
        return group, None
    plot = LinePlot()
    plot.x, plot.y = LEFT, BOTTOM
    plot.width, plot.height = width - LEFT - 4, height - TITLE - BOTTOM - 4
    plot.data = [list(panel.points)]
    plot.joinedLines = 1
    plot.lines[0].strokeColor = LINE
    plot.lines[0].strokeWidth = 1.2
    plot.lines[0].symbol = None  # each point is drawn below: filled when confirmed, hollow when not
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = 0, span
    x_axis.valueSteps = sorted({0, span})
    x_axis.labelTextFormat = lambda days: (first + dt.timedelta(days=int(round(days)))).strftime("%m/%d")
    y_axis.valueMin, y_axis.valueMax = 0, panel.top
    y_axis.valueSteps = _steps(panel.top)
    for axis in (x_axis, y_axis):
        axis.labels.fontName, axis.labels.fontSize = FONT, 6.5
        axis.strokeColor = colors.grey
    x_axis.labels.boxAnchor = "n"
    y_axis.labels.boxAnchor = "e"
    y_axis.visibleGrid = 1
    y_axis.gridStrokeColor = colors.HexColor("#E4E4E4")
    y_axis.gridStart, y_axis.gridEnd = plot.x, plot.x + plot.width
    group.add(plot)
    for (x, value), hollow in zip(panel.points, panel.unconfirmed):
        group.add(Circle(plot.x + plot.width * x / span, plot.y + plot.height * value / panel.top, POINT,
                         fillColor=colors.white if hollow else LINE, strokeColor=LINE, strokeWidth=1.0))
    if panel.measure.field == "phq9":
        _phq9_marks(group, plot, panel, span)
    return group, plot


def _steps(top: int) -> list[int]:
    """A few round y labels: 0, the middle and the top (what fits in a panel 60 points high)."""
    middle = top // 2 if top % 2 == 0 else round(top / 2 / 5) * 5
    return sorted({0, middle, top})


def _phq9_marks(group: Group, plot: LinePlot, panel: Panel, span: int) -> None:
    """The remission line (under 5) and each 5-point change, written beside its point."""
    def at(x: float, y: float) -> tuple[float, float]:
        return plot.x + plot.width * x / span, plot.y + plot.height * y / panel.top

    left, line_y = at(0, REMISSION_BELOW)
    right = plot.x + plot.width
    group.add(Line(left, line_y, right, line_y, strokeColor=colors.HexColor("#1B5E20"), strokeWidth=0.6,
                   strokeDashArray=[2, 2]))
    # Under the line at its left end: totals usually start high, so the words do not sit on the points.
    group.add(String(left + 2, line_y - 6.5, "remission <5", fontName=FONT, fontSize=5.5,
                     fillColor=colors.HexColor("#1B5E20")))
    for x, value, change in panel.changes:
        px, py = at(x, value)
        group.add(makeMarker("Circle", x=px, y=py, size=6.5, strokeColor=MARKED, strokeWidth=1.0, fillColor=None))
        group.add(String(px + 4, py + 3, f"{change:+d}", fontName=FONT_BOLD, fontSize=7, fillColor=MARKED))
