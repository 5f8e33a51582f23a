"""What the clinician reads: page 1 in order, every page's header and footer, answers by section, signature, logo."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from answer_plans import DATE_OF_BIRTH, PATIENT_NAME
from kiosk.rules.assessment import Assessment, Evidence, Flag, assess
from kiosk.content import Content
from kiosk.content.model import QuestionPage
from kiosk.rules.flow import visible_pages, visible_questions
from kiosk.patient.pipeline import finalize
from kiosk.report.content import NOT_ANSWERED, ReportData, build_report
from kiosk.report.logo import load_logo
from kiosk.report.pdf import PART2_NOTICE, ClinicianReport
from report_samples import GOLDEN_TIME, complete_answers, complete_submission_for, golden_report, solid_png, typical_answer


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def report_for(content: Content, answers: dict | None = None, signed: bool = True, **extra) -> ReportData:
    submission = finalize(content, complete_submission_for(content, answers=answers, signed=signed), GOLDEN_TIME)
    return build_report(content, submission, "Riverside Clinic", **extra)


@pytest.fixture(scope="module")
def renderer() -> ClinicianReport:
    return ClinicianReport()


def test_page_one_reads_top_down_in_the_agreed_order(content: Content, renderer: ClinicianReport) -> None:
    report = report_for(content, complete_answers(content, typical_answer))
    first = " ".join(pages_text(renderer.render(report))[0].split())
    order = ["Riverside Clinic", f"Patient {PATIENT_NAME}", f"Date of birth {DATE_OF_BIRTH}", "Submitted",
             f"Language used {report.language}", "Answers Completed on the kiosk", "Consent Consent given",
             "Contraindications to naltrexone today", "Flags for the clinician"]
    if report.scores:
        order.append("Scores")
    if report.derived or report.preference:
        order.append("Opioid use and medication preference")
    order.append("Clinician use")
    positions = [first.find(marker) for marker in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions), dict(zip(order, positions))


def test_every_page_has_header_footer_and_the_part2_notice(renderer: ClinicianReport) -> None:
    report = golden_report()
    texts = pages_text(renderer.render(report))
    assert len(texts) >= 2, "the sample must span pages to test the footer"
    notice_start = " ".join(PART2_NOTICE.split()[:12])
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert f"{report.patient_name} | DOB {report.date_of_birth}" in flat
        assert f"Page {number} of {len(texts)}" in flat
        assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d \| content version golden-1", flat), flat[-200:]
        assert notice_start in flat and "42 CFR part 2" in flat


def test_flags_print_urgent_first_with_the_answers_that_raised_them(content: Content, renderer: ClinicianReport) -> None:
    submission = finalize(content, complete_submission_for(content), GOLDEN_TIME)
    submission.assessment = Assessment(flags=(
        Flag("i", "info", "Information flag", (Evidence("Asked about", "info answer"),)),
        Flag("u", "urgent", "Urgent flag text", (Evidence("Self-harm question", "Yes"),)),
        Flag("r", "review", "Review flag text", (Evidence("Days since last use", "3"),)),
    ))
    report = build_report(content, submission, "C")
    assert [f.severity for f in report.flags] == ["urgent", "review", "info"]
    flat = " ".join(pages_text(renderer.render(report))[0].split())
    urgent, review, info = (flat.find(s) for s in ("URGENT Urgent flag text", "REVIEW Review flag text",
                                                   "INFO Information flag"))
    assert -1 < urgent < review < info, flat
    assert "Self-harm question: Yes" in flat and "Days since last use: 3" in flat


def test_scores_show_band_cut_off_and_its_note(renderer: ClinicianReport) -> None:
    flat = " ".join(pages_text(renderer.render(golden_report()))[0].split())
    assert "AUDIT-C 5 moderate >= 3 (lower cut-off used: sex not given) positive" in flat
    assert "PHQ-2 1 (1 of 2 items) - >= 3 incomplete (1 of 2)" in flat


def test_hidden_questions_are_not_printed_and_empty_optional_ones_say_not_answered(
        content: Content, renderer: ClinicianReport) -> None:
    answers = complete_answers(content)
    shown = {q.id for p in visible_pages(content, answers) if isinstance(p, QuestionPage) and not p.teach_back
             for q in visible_questions(content, p, answers)}  # teach-back answers print once, in their own table
    hidden = [q for q in content.questions.values() if q.id not in shown]
    assert hidden, "the shipped content has branching; with these answers some questions must be hidden"
    optional = [content.questions[qid] for qid in shown if not content.questions[qid].required]
    assert optional, "the shipped content has optional questions"
    stale = dict(answers)  # answers left behind on a branch the patient backed out of
    for question in hidden:
        stale[question.id] = f"HIDDEN-{question.id}" if question.type in ("string", "text") else answers.get(question.id)
    for question in optional:
        stale.pop(question.id, None)
    submission = complete_submission_for(content, answers=stale)
    submission.assessment = assess(content, stale, GOLDEN_TIME.date())
    report = build_report(content, submission, "C")
    rows = [row for section in report.sections for row in section.rows]
    assert len(rows) == len(shown)
    text = "\n".join(pages_text(renderer.render(report)))
    assert "HIDDEN-" not in text
    by_label = {row.question: row.answer for row in rows}
    for question in optional:
        assert by_label[question.clinician_label or question.text.get("en")] == NOT_ANSWERED
    assert NOT_ANSWERED in text


def test_answers_are_grouped_by_section_in_content_order(content: Content) -> None:
    report = report_for(content)
    expected = list(dict.fromkeys(p.section for p in visible_pages(content, complete_answers(content))
                                  if isinstance(p, QuestionPage) and not p.teach_back))
    assert [s.title for s in report.sections] == expected


def test_a_signed_consent_says_so_on_page_one_and_prints_the_drawing(content: Content, renderer: ClinicianReport) -> None:
    typical = complete_answers(content, typical_answer)
    signed = PdfReader(io.BytesIO(renderer.render(report_for(content, typical, signed=True))))
    assert "Consent given on the kiosk and signed" in " ".join(signed.pages[0].extract_text().split())
    assert sum(len(page.images) for page in signed.pages) == 1
    assert "Patient's signature" in "".join(page.extract_text() for page in signed.pages)
    unsigned = PdfReader(io.BytesIO(renderer.render(report_for(content, signed=False))))
    assert sum(len(page.images) for page in unsigned.pages) == 0


def test_the_clinic_logo_prints_when_set_and_a_bad_path_is_ignored(content: Content, renderer: ClinicianReport,
                                                                   tmp_path: Path) -> None:
    logo_file = tmp_path / "logo.png"
    logo_file.write_bytes(solid_png(60, 20, (20, 80, 160)))
    logo = load_logo(str(logo_file))
    assert logo == solid_png(60, 20, (20, 80, 160))
    typical = complete_answers(content, typical_answer)
    with_logo = PdfReader(io.BytesIO(renderer.render(report_for(content, typical, logo_png=logo))))
    without = PdfReader(io.BytesIO(renderer.render(report_for(content, typical))))
    assert len(with_logo.pages[0].images) == len(without.pages[0].images) + 1
    (tmp_path / "notes.txt").write_text("not a picture")
    assert load_logo(str(tmp_path / "missing.png")) is None
    assert load_logo(str(tmp_path / "notes.txt")) is None
    assert load_logo("") is None


def test_a_staff_note_appears_when_present(content: Content, renderer: ClinicianReport) -> None:
    with_note = " ".join(" ".join(pages_text(renderer.render(report_for(content, staff_note="Seen by Dr Lee")))).split())
    assert "Staff note Seen by Dr Lee" in with_note
    without = " ".join(pages_text(renderer.render(report_for(content))))
    assert "Staff note" not in without


def test_deterministic_mode_gives_the_same_bytes(renderer: ClinicianReport) -> None:
    first = ClinicianReport(deterministic=True).render(golden_report())
    assert first == ClinicianReport(deterministic=True).render(golden_report())
    assert b"2000" in first or b"20000101" in first
    changed = ClinicianReport(deterministic=True).render(replace(golden_report(), patient_name="Someone Else"))
    assert changed != first


def test_days_since_last_opioid_and_its_kind_are_on_page_one(content: Content, renderer: ClinicianReport) -> None:
    assert content.derived, "the shipped content derives days since last opioid"

    def used_recently(content: Content, question):
        if question.type == "boolean":
            return True
        if question.type == "date":
            return "2026-11-20"
        if question.implied is not None:  # the quick choice that leads to the exact date
            return question.implied.answer
        return typical_answer(content, question)

    submission = finalize(content, complete_submission_for(content, answers=complete_answers(content, used_recently)),
                          GOLDEN_TIME)
    report = build_report(content, submission, "C")
    days = (GOLDEN_TIME.date() - dt.date(2026, 11, 20)).days
    for derived in content.derived.values():
        assert (derived.label, f"{days} days") in report.derived
    assert len(report.derived) > len(content.derived), "the kind of opioid is printed beside the days"
    first = " ".join(pages_text(renderer.render(report))[0].split())
    for label, value in report.derived:
        assert f"{label} {value}" in first
