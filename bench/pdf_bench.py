"""Clinician PDF: time to render the PDF of a complete submission, against a bare reportlab document with
the same page count (built-in font, plain paragraphs), both built in this run, interleaved.

The clinician PDF lays out about 150 table cells in an embedded, subset TTF
font, so it costs several times the bare document; the target is <= 10x and,
what the patient would notice, <= 500 ms before the thank-you screen.
"""

from __future__ import annotations

import io
import time
from pathlib import Path


def bare_pdf(pages: int) -> tuple[bytes, int]:
    """The baseline document both PDF rows compare with: plain paragraphs in a built-in font, `pages` pages."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = []
    for page in range(pages):
        story += [Paragraph(f"Page {page + 1}", styles["Title"]), Paragraph("Lorem ipsum dolor sit amet. " * 60, styles["BodyText"])]
        if page < pages - 1:
            story.append(PageBreak())
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER)
    doc.build(story)
    return buffer.getvalue(), doc.page


def _bare(pages: int) -> tuple[float, int]:
    start = time.perf_counter()
    _, built = bare_pdf(pages)
    return (time.perf_counter() - start) * 1000, built


def _render(content, submission) -> tuple[float, bytes]:
    from kiosk.report.content import build_report
    from kiosk.report.pdf import ClinicianReport

    start = time.perf_counter()
    pdf = ClinicianReport().render(build_report(content, submission, "Bench Clinic"))
    return (time.perf_counter() - start) * 1000, pdf


def rows(tmp: Path, repeats: int) -> list:
    from pypdf import PdfReader

    from bench.run import Row
    from kiosk.content import load_content
    from kiosk.system.paths import content_dir
    from kiosk.patient.pipeline import finalize
    from kiosk.testing.wizard import SAMPLE_TIME, sample_submission

    content = load_content(content_dir())
    submission = finalize(content, sample_submission(content), SAMPLE_TIME)
    _render(content, submission)  # first render loads the fonts: a once-per-process cost, not per patient
    _, pdf = _render(content, submission)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert _bare(pages)[1] == pages, "the baseline must have the same page count"
    measured, baseline = [], []
    for _ in range(max(10, repeats * 4)):
        baseline.append(_bare(pages)[0])
        measured.append(_render(content, submission)[0])
    return [Row(f"clinician PDF render, complete submission ({pages} pages, {len(pdf) // 1024} KB)",
                measured, baseline, "ms", 10.0, absolute_limit=500.0,
                note=f"bare reportlab document of {pages} pages, Helvetica paragraphs")]
