"""Page 1's "Since last visit" block: the previous visit's date, the last shot and the next one, a small chart and
the numbers of the last visits, with what the PHQ-9 totals say (a change of 5 or more marked, response and
remission named)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from kiosk.report.doses import DoseRecord, dose_lines, short_words
from kiosk.report.escape import escape_markup as esc
from kiosk.report.trend import MEANINGFUL_CHANGE, VisitPoint, phq9_notes, shown
from kiosk.report.trend_chart import PANEL_LEAST, trend_chart

# Up to 13 rows under the chart on page 1: small type and tight rows, so the page keeps its clinician-use box.
COMPACT = [("TOPPADDING", (0, 0), (-1, -1), 0.3), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
           ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
# Column widths in inches (the last column takes what is left): across the page, or beside the chart.
WIDE = (0.95, 0.85, 0.8, 0.75, 1.05, 1.05)
NARROW = (0.75, 0.76, 0.55, 0.6, 0.68, 0.72)
# From this many visits the table is tall enough for the chart's panels to sit beside it, two by two.
SIDE_BY_SIDE_FROM = 6
MARK = colors.HexColor("#FFF1DC")


def since_last_visit(trend: tuple[VisitPoint, ...], styles: Any, width: float = 7.3 * inch,
                     chart: bool = True, rows: int | None = None) -> list[Flowable]:
    """Nothing when no earlier visit is known; otherwise a heading, a line, the chart (`width` points wide) and the
    table of the same numbers, oldest visit first.

    Without `chart`, page 1 says the chart is on page 2; with `rows`, the table holds only the last `rows` visits
    and page 1 says the earlier ones are on page 2 too (see `trend_chart_page`)."""
    if len(trend) < 2:
        return []
    previous, now = trend[-2], trend[-1]
    days = (now.when - previous.when).days
    out: list[Flowable] = [
        Paragraph("Since last visit", styles["Heading"]),
        Paragraph(f"Previous visit: {previous.when.isoformat()} ({esc(previous.visit)}, {days} days ago)"
                  + (" - <b>matched by name and date of birth, not confirmed by staff</b>" if previous.unconfirmed
                     else ""), styles["Body"]),
    ]
    given = [p.dose for p in trend[:-1] if p.dose is not None]
    out += [Paragraph(f"<b>{esc(line)}</b>", styles["Body"]) for line in dose_lines(given, now.when)]
    notes = [Paragraph(f"<b>{esc(note)}</b>", styles["Body"]) for note in phq9_notes(list(trend))]
    notes += [Paragraph(line, styles["Body"]) for line in identity_lines(trend)]
    if rows is not None and rows < len(trend):
        earlier = len(trend) - rows
        where = (f"The chart, and the {earlier} earlier visit{'s' if earlier > 1 else ''} not in this table, "
                 "are at the top of page 2.")
        return [*out, Paragraph(where, styles["Body"]), _table(trend, styles, first=earlier), *notes]
    if not chart:
        return [*out, Paragraph("The chart of these numbers is at the top of page 2.", styles["Body"]),
                _table(trend, styles), *notes]
    if len(trend) >= SIDE_BY_SIDE_FROM:
        return [*out, Spacer(1, 1), *_side_by_side(trend, styles, width, notes)]
    return [*out, Spacer(1, 3), trend_chart(trend, width), _table(trend, styles), *notes]


def _table(trend: tuple[VisitPoint, ...], styles: Any, widths: tuple[float, ...] = WIDE, first: int = 0) -> Table:
    """The numbers, one row per visit from `trend[first]`, oldest first; a PHQ-9 change of 5 or more (counted
    from the visit before, shown or not) is written and tinted."""
    cell = ParagraphStyle("TrendCell", parent=styles["Body"], fontSize=7.5, leading=8.6)
    head = ["Visit date", "Visit", "PHQ-9", "AUDIT-C", "Cravings (0-10)", "Days since opioid", "Given"]
    rows = [[Paragraph(f"<b>{h}</b>", cell) for h in head]]
    marked: list[int] = []
    last_phq9: int | None = None
    for index, point in enumerate(trend, start=1):
        phq9 = shown(point.phq9)
        if point.phq9 is not None and last_phq9 is not None and abs(point.phq9 - last_phq9) >= MEANINGFUL_CHANGE:
            phq9 += f" ({point.phq9 - last_phq9:+d})"
            marked.append(index)
        last_phq9 = point.phq9 if point.phq9 is not None else last_phq9
        if index <= first:
            continue
        label = "today" if point is trend[-1] else esc(point.visit) + (" *" if point.unconfirmed else "")
        rows.append([Paragraph(c, cell) for c in (
            point.when.isoformat(), label, f"<b>{phq9}</b>" if index in marked else phq9, shown(point.audit_c),
            shown(point.cravings), shown(point.days_since_opioid), short_words(point.dose))])
    table = Table(rows, colWidths=[w * inch for w in widths] + [None], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), *COMPACT,
                               *[("BACKGROUND", (2, row - first), (2, row - first), MARK) for row in marked
                                 if row > first]]))
    return table


def _side_by_side(trend: tuple[VisitPoint, ...], styles: Any, width: float, notes: list[Flowable]) -> list[Flowable]:
    """Many visits: the table on the left and the chart's panels two by two beside it, as tall as the table, so
    the chart adds no height to page 1; the notes go under the chart when the table is tall enough for both."""
    table = _table(trend, styles, NARROW)
    table_width = sum(NARROW) * inch + 0.45 * inch
    right = width - table_width - 8
    _, table_height = table.wrap(table_width, 10_000)
    notes_height = sum(note.wrap(right, 10_000)[1] for note in notes) + 4
    beside = table_height - notes_height >= 2 * PANEL_LEAST
    chart = trend_chart(trend, right, columns=2,
                        height=table_height - notes_height if beside else max(table_height, 2 * PANEL_LEAST))
    both = Table([[table, [chart, Spacer(1, 4), *notes] if beside else chart]], colWidths=[table_width + 8, None])
    both.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [both] if beside else [both, *notes]


def given_at_this_visit(dose: DoseRecord | None, styles: Any) -> list[Flowable]:
    """The line a clinician's record of today's shot or prescription adds to this visit's own page 1."""
    if dose is None:
        return []
    return [Paragraph(f"<b>Given at this visit:</b> {esc(dose.words)} (recorded by {esc(dose.by)} on "
                      f"{dose.given_on.isoformat()})", styles["Body"])]


def unlinked_visit(note: str, styles: Any) -> list[Flowable]:
    """Page 1 says why no earlier numbers are shown when staff must first say whose visit this is."""
    return [Paragraph(f"<b>{esc(note)}</b>", styles["Body"])] if note else []


def identity_lines(trend: tuple[VisitPoint, ...]) -> list[str]:
    """Whether the earlier visits are this patient's: a prescriber must not act on another person's numbers."""
    if any(point.unconfirmed for point in trend):
        return ["* Matched by name and date of birth only; staff have not confirmed it is the same person. "
                "Check identity before acting on these numbers."]
    return ["Earlier visits confirmed by staff as this patient's."]


def trend_chart_page(trend: tuple[VisitPoint, ...], styles: Any, width: float,
                     table: bool = False) -> list[Flowable]:
    """The chart with its own heading (and, with `table`, every visit's numbers), for the top of page 2 when page 1
    is full."""
    if len(trend) < 2:
        return []
    return [Paragraph("Since last visit: the trend chart", styles["Heading"]), trend_chart(trend, width),
            *([_table(trend, styles)] if table else []), Spacer(1, 6)]
