"""What the clinician summary says, as plain data: page 1 facts, flags, scores, answers by section.

Kept apart from the drawing so the wording can be tested without a PDF and
so every renderer (PDF today, perhaps HTML later) says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kiosk.rules.assessment import Evidence, Flag, Score, clinician_label, derived_words, display_answer
from kiosk.content import Content
from kiosk.content.model import SEVERITY_ORDER, ConsentPage, Question, QuestionPage
from kiosk.rules.flow import visible_questions, visible_pages
from kiosk.report.doses import DoseRecord
from kiosk.report.events import crisis_line
from kiosk.report.trend import VisitPoint, point_of, series
from kiosk.storage.submissions import DEMO_SOURCE, IMPORT_SOURCE, Submission

NOT_ANSWERED = "not answered"
KIOSK_PROVENANCE = "Completed on the kiosk"
CONSENT_NOT_RECORDED = "Consent: not recorded, obtain before treatment"
# The longest any free-text answer may be (the model's ceiling for max_length); an answer that
# arrives longer (e.g. an import) is cut here, so no answer can make the renderer slow.
LONGEST_ANSWER = 2000
CUT_MARK = " [cut: longer than {limit} characters]"


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class TeachBackRow:
    question: str
    chosen: str
    correct: bool


@dataclass(frozen=True)
class ReportData:
    clinic: str
    patient_name: str
    date_of_birth: str
    submitted: str
    language: str
    content_version: str
    submission_id: str
    flags: tuple[Flag, ...]
    scores: tuple[Score, ...]
    derived: tuple[tuple[str, str], ...]
    preference: str
    teach_back: tuple[TeachBackRow, ...]
    consent: str
    signature_png: bytes | None
    sections: tuple[Section, ...]
    staff_note: str = ""
    logo_png: bytes | None = None
    extra: dict[str, str] = field(default_factory=dict)
    crisis: str = ""
    provenance: str = KIOSK_PROVENANCE
    training: bool = False  # a `demo-data` patient: every page says so
    # Earlier visits of the same person and this one, oldest first (empty: no earlier visit known).
    trend: tuple[VisitPoint, ...] = ()
    visit: str = "intake"
    dose: DoseRecord | None = None  # what staff recorded as given at this visit
    match_note: str = ""  # why no earlier visit is shown though some of this name and birth date are on file

    @property
    def summary_title(self) -> str:
        """Page 1's heading: which visit type this is."""
        return "Clinician intake summary" if self.visit == "intake" else "Clinician return-visit summary"


def clip(text: str, limit: int = LONGEST_ANSWER) -> str:
    """At most `limit` characters of patient text, saying so when something was cut."""
    return text if len(text) <= limit else text[:limit] + CUT_MARK.format(limit=limit)


def build_report(content: Content, submission: Submission, clinic: str, staff_note: str = "",
                 logo_png: bytes | None = None, earlier: tuple[VisitPoint, ...] = (),
                 dose: DoseRecord | None = None, match_note: str = "") -> ReportData:
    """Everything the PDF shows, from stored answers and their stored assessment."""
    answers = submission.answers
    identity = content.manifest.identity
    language_name = content.manifest.language_names.get(submission.language, submission.language)
    moment = submission.submitted_at or submission.started_at
    assessment = submission.assessment
    derived_rows = tuple(
        (content.derived[key].label, derived_words(content, key, answers, assessment.derived, " days"))
        for key in assessment.derived if key in content.derived
    )
    kind_rows = _opioid_kind(content, submission)
    return ReportData(
        clinic=clinic,
        patient_name=_answer_text(content, identity.name, answers),
        date_of_birth=_answer_text(content, identity.dob, answers),
        # An import keeps the clock it was answered on (the offset of `authored`); the kiosk shows local time.
        submitted=(moment if submission.source == IMPORT_SOURCE and moment.tzinfo else moment.astimezone())
        .strftime("%Y-%m-%d %H:%M %Z"),
        language=language_name,
        content_version=submission.content_version,
        submission_id=submission.id,
        flags=_flags(assessment.flags),
        scores=tuple(assessment.scores.values()),
        derived=derived_rows + kind_rows,
        preference=_answer_text(content, identity.preference, answers) if identity.preference else "",
        teach_back=_teach_back(content, submission),
        consent=_consent(content, submission),
        signature_png=submission.signature_png,
        sections=_sections(content, submission),
        staff_note=clip(staff_note),
        logo_png=logo_png,
        crisis=crisis_line(submission),
        provenance=provenance(submission),
        training=submission.source == DEMO_SOURCE,
        trend=tuple(series(list(earlier), point_of(submission, dose))) if earlier else (),
        visit=submission.visit,
        dose=dose,
        match_note=match_note,
    )


