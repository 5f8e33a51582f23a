"""The one path every answer takes: answers -> assessment -> store -> report -> print or outbox.

The wizard and an imported FHIR response both commit through `commit_submission`
and draw the PDF with `render_pdf`; nothing else scores, stores or renders a
submission. `complete_submission` does both in one go (import, tools); the
kiosk thanks the patient right after the commit and renders and prints in a
child process (`kiosk.patient.after_commit`). Nothing after the commit can
fail the submit: a render or print problem leaves the submission "new" with
the PDF (or nothing, if it could not be drawn) for staff.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.rules.assessment import assess
from kiosk.content import Content
from kiosk.content.model import SEVERITY_ORDER
from kiosk.rules.flow import effective_answers
from kiosk.printing.outbox import Outbox, Transform, identity
from kiosk.printing.printer import Printer
from kiosk.system.clock import utc_now
from kiosk.storage.repository import SubmissionRepository
from kiosk.storage.submissions import IMPORT_SOURCE, Status, Submission

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Outcome:
    """What happened after submit; `pdf_path` is the outbox file when the PDF is waiting to be printed."""

    submission: Submission
    stored: bool
    pdf_path: Path | None = None
    printed: bool = False
    message: str = ""


def finalize(content: Content, submission: Submission, now: dt.datetime | None = None) -> Submission:
    """Keep only the answers the patient could see, stamp the time and attach the assessment."""
    moment = now or utc_now()
    answers = effective_answers(content, submission.answers)
    imported = submission.source == IMPORT_SOURCE
    # An import is dated where it was answered (the offset of its `authored`), not where it is imported.
    visit_date = moment.date() if imported and moment.tzinfo is not None else moment.astimezone().date()
    submission.answers = answers
    submission.submitted_at = moment
    assessment = assess(content, answers, visit_date)
    if imported:
        from kiosk.rules.missing import missing_answer_flags

        flags = sorted(assessment.flags + missing_answer_flags(content, answers), key=lambda f: SEVERITY_ORDER[f.severity])
        assessment = replace(assessment, flags=tuple(flags))
    submission.assessment = assessment
    submission.status = Status.NEW
    return submission


def commit_submission(content: Content, store: SubmissionRepository, submission: Submission,
                      now: dt.datetime | None = None) -> bool:
    """Assess and commit in one transaction; False when the id already holds another row (nothing stored)."""
    finalize(content, submission, now)
    return store.save(submission)


def render_pdf(content: Content, submission: Submission, clinic: str, logo_png: bytes | None = None) -> bytes:
    """The clinician PDF of a committed submission."""
    from kiosk.report.content import build_report
    from kiosk.report.pdf import ClinicianReport

    return ClinicianReport().render(build_report(content, submission, clinic, logo_png=logo_png))


def complete_submission(content: Content, store: SubmissionRepository, submission: Submission, clinic: str,
                        outbox_dir: Path, now: dt.datetime | None = None, *, printer: Printer | None = None,
                        seal: Transform = identity, logo_png: bytes | None = None) -> Outcome:
    """Assess and commit in one transaction, then render the clinician PDF and print it or keep it in the outbox.

    The commit comes first: a patient is told "saved" only after it returns, and
    a PDF or printer failure never loses the answers (the PDF can be rendered
    again from the store). A repeated submit of a stored id prints nothing.
    `printer=None` means automatic printing is off: the PDF waits in the outbox.
    """
    if not commit_submission(content, store, submission, now):
        return Outcome(submission=submission, stored=False, message="Already stored; not printed again.")
    try:
        from kiosk.printing.delivery import deliver

        pdf = render_pdf(content, submission, clinic, logo_png)
        result = deliver(pdf, submission.id, printer, Outbox(outbox_dir, seal=seal),
                         mark_printed=lambda sid: store.set_status(sid, Status.PRINTED))
    except Exception as exc:  # noqa: BLE001 - the answers are committed; staff can render and print from the console
        log.error("submission %s stored, but its PDF could not be made or kept (%s)", submission.id[:8], type(exc).__name__)
        return Outcome(submission=submission, stored=True, message=f"PDF not made: {type(exc).__name__}")
    if result.printed:
        submission.status = Status.PRINTED
    return Outcome(submission=submission, stored=True, pdf_path=result.waiting, printed=result.printed,
                   message=result.message)
