"""Page 1's "Since last visit" block: the previous visit's date and the numbers of the last visits, with what the
PHQ-9 totals say (a change of 5 or more marked, response and remission named)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from kiosk.report.doses import DoseRecord, dose_lines, short_words
from kiosk.report.escape import escape_markup as esc
from kiosk.report.trend import MEANINGFUL_CHANGE, VisitPoint, phq9_notes, shown

COMPACT = [("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
MARK = colors.HexColor("#FFF1DC")


def since_last_visit(trend: tuple[VisitPoint, ...], styles: Any) -> list[Flowable]:
    """Nothing when no earlier visit is known; otherwise a heading, a line and a table, oldest visit first."""
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
    head = ["Visit date", "Visit", "PHQ-9", "AUDIT-C", "Cravings (0-10)", "Days since opioid", "Given"]
    rows = [[Paragraph(f"<b>{h}</b>", styles["Body"]) for h in head]]
    marked: list[int] = []
    last_phq9: int | None = None
    for index, point in enumerate(trend, start=1):
        phq9 = shown(point.phq9)
        if point.phq9 is not None and last_phq9 is not None and abs(point.phq9 - last_phq9) >= MEANINGFUL_CHANGE:
            phq9 += f" ({point.phq9 - last_phq9:+d})"
            marked.append(index)
        last_phq9 = point.phq9 if point.phq9 is not None else last_phq9
        label = "today" if point is now else esc(point.visit) + (" *" if point.unconfirmed else "")
        rows.append([Paragraph(c, styles["Body"]) for c in (
            point.when.isoformat(), label, f"<b>{phq9}</b>" if index in marked else phq9, shown(point.audit_c),
            shown(point.cravings), shown(point.days_since_opioid), short_words(point.dose))])
    table = Table(rows, colWidths=[0.95 * inch, 0.85 * inch, 0.8 * inch, 0.75 * inch, 1.05 * inch, 1.05 * inch, None],
                  repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), *COMPACT,
                               *[("BACKGROUND", (2, row), (2, row), MARK) for row in marked]]))
    out.append(table)
    out += [Paragraph(f"<b>{esc(note)}</b>", styles["Body"]) for note in phq9_notes(list(trend))]
    out += [Paragraph(line, styles["Body"]) for line in identity_lines(trend)]
    return out


def given_at_this_visit(dose: DoseRecord | None, styles: Any) -> list[Flowable]:
    """The line a clinician's record of today's shot or prescription adds to this visit's own page 1."""
    if dose is None:
        return []
    return [Paragraph(f"<b>Given at this visit:</b> {esc(dose.words)} (recorded by {esc(dose.by)} on "
                      f"{dose.given_on.isoformat()})", styles["Body"])]


def identity_lines(trend: tuple[VisitPoint, ...]) -> list[str]:
    """Whether the earlier visits are this patient's: a prescriber must not act on another person's numbers."""
    if any(point.unconfirmed for point in trend):
        return ["* Matched by name and date of birth only; staff have not confirmed it is the same person. "
                "Check identity before acting on these numbers."]
    return ["Earlier visits confirmed by staff as this patient's."]