def _flags(flags: tuple[Flag, ...]) -> tuple[Flag, ...]:
    """Urgent first, then review, then info; evidence values bounded like any answer."""
    ordered = sorted(flags, key=lambda f: SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)))
    return tuple(replace(f, evidence=tuple(Evidence(e.label, clip(e.value)) for e in f.evidence)) for f in ordered)


def answer_words(question: Question, value: object) -> str:
    """An answer as the clinician reads it; free text bounded by the question's own limit."""
    text = display_answer(question, value)
    if question.type in ("string", "text"):
        return clip(text, question.text_limit)
    return clip(text)


def _answer_text(content: Content, qid: str, answers: dict) -> str:
    question = content.questions.get(qid)
    if question is None:
        return NOT_ANSWERED
    return answer_words(question, answers.get(qid)) or NOT_ANSWERED


def _opioid_kind(content: Content, submission: Submission) -> tuple[tuple[str, str], ...]:
    rows = []
    for derived in content.derived.values():
        page = content.page_of.get(derived.question)
        if page is None:
            continue
        for question in page.questions:
            # The quick choice is already in the days row ("patient chose: ..."), so it is not repeated.
            if question.id == derived.choice_question:
                continue
            if question.type == "choice" and question.id != derived.question and question.id in submission.answers:
                if any(c.question == question.id for f in content.flags for c in f.enable_when):
                    rows.append((clinician_label(question), answer_words(question, submission.answers[question.id])))
    return tuple(dict.fromkeys(rows))


def _teach_back(content: Content, submission: Submission) -> tuple[TeachBackRow, ...]:
    rows = []
    for page in content.pages:
        if isinstance(page, QuestionPage) and page.teach_back:
            for question in page.questions:
                value = submission.answers.get(question.id)
                if value is None:
                    continue
                option = question.option(str(value))
                rows.append(TeachBackRow(clinician_label(question), answer_words(question, value), bool(option and option.correct)))
    return tuple(rows)


def provenance(submission: Submission) -> str:
    """Where the answers came from, as page 1 says it."""
    if submission.source == "kiosk":
        return KIOSK_PROVENANCE
    if submission.source == DEMO_SOURCE:
        return "Made up by demo-data for training: not a patient"
    return "Imported from a FHIR QuestionnaireResponse" + (f" ({submission.origin})" if submission.origin else "")


def _consent(content: Content, submission: Submission) -> str:
    """What is known about consent; an import says only what its response holds, never "on the kiosk"."""
    consent_ids = [page.id for page in content.pages if isinstance(page, ConsentPage)]
    given = any(submission.answers.get(pid) is True for pid in consent_ids)
    if submission.source in ("kiosk", DEMO_SOURCE):
        return "Consent given on the kiosk" + (" and signed" if submission.signature_png else "") if given else NOT_ANSWERED
    if given:
        return "Consent: given in the imported response" + (" and signed" if submission.signature_png else "")
    return CONSENT_NOT_RECORDED


def _sections(content: Content, submission: Submission) -> tuple[Section, ...]:
    """Every question the patient saw, grouped by section; optional ones left empty say so."""
    answers = submission.answers
    grouped: dict[str, list[AnswerRow]] = {}
    for page in visible_pages(content, answers):
        if not isinstance(page, QuestionPage) or page.teach_back:
            continue  # teach-back answers have their own table; once is enough
        for question in visible_questions(content, page, answers):
            text = answer_words(question, answers.get(question.id))
            grouped.setdefault(page.section, []).append(AnswerRow(clinician_label(question), text or NOT_ANSWERED))
    return tuple(Section(title, tuple(rows)) for title, rows in grouped.items())
