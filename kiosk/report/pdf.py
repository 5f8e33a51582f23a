"""The clinician PDF: one reportlab renderer class, rendering to bytes.

Stylesheet, bundled fonts, page template (header, footer, Part 2 notice) and
story live here; what the story says comes from `report.content`. Every
patient string goes through `escape_markup`.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.system.paths import resources_dir
from kiosk.report.content import KIOSK_PROVENANCE, ReportData
from kiosk.report.escape import escape_markup, printable
from kiosk.report.page_one import COMPACT, SEVERITY_COLOURS, PageOne

PART2_NOTICE = (
    "42 CFR Part 2 notice: This record is protected by federal confidentiality rules (42 CFR part 2). "
    "Federal law prohibits any further disclosure of it unless the patient has consented in writing "
    "or the disclosure is otherwise permitted by 42 CFR part 2. A general authorization for the "
    "release of medical or other information is not sufficient. The rules restrict any use of it "
    "to investigate or prosecute the patient, except as permitted by law."
)
TRAINING_MARK = "TRAINING - NOT A PATIENT"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


_drawable: frozenset[int] = frozenset()


def _register_fonts() -> None:
    """Load the bundled DejaVu fonts once, and note which code points both weights can draw."""
    global _drawable
    if FONT in pdfmetrics.getRegisteredFontNames() and _drawable:
        return
    fonts = resources_dir() / "fonts"
    regular, bold = TTFont(FONT, str(fonts / "DejaVuSans.ttf")), TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    # Astral code points are left out: reportlab's ToUnicode map cannot name them, so they would not extract.
    both = set(regular.face.charToGlyph) & set(bold.face.charToGlyph)
    _drawable = frozenset(code for code in both if 0x20 <= code < 0x10000 and regular.face.charToGlyph[code])


def esc(text: str) -> str:
    """Every patient string on its way into Paragraph markup (see kiosk.report.escape for the rule)."""
    return escape_markup(text, _drawable)


def _stylesheet() -> StyleSheet1:
    sheet = StyleSheet1()
    base = ParagraphStyle("Body", fontName=FONT, fontSize=9, leading=11.5, alignment=TA_LEFT)
    sheet.add(base)
    sheet.add(ParagraphStyle("Title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4))
    sheet.add(ParagraphStyle("Heading", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2, keepWithNext=1))
    sheet.add(ParagraphStyle("Small", parent=base, fontSize=7, leading=8.5))
    sheet.add(ParagraphStyle("Label", parent=base, fontName=FONT_BOLD))
    sheet.add(ParagraphStyle("Verdict", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15))
    sheet.add(ParagraphStyle("Section", parent=base, fontName=FONT_BOLD, spaceAfter=2, keepWithNext=1))
    return sheet


class ClinicianReport:
    """Renders one submission's ReportData to PDF bytes.

    `deterministic=True` uses reportlab's invariant mode (fixed ids and dates)
    and a fixed generation time, so the same data gives the same bytes.
    """

    page_size = LETTER
    margin = 0.5 * inch
    top_margin = margin + 0.35 * inch  # room for the running header
    bottom_margin = margin + 0.7 * inch  # room for the Part 2 notice and the footer

    def __init__(self, deterministic: bool = False, generated_at: dt.datetime | None = None) -> None:
        _register_fonts()
        self.styles = _stylesheet()
        self.deterministic = deterministic
        fixed = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
        self.generated_at = generated_at or (fixed if deterministic else dt.datetime.now().astimezone())

    def render(self, data: ReportData) -> bytes:
        buffer = io.BytesIO()
        previous = rl_config.invariant
        rl_config.invariant = 1 if self.deterministic else previous
        try:
            doc = SimpleDocTemplate(
                buffer,
                pagesize=self.page_size,
                leftMargin=self.margin,
                rightMargin=self.margin,
                topMargin=self.top_margin,
                bottomMargin=self.bottom_margin,
                title=data.summary_title,
                author=data.clinic,
                subject=f"Intake {data.submission_id}",
                creator="naltrexone-kiosk",
            )
            doc.build(self.story(data), canvasmaker=self._canvas_maker(data))
        finally:
            rl_config.invariant = previous
        return buffer.getvalue()

    # -- story -----------------------------------------------------------------

    def story(self, data: ReportData) -> list:
        s = self.styles
        width, height = self.frame_size()
        layout = PageOne(self).layout(data, width, height)
        story: list = list(layout.page_one)
        if layout.overflow:
            story += [PageBreak(), *layout.overflow]
        consent: list = [Paragraph(esc(data.consent), s["Body"])]
        if data.signature_png:
            consent.append(self._signature(data.signature_png, data.provenance == KIOSK_PROVENANCE))
        story.append(KeepTogether([Paragraph("Consent", s["Heading"]), self._side_by_side(consent)]))
        if data.teach_back:
            story.append(Paragraph("Teach-back (what the patient chose)", s["Heading"]))
            story.append(self._table([(t.question, f"{t.chosen} ({'correct' if t.correct else 'not correct: review with patient'})") for t in data.teach_back]))
        if data.staff_note:
            story.append(Paragraph("Staff note", s["Heading"]))
            story.append(Paragraph(esc(data.staff_note), s["Body"]))
        for index, section in enumerate(data.sections):
            rows = [(r.question, r.answer) for r in section.rows]
            # The title travels with the first two answers; the rest may flow over pages.
            head = [Paragraph("Answers", s["Heading"])] if index == 0 else []
            story.append(KeepTogether([*head, Paragraph(esc(section.title), s["Section"]), self._table(rows[:2])]))
            if rows[2:]:
                story.append(self._table(rows[2:]))
            story.append(Spacer(1, 6))
        return story

    def _masthead(self, data: ReportData):
        """Clinic name, with the clinic's logo to its left when one is configured."""
        title = Paragraph(esc(data.clinic) or "Clinic", self.styles["Title"])
        if not data.logo_png:
            return title
        logo = self._image(data.logo_png, 1.4 * inch, 0.7 * inch)
        table = Table([[logo, title]], colWidths=[logo.drawWidth + 0.15 * inch, None])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
        return table

    def _crisis(self, data: ReportData) -> list:
        """The crisis moment, right under who and when, only when the kiosk showed it."""
        if not data.crisis:
            return []
        colour = SEVERITY_COLOURS["urgent"].hexval()[2:]
        return [Spacer(1, 3), Paragraph(f'<font color="#{colour}"><b>{esc(data.crisis)}</b></font>', self.styles["Body"])]

    def _opioid_block(self, data: ReportData) -> list:
        if not (data.derived or data.preference):
            return []
        rows = list(data.derived)
        if data.preference:
            rows.append(("Medication preference", data.preference))
        return [Paragraph("Opioid use and medication preference", self.styles["Heading"]), self._table(rows)]

    def frame_size(self) -> tuple[float, float]:
        """The width and height a page's body has (the page less margins and the frame's 6 pt padding)."""
        width, height = self.page_size
        return (width - 2 * self.margin - 12, height - self.top_margin - self.bottom_margin - 12)

    def _scores(self, data: ReportData) -> list:
        s = self.styles
        if not data.scores:
            return []
        head = ["Instrument", "Score", "Band", "Cut-off used", "Screen"]
        rows = [[Paragraph(f"<b>{h}</b>", s["Body"]) for h in head]]
        for score in data.scores:
            partial = "" if score.complete else f" ({score.items_answered} of {score.items_total} items)"
            cutoff = f"&gt;= {score.cutoff}" if score.cutoff is not None else "none"
            if score.cutoff_note:
                cutoff += f" ({esc(score.cutoff_note)})"
            rows.append([
                Paragraph(esc(score.name), s["Body"]),
                Paragraph(f"{score.total}{partial}", s["Body"]),
                Paragraph(esc(score.band) or "-", s["Body"]),
                Paragraph(cutoff, s["Body"]),
                Paragraph(score.screen, s["Body"]),
            ])
        table = Table(rows, colWidths=[1.2 * inch, 1.25 * inch, 1.1 * inch, None, 1.55 * inch], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"), *COMPACT]))
        return [Paragraph("Scores", s["Heading"]), table]

    def _table(self, rows: list[tuple[str, str]]) -> Table:
        s = self.styles
        cells = [[Paragraph(esc(label), s["Label"]), Paragraph(esc(value), s["Body"])] for label, value in rows]
        table = Table(cells, colWidths=[2.4 * inch, None])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                                   *COMPACT]))
        return table

    def _identity(self, data: ReportData) -> Table:
        """Who and when, two facts to a row so page 1 keeps room for flags, scores and the signature."""
        s = self.styles
        cells = [[Paragraph(label, s["Label"]), Paragraph(esc(value), s["Body"])]
                 for label, value in (("Patient", data.patient_name), ("Date of birth", data.date_of_birth),
                                      ("Submitted", data.submitted), ("Language used", data.language))]
        source = [Paragraph("Answers", s["Label"]), Paragraph(esc(data.provenance), s["Body"]),
                  Paragraph("Consent", s["Label"]), Paragraph(esc(data.consent), s["Body"])]
        table = Table([cells[0] + cells[1], cells[2] + cells[3], source], colWidths=[1.0 * inch, None, 1.25 * inch, None])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey), *COMPACT]))
        return table

    def _side_by_side(self, cells: list) -> Table:
        table = Table([cells], colWidths=[None, 3.3 * inch][: len(cells)] if len(cells) > 1 else None, hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
        return table

    def _signature(self, png: bytes, on_kiosk: bool) -> Table:
        image = self._image(png, 3.0 * inch, 0.8 * inch)
        table = Table([[image], [Paragraph("Patient's signature" + (", drawn on the kiosk" if on_kiosk else ", from the imported response"),
                                          self.styles["Small"])]],
                      colWidths=[3.2 * inch], hAlign="LEFT")
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (0, 0), 0.6, colors.black), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    @staticmethod
    def _image(png: bytes, max_width: float, max_height: float) -> Image:
        """An in-memory picture scaled to fit the box; never a path, so nothing is read from disk."""
        reader = ImageReader(io.BytesIO(png))
        width, height = reader.getSize()
        scale = min(max_width / max(width, 1), max_height / max(height, 1))
        return Image(io.BytesIO(png), width=width * scale, height=height * scale)

    # -- page template ------------------------------------------------------------

    def _canvas_maker(self, data: ReportData) -> type[Canvas]:
        report = self

        class NumberedCanvas(Canvas):
            """Holds every page until the end so each footer can say "Page X of Y"."""

            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self) -> None:  # noqa: N802 (reportlab's name)
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                total = len(self._pages)
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    report._decorate(self, data, number, total)
                    Canvas.showPage(self)
                Canvas.save(self)

        return NumberedCanvas

    def _decorate(self, canvas: Canvas, data: ReportData, number: int, total: int) -> None:
        width, height = self.page_size
        left, right = self.margin, width - self.margin
        canvas.saveState()
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawString(left, height - self.margin, _plain(f"{data.patient_name}  |  DOB {data.date_of_birth}"))
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, height - self.margin, _plain(data.clinic))
        canvas.line(left, height - self.margin - 4, right, height - self.margin - 4)
        notice = Paragraph(PART2_NOTICE, self.styles["Small"])
        _, notice_height = notice.wrap(right - left, self.margin)
        notice.drawOn(canvas, left, self.margin + 14)
        canvas.setFont(FONT, 8)
        generated = self.generated_at.strftime("%Y-%m-%d %H:%M")
        canvas.drawString(left, self.margin, f"Generated {generated}  |  content version {_plain(data.content_version)}")
        canvas.drawRightString(right, self.margin, f"Page {number} of {total}")
        canvas.restoreState()
        if data.training:
            self._training_mark(canvas)

    def _training_mark(self, canvas: Canvas) -> None:
        """Across the page and in the header band, so neither a glance nor a cropped copy can take it for a patient."""
        width, height = self.page_size
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#B00020"))
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawCentredString(width / 2, height - self.margin / 2 - 2, TRAINING_MARK)
        canvas.setFillAlpha(0.16)
        canvas.setFont(FONT_BOLD, 46)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(40)
        canvas.drawCentredString(0, 0, TRAINING_MARK)
        canvas.restoreState()


def _plain(text: str) -> str:
    """Canvas strings are not markup, but they follow the same printable rule, on one line."""
    return printable(text, _drawable).replace("\n", " ")
