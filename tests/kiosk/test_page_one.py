"""Page 1 of the clinician PDF: the verdict, every URGENT and STOP row, scores, opioid block and clinician box,
whatever else the answers raise; review and info flags that do not fit continue on page 2, counted."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from high_risk import high_risk_answers
from kiosk.rules.assessment import Assessment, Evidence, Flag, Score
from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.report.content import ReportData, build_report
from kiosk.report.page_one import CLINICIAN_USE
from kiosk.report.pdf import ClinicianReport
from report_samples import GOLDEN_TIME, complete_answers, complete_submission_for, typical_answer


def pages(report: ReportData) -> list[str]:
    pdf = ClinicianReport().render(report)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def report_with(content: Content, answers: dict, flags: tuple[Flag, ...] | None = None) -> ReportData:
    submission = finalize(content, complete_submission_for(content, answers=answers), GOLDEN_TIME)
    if flags is not None:
        submission.assessment = Assessment(scores=submission.assessment.scores, derived=submission.assessment.derived,
                                           flags=flags)
    return build_report(content, submission, "Riverside Clinic")


def test_high_risk_patient_page_one_holds_verdict_stop_rows_scores_and_opioid_block(content: Content) -> None:
    report = report_with(content, high_risk_answers(content))
    first = pages(report)[0]
    assert "Contraindications to naltrexone today: 3 (see STOP rows)" in first
    for flag in report.flags:
        if flag.severity in ("urgent", "stop"):
            assert f"{flag.severity.upper()} {flag.text}" in first
    order = ["Completed on the kiosk", "Contraindications to naltrexone today", "URGENT PHQ-9", "STOP Fewer", "Scores",
             "Opioid use and medication preference", "Days since last opioid 3 days", "Clinician use"]
    positions = [first.find(marker) for marker in order]
    assert -1 not in positions and positions == sorted(positions), dict(zip(order, positions))
    assert all(label in first for label in CLINICIAN_USE)


def test_no_stop_flag_reads_no_contraindication(content: Content) -> None:
    first = pages(report_with(content, complete_answers(content, typical_answer),
                              flags=(Flag("r", "review", "Kidney disease reported."),)))[0]
    assert "No contraindication found in the answers" in first
    assert "Contraindications to naltrexone today" not in first


def many_flags() -> tuple[Flag, ...]:
    def flag(tier: str, n: int) -> Flag:
        return Flag(f"{tier}_{n}", tier, f"{tier.title()} flag number {n} with a reason that takes a line.",
                    (Evidence("Answer that raised it", f"value {n}"),))
    return (*(flag("urgent", n) for n in range(2)), *(flag("stop", n) for n in range(4)),
            *(flag("review", n) for n in range(30)), *(flag("info", n) for n in range(6)))


def test_flags_that_do_not_fit_continue_on_page_two_and_are_counted(content: Content) -> None:
    flags = many_flags()
    texts = pages(report_with(content, high_risk_answers(content), flags=flags))
    first, second, later = texts[0], texts[1], " ".join(texts[1:])
    assert "Contraindications to naltrexone today: 4 (see STOP rows)" in first
    for flag in flags[:6]:
        assert flag.text in first, flag.id
    for marker in ("Scores", "PHQ-9", "Opioid use and medication preference", "Clinician use"):
        assert marker in first
    moved = re.search(r"(\d+) more flags on page 2", first)
    assert moved, first[-400:]
    on_second = [f for f in flags if f.text in later]
    assert len(on_second) == int(moved.group(1)) > 0
    assert second.index("Flags continued from page 1") < second.index(on_second[0].text)
    whole = " ".join(texts)
    assert all(whole.count(f.text) == 1 for f in flags)  # each flag printed once, none lost
    kept = [f for f in flags[6:] if f.text in first]
    assert kept == list(flags[6:6 + len(kept)])  # page 1 keeps the first ones, in order


def test_teach_back_answers_appear_once(content: Content) -> None:
    report = report_with(content, complete_answers(content, typical_answer))
    assert report.teach_back
    whole = " ".join(pages(report))
    for row in report.teach_back:
        assert whole.count(row.question) == 1, row.question


@pytest.mark.parametrize(("answered", "total", "positive", "reads"), [
    (3, 3, False, "negative"),
    (3, 3, True, "positive"),
    (1, 3, False, "incomplete (1 of 3)"),
    (2, 3, True, "positive (incomplete)"),
])
def test_an_instrument_with_missing_items_never_reads_negative(answered: int, total: int, positive: bool,
                                                               reads: str) -> None:
    score = Score("audit_c", "AUDIT-C", 2, answered, total, "", 3, "", positive, None, None)
    assert score.screen == reads
