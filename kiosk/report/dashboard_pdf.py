"""The Clinic tab as a PDF for a medical director: the same numbers as tables, no patient in it."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk.report.clinic_stats import Dashboard
from kiosk.report.pdf import ClinicianReport, esc


def render_dashboard(board: Dashboard, clinic: str) -> bytes:
    styles = ClinicianReport().styles  # the clinician PDF's fonts and sizes
    span = f"{board.since or 'the first intake'} to {board.until or 'today'}"
    median = "-" if board.median_minutes is None else f"{board.median_minutes:g} minutes"
    story: list = [Paragraph(esc(clinic) or "Clinic", styles["Title"]),
                   Paragraph(f"Clinic at a glance, {esc(str(span))}", styles["Heading"]),
                   _table([("Intakes", str(board.intakes)), ("Urgent", str(board.urgent)), ("Stop", str(board.stop)),
                           ("Abandoned sessions", str(board.abandoned)), ("Median time to complete", median)], styles)]
    sections = [
        ("Intakes per week (week starting)", [(d.isoformat(), str(n)) for d, n in board.weeks]),
        ("Share positive", [(name, f"{p} of {t} ({100 * Dashboard.share(p, t):.0f}%)") for name, p, t in board.positive]),
        ("Where abandoned sessions stopped", [(page, str(n)) for page, n in board.stopped_at]),
        ("Teach-back missed", [(q, f"{m} of {a} ({100 * Dashboard.share(m, a):.0f}%)") for q, m, a in board.teach_back]),
    ]
    for title, rows in sections:
        story += [Spacer(1, 8), Paragraph(title, styles["Heading"]), _table(rows or [("-", "none in this range")], styles)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=LETTER, title="Clinic at a glance", author=clinic,
                      leftMargin=0.7 * inch, rightMargin=0.7 * inch).build(story)
    return buffer.getvalue()


def _table(rows: list[tuple[str, str]], styles) -> Table:
    table = Table([[Paragraph(esc(a), styles["Label"]), Paragraph(esc(b), styles["Body"])] for a, b in rows],
                  colWidths=[3.4 * inch, None])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
