"""Page 1 of the clinician PDF: what a prescriber needs to decide about naltrexone today.

Page 1 always holds the verdict line, every URGENT and STOP flag, the scores
and the opioid block, and the clinician-use box. Review and info flags fill
what room is left, in order; the ones that do not fit continue at the top of
page 2, and page 1 says how many.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from kiosk.rules.assessment import Flag
from kiosk.rules.missing import MISSING_PREFIX
from kiosk.report.since_last_visit import given_at_this_visit, since_last_visit, trend_chart_page, unlinked_visit
from kiosk.report.content import ReportData

if TYPE_CHECKING:
    from kiosk.report.pdf import ClinicianReport

# Tiers that must be on page 1 whatever else is there.
ALWAYS_ON_PAGE_ONE = ("urgent", "stop")
CLINICIAN_USE = ("Liver tests (LFTs)", "Urine drug screen", "Pregnancy test", "Naloxone given")
SEVERITY_COLOURS = {"urgent": colors.HexColor("#B00020"), "stop": colors.HexColor("#B00020"),
                    "review": colors.HexColor("#8A5A00"), "info": colors.HexColor("#1F4E79")}
# Rows a prescriber must not miss get a tint as well as the word (never colour alone).
SEVERITY_TINTS = {"urgent": colors.HexColor("#FDECEA"), "stop": colors.HexColor("#FFF1DC")}
COMPACT = [("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
# Slack for reportlab's own rounding and heading keep-with-next, so a "fits" here fits on the page.
SAFETY = 4.0


@dataclass(frozen=True)
class Layout:
    page_one: list[Flowable]
    overflow: list[Flowable]  # the trend chart and flags continued on page 2 (empty when page 1 holds all)


def verdict(data: ReportData) -> str:
    count = sum(1 for f in data.flags if f.severity == "stop")
    if count:
        return f"Contraindications to naltrexone today: {count} (see STOP rows)"
    return "No contraindication found in the answers"


class PageOne:
    def __init__(self, report: "ClinicianReport") -> None:
        self.report = report
        self.styles = report.styles

    def layout(self, data: ReportData, width: float, height: float) -> Layout:
        """Page 1's flowables, and what had to move to page 2: review/info flags, and the trend chart when page 1
        cannot hold it."""
        s = self.styles
        head = [self.report._masthead(data), Paragraph(data.summary_title, s["Heading"]),
                self.report._identity(data), *self.report._crisis(data), self._verdict(data),
                Paragraph("Flags for the clinician", s["Heading"])]
        must = [f for f in data.flags if _always(f)]
        optional = [f for f in data.flags if not _always(f)]
        none = Paragraph("No flags were raised by the answers.", s["Body"])
        least = self._page_one_flags(must, optional, 0) if data.flags else [none]
        tail, moved = self._trend_placed(data, head, least, width, height)
        if not data.flags:
            return Layout([*head, none, *tail], moved)
        room = height - SAFETY - _height([*head, *tail], width)
        kept = self._how_many_fit(must, optional, width, room)
        flags = self._page_one_flags(must, optional, kept)
        overflow: list[Flowable] = list(moved)
        if kept < len(optional):
            overflow += [Paragraph("Flags continued from page 1", s["Heading"]), self._flag_table(optional[kept:])]
        return Layout([*head, *flags, *tail], overflow)

    def _trend_placed(self, data: ReportData, head: list[Flowable], least: list[Flowable], width: float,
                      height: float) -> tuple[list[Flowable], list[Flowable]]:
        """Page 1's tail, and what of the trend moves to the top of page 2.

        The chart comes last: it stays on page 1 only when every flag fits there with it (a flag matters more
        than a picture of numbers the table already holds). When even the must-haves (`must`, then the tail) do
        not fit (`head`, then the `least` flag rows page 1 must hold, then the tail), the table keeps the latest
        visits that do, and page 2 opens with the chart and every visit.
        """
        s, room = self.styles, height - SAFETY
        tail = self._tail(data, width, chart=True)
        if not data.trend:
            return tail, []
        every_flag = [self._flag_table(list(data.flags))] if data.flags else least
        with_chart = _height([*head, *every_flag, *tail], width)
        if with_chart <= room:
            return tail, []
        without = self._tail(data, width, chart=False)
        if _height([*head, *every_flag, *without], width) < with_chart:  # beside a long table it costs none
            tail = without
        if _height([*head, *least, *tail], width) <= room:
            return tail, trend_chart_page(data.trend, s, width) if tail is without else []
        for rows in range(len(data.trend) - 1, 1, -1):
            tail = self._tail(data, width, chart=False, rows=rows)
            if _height([*head, *least, *tail], width) <= room:
                break
        return tail, trend_chart_page(data.trend, s, width, table=True)

    def _tail(self, data: ReportData, width: float, chart: bool, rows: int | None = None) -> list[Flowable]:
        s = self.styles
        return [*given_at_this_visit(data.dose, s), *unlinked_visit(data.match_note, s),
                *since_last_visit(data.trend, s, width, chart=chart, rows=rows),
                *self.report._scores(data), *self.report._opioid_block(data), Spacer(1, 8), self._clinician_use()]

    def _how_many_fit(self, must: list[Flag], optional: list[Flag], width: float, room: float) -> int:
        """How many review/info rows fit under the must-have rows: one wrap of the whole table gives every
        row's height (a row's height does not depend on the rows around it)."""
        whole = self._flag_table(must + optional)
        whole.wrap(width, 10_000)
        rows = list(whole._rowHeights)
        if sum(rows) <= room:
            return len(optional)
        note = _height(self._page_one_flags([], optional[:1], 0), width)  # the "N more flags" line
        used = sum(rows[: len(must)]) + note
        kept = 0
        for height in rows[len(must):]:
            if used + height > room:
                break
            used += height
            kept += 1
        return kept

    def _page_one_flags(self, must: list[Flag], optional: list[Flag], kept: int) -> list[Flowable]:
        shown = must + optional[:kept]
        out: list[Flowable] = [self._flag_table(shown)] if shown else []
        moved = len(optional) - kept
        if moved:
            word = "flag" if moved == 1 else "flags"
            out.append(Paragraph(f"<b>{moved} more {word} on page 2</b> (review and info)", self.styles["Body"]))
        return out

    def _verdict(self, data: ReportData) -> Flowable:
        text = verdict(data)
        stop = any(f.severity == "stop" for f in data.flags)
        colour = "#B00020" if stop else "#1B5E20"
        table = Table([[Paragraph(f'<font color="{colour}"><b>{text}</b></font>', self.styles["Verdict"])]])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, colors.HexColor(colour)),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        return table

    def _flag_table(self, flags: list[Flag]) -> Table:
        from kiosk.report.pdf import esc

        s = self.styles
        rows = []
        style = [("BOX", (0, 0), (-1, -1), 1.2, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.grey), *COMPACT]
        for index, flag in enumerate(flags):
            evidence = "<br/>".join(f"{esc(e.label)}: <b>{esc(e.value)}</b>" for e in flag.evidence)
            rows.append([Paragraph(f"<b>{flag.severity.upper()}</b>", s["Body"]),
                         Paragraph(f"{esc(flag.text)}<br/><font size=7.5>{evidence}</font>", s["Body"])])
            style.append(("TEXTCOLOR", (0, index), (0, index), SEVERITY_COLOURS[flag.severity]))
            if flag.severity in SEVERITY_TINTS:
                style.append(("BACKGROUND", (0, index), (-1, index), SEVERITY_TINTS[flag.severity]))
        table = Table(rows, colWidths=[0.9 * inch, None])
        table.setStyle(TableStyle(style))
        return table

    def _clinician_use(self) -> Flowable:
        """Boxes for the prescriber to write results in by hand: two to a row, each with room to write."""
        s = self.styles
        cells = [[Paragraph(f"<b>{label}</b>", s["Body"]), Paragraph("", s["Body"])] for label in CLINICIAN_USE]
        rows = [[Paragraph("<b>Clinician use</b> (write results and date)", s["Body"]), "", "", ""]]
        rows += [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
        rows.append([Paragraph("<b>Notes</b>", s["Body"]), "", "", ""])
        table = Table(rows, colWidths=[1.5 * inch, None, 1.5 * inch, None],
                      rowHeights=[None] + [0.38 * inch] * (len(rows) - 1))
        last = len(rows) - 1
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.0, colors.black), ("SPAN", (0, 0), (-1, 0)),
                                   ("SPAN", (1, last), (-1, last)),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                                   ("INNERGRID", (0, 1), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   *COMPACT]))
        return table


def _always(flag: Flag) -> bool:
    """URGENT and STOP rows, and every answer an import left out, stay on page 1."""
    return flag.severity in ALWAYS_ON_PAGE_ONE or flag.id.startswith(MISSING_PREFIX)


def _height(flowables: list[Flowable], width: float) -> float:
    total = 0.0
    for flowable in flowables:
        _, h = flowable.wrap(width, 10_000)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total
