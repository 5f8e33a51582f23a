"""Report inputs for tests and the PDF benchmark: a fixed ReportData for the golden file, and complete
answers for whatever the shipped content asks (so tests follow the content as it changes)."""

from __future__ import annotations

from typing import Any

from kiosk.rules.assessment import Evidence, Flag, Score
from kiosk.report.content import AnswerRow, ReportData, Section, TeachBackRow
from kiosk.content import Content
from kiosk.testing.wizard import SAMPLE_TIME, complete_answers, plan_answer, sample_submission, tiny_png

__all__ = ["GOLDEN_TIME", "complete_answers", "complete_submission_for", "golden_report", "typical_answer"]

GOLDEN_TIME = SAMPLE_TIME
complete_submission_for = sample_submission


def golden_report() -> ReportData:
    """A fixed, content-independent report that exercises every part of the layout."""
    return ReportData(
        clinic="Riverside Clinic",
        patient_name="María José Núñez-Øberg",
        date_of_birth="1988-04-09",
        submitted="2026-11-24 15:30 UTC",
        language="Español",
        content_version="golden-1",
        submission_id="0123456789abcdef0123456789abcdef",
        flags=(
            Flag("urgent_sample", "urgent", "Thoughts of self-harm in the past month: assess today.",
                 (Evidence("Thoughts of self-harm", "Yes"),)),
            Flag("recent_use", "review", "Last opioid use was 3 days ago: check withdrawal before the first dose.",
                 (Evidence("Days since last opioid", "3"), Evidence("Kind of opioid", "short-acting"))),
            Flag("info_sample", "info", "Prefers the monthly injection.", (Evidence("Medication preference", "Injection"),)),
        ),
        scores=(
            Score("audit_c", "AUDIT-C", 5, 3, 3, "moderate", 3, "lower cut-off used: sex not given", True, None, None),
            Score("phq2", "PHQ-2", 1, 1, 2, "", 3, "", False, None, None),
        ),
        derived=(("Days since last opioid", "3 days"), ("Kind of opioid", "Short-acting (heroin, oxycodone)")),
        preference="Injection (monthly)",
        teach_back=(TeachBackRow("What happens if you use opioids on naltrexone", "The effect is blocked", True),
                    TeachBackRow("Risk after stopping", "Nothing changes", False)),
        consent="Consent given on the kiosk and signed",
        signature_png=tiny_png(),
        sections=(
            Section("About you", (AnswerRow("Full name", "María José Núñez-Øberg"),
                                  AnswerRow("Preferred name", "not answered"),
                                  AnswerRow("Notes (Greek)", "Καλημέρα, ευχαριστώ"),
                                  AnswerRow("Notes (Cyrillic)", "Здравствуйте, спасибо"))),
            Section("Opioid use", tuple(AnswerRow(f"Question {n}", f"Answer {n} <b>&amp;</b>") for n in range(1, 40))),
        ),
        staff_note="Called the patient back at 4 pm.",
    )


def typical_answer(content: Content, question: Any) -> Any:
    """Like `plan_answer`, but teach-back questions get their correct option: a patient who understood."""
    correct = next((o.code for o in question.options if o.correct), None)
    if correct is None and question.type == "choice" and question.option("none") is not None:
        correct = "none"  # Yes comes before No in the content, but the typical patient answers none
    return correct if correct is not None else plan_answer(content, question)


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour (e.g. a clinic logo), made without an imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
