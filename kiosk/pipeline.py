"""The one path every answer takes: answers -> assessment -> store -> report.

The wizard and an imported FHIR response both call `complete_submission`;
nothing else scores, stores or renders a submission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kiosk.assessment import assess
from kiosk.content import Content
from kiosk.flow import effective_answers
from kiosk.storage.submissions import Submission, SubmissionStore, utc_now


@dataclass(frozen=True)
class Outcome:
    submission: Submission
    stored: bool
    pdf_path: Path | None


def finalize(content: Content, submission: Submission, now: dt.datetime | None = None) -> Submission:
    """Keep only the answers the patient could see, stamp the time and attach the assessment."""
    moment = now or utc_now()
    answers = effective_answers(content, submission.answers)
    visit_date = moment.astimezone().date()
    submission.answers = answers
    submission.submitted_at = moment
    submission.assessment = assess(content, answers, visit_date)
    submission.status = "new"
    return submission


def complete_submission(content: Content, store: SubmissionStore, submission: Submission, clinic: str,
                        report_dir: Path, now: dt.datetime | None = None) -> Outcome:
    """Assess and commit in one transaction, then render and save the clinician PDF.

    The commit comes first: a patient is told "saved" only after it returns, and
    a PDF failure never loses the answers (the PDF can be rendered again).
    """
    finalize(content, submission, now)
    stored = store.save(submission)
    from kiosk.report.content import build_report
    from kiosk.report.pdf import save_pdf

    pdf_path = save_pdf(build_report(content, submission, clinic), report_dir)
    return Outcome(submission=submission, stored=stored, pdf_path=pdf_path)
