"""`report --response FILE.json --out FILE.pdf`: the clinician PDF for a FHIR QuestionnaireResponse.

The response is scored by the same `finalize` the wizard's answers go
through and drawn by the same renderer; nothing is stored.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.settings import Settings

NAME = "report"
HELP = "render the clinician PDF from a FHIR R4 QuestionnaireResponse (nothing is stored)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--response", type=Path, required=True, metavar="FILE.json", help="the QuestionnaireResponse")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")
    parser.add_argument("--clinic", default=Settings().clinic_name, metavar="NAME", help="clinic name on the PDF")


def run(args: argparse.Namespace) -> int:
    from kiosk.fhir.cli_support import CommandFailed, content_for, fail, response_from, write_atomically
    from kiosk.pipeline import finalize

    try:
        content = content_for(args)
        parsed = response_from(content, args.response)
    except CommandFailed as failed:
        return fail(str(failed))
    submission = finalize(content, parsed.submission(content), now=parsed.authored)
    from kiosk.report.content import build_report
    from kiosk.report.pdf import ClinicianReport

    try:
        write_atomically(args.out, ClinicianReport().render(build_report(content, submission, args.clinic)))
    except OSError as exc:
        return fail(f"could not write {args.out} ({exc.strerror or exc})")
    urgent = sum(1 for f in submission.assessment.flags if f.severity == "urgent")
    stop = len(submission.assessment.contraindications)
    print(f"Report written to {args.out} ({len(submission.assessment.flags)} flag(s), {urgent} urgent, {stop} stop)")
    return 0
