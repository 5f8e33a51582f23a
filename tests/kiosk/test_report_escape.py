"""Patient text in the PDF: any Unicode or markup builds, opens no file, and prints as typed (the escape rule)."""

from __future__ import annotations

import builtins
import io
import unicodedata

import pytest
import reportlab.lib.utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kiosk.content import Content
from kiosk.patient.pipeline import finalize
from kiosk.report import pdf as pdf_module
from kiosk.report.content import build_report
from kiosk.report.escape import escape_markup, neutralize, printable
from kiosk.report.pdf import ClinicianReport
from report_samples import GOLDEN_TIME, complete_answers, complete_submission_for

MARKUP = ["<b>", "</b>", "&", "&amp;", "&lt;", "&#65;", "<font name='Courier' size=40>", "<img src='/etc/passwd'/>",
          '<img src="x.png" width="10" height="10"/>', "<para>", "<br/>", "<a href='file:///etc/passwd'>", "<u",
          "<unclosed", "]]>", "\x00", "\u202e", "\u2066", "\u200f", "\r\n", "\t", "\u2028", "\ufeff", "\xad"]
RIGHT_TO_LEFT = {"R", "AL", "AN"}
# Any code point except right-to-left letters (rule 4: a reader may extract those runs reversed).
LEFT_TO_RIGHT_CHARS = st.characters(codec=None).filter(lambda c: unicodedata.bidirectional(c) not in RIGHT_TO_LEFT)
PATIENT_TEXT = st.lists(st.one_of(st.text(LEFT_TO_RIGHT_CHARS, max_size=24), st.sampled_from(MARKUP)),
                        max_size=6).map("".join)


def squeeze(text: str) -> str:
    """Whitespace is layout (wrapping), not content: it is left out of the comparison."""
    return "".join(c for c in text if not c.isspace())


def extracted(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def free_text_questions(content: Content, answers: dict) -> list:
    return [content.questions[qid] for qid in answers
            if qid in content.questions and content.questions[qid].type in ("string", "text")]


class FileOpened(AssertionError):
    pass


def no_files(*args, **kwargs):
    raise FileOpened(f"the renderer tried to open {args[:1]!r}")


REAL_OPEN_FOR_READ = reportlab.lib.utils.open_for_read


def in_memory_only(name, mode="b"):
    """reportlab passes in-memory pictures (the signature) through here too; a path or URL is a failure."""
    if hasattr(name, "read"):
        return REAL_OPEN_FOR_READ(name, mode)
    raise FileOpened(f"reportlab tried to read {name!r}")


@pytest.fixture(scope="module")
def renderer() -> ClinicianReport:
    return ClinicianReport(deterministic=True)  # fonts are loaded here, before any patient text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_typed_text_builds_opens_no_file_and_prints_as_typed(content: Content, renderer: ClinicianReport,
                                                                 data: st.DataObject) -> None:
    answers = complete_answers(content)
    questions = free_text_questions(content, answers)
    assert content.manifest.identity.name in {q.id for q in questions}, "the name is free text and is tested too"
    typed = {}
    for question in questions:
        text = data.draw(PATIENT_TEXT, label=question.id)
        typed[question.id] = text[: question.text_limit]
    answers.update(typed)
    submission = finalize(content, complete_submission_for(content, answers=answers), GOLDEN_TIME)
    report = build_report(content, submission, "Clinic <b>&amp;</b>", staff_note=data.draw(PATIENT_TEXT, label="note"))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", no_files)
        patch.setattr(io, "open", no_files)
        patch.setattr(reportlab.lib.utils, "open_for_read", in_memory_only)
        pdf = renderer.render(report)

    text = squeeze(extracted(pdf))
    drawable = pdf_module._drawable
    for qid, value in typed.items():
        assert squeeze(printable(value, drawable)) in text, f"{qid}: {value!r}"
    assert squeeze(printable(report.staff_note, drawable)) in text
    assert "Clinic<b>&amp;</b>" in text


def test_longest_allowed_answers_stay_within_a_few_pages(content: Content, renderer: ClinicianReport) -> None:
    answers = complete_answers(content)
    for question in free_text_questions(content, answers):
        answers[question.id] = ("Wort " * question.text_limit)[: question.text_limit]
    answers[content.manifest.identity.name] = "N" * 5000  # e.g. an import that ignored the limit
    submission = finalize(content, complete_submission_for(content, answers=answers), GOLDEN_TIME)
    report = build_report(content, submission, "Clinic")
    name_limit = content.questions[content.manifest.identity.name].text_limit
    assert report.patient_name.startswith("N" * name_limit) and "N" * (name_limit + 1) not in report.patient_name
    assert f"cut: longer than {name_limit} characters" in report.patient_name
    pages = PdfReader(io.BytesIO(renderer.render(report))).pages
    assert len(pages) <= 4 + len(free_text_questions(content, answers))


def test_the_rule_in_examples() -> None:
    assert neutralize("a\x00b\x07c\u202ed\u2066e\xadf\ufeffg") == "abcdefg"
    assert neutralize("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    assert neutralize("a\tb\xa0c\u3000d") == "a b c d"
    assert printable("Ñandú 被", drawable={ord(c) for c in "Ñandú"}) == "Ñandú [U+88AB]"
    assert escape_markup('<img src="/etc/passwd"/> & <b>') == "&lt;img src=&quot;/etc/passwd&quot;/&gt; &amp; &lt;b&gt;"
    assert escape_markup("line one\nline two") == "line one<br/>line two"


def test_spanish_greek_and_cyrillic_print_without_boxes(content: Content, renderer: ClinicianReport) -> None:
    answers = complete_answers(content)
    name = "Núñez Ñandú Κωνσταντίνα Жанна-Ёлка"
    answers[content.manifest.identity.name] = name
    submission = finalize(content, complete_submission_for(content, answers=answers), GOLDEN_TIME)
    text = extracted(renderer.render(build_report(content, submission, "Clínica Ñ")))
    assert name in text and "Clínica Ñ" in text
    assert "[U+" not in text and "\x00" not in text
    assert all(ord(c) in pdf_module._drawable for c in name if not c.isspace())


def test_right_to_left_text_builds_and_keeps_every_letter(content: Content, renderer: ClinicianReport) -> None:
    answers = complete_answers(content)
    name = "שלום عالم"
    answers[content.manifest.identity.name] = name
    submission = finalize(content, complete_submission_for(content, answers=answers), GOLDEN_TIME)
    text = extracted(renderer.render(build_report(content, submission, "Clinic")))
    header = next(line for line in text.splitlines() if "DOB 1988" in line)
    assert sorted(squeeze(name)) == sorted(squeeze(header.split("DOB")[0].replace("|", ""))), header


def test_canvas_strings_follow_the_same_rule(renderer: ClinicianReport) -> None:
    from dataclasses import replace

    from report_samples import golden_report

    report = replace(golden_report(), patient_name="Ana\x00\u202e 被\nBe", content_version="v<1>&\x07")
    text = extracted(renderer.render(report))
    assert "Ana [U+88AB] Be  |  DOB 1988-04-09" in text and "content version v<1>&" in text
