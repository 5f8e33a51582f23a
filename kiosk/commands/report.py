"""`report --response FILE.json --out FILE.pdf`: the clinician PDF for a FHIR QuestionnaireResponse.

The response is scored by the same `finalize` the wizard's answers go
through and drawn by the same renderer; nothing is stored.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.content.model import Severity
from kiosk.settings import Settings

NAME = "report"
HELP = "render the clinician PDF from a FHIR R4 QuestionnaireResponse (nothing is stored)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--response", type=Path, required=True, metavar="FILE.json", help="the QuestionnaireResponse")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")
    parser.add_argument("--clinic", default=None, metavar="NAME",
                        help="clinic name on the PDF (default: the one set up in --data-dir)")


def folder_clinic_name(data_dir: Path | None) -> str:
    """The clinic name saved in the data folder's settings (read-only), else the default."""
    import sqlite3

    from kiosk.paths import default_data_dir
    from kiosk.staff.settings_store import load_settings

    db = (data_dir if data_dir is not None else default_data_dir()) / "kiosk.db"
    if not db.exists():
        return Settings().clinic_name
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return load_settings(conn).clinic_name
        finally:
            conn.close()
    except (sqlite3.Error, ValueError):
        return Settings().clinic_name


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.fhir_io import CommandFailed, fail, visit_response_from, visits_for, write_atomically
    from kiosk.pipeline import finalize

    try:
        content, parsed = visit_response_from(visits_for(args), args.response)
    except CommandFailed as failed:
        return fail(str(failed))
    submission = finalize(content, parsed.submission(content), now=parsed.authored)
    from kiosk.report.content import build_report
    from kiosk.report.pdf import ClinicianReport

    clinic = args.clinic if args.clinic is not None else folder_clinic_name(args.data_dir)
    try:
        write_atomically(args.out, ClinicianReport().render(build_report(content, submission, clinic)))
    except OSError as exc:
        return fail(f"could not write {args.out} ({exc.strerror or exc})")
    urgent = sum(1 for f in submission.assessment.flags if f.severity == Severity.URGENT)
    stop = len(submission.assessment.contraindications)
    print(f"Report written to {args.out} ({len(submission.assessment.flags)} flag(s), {urgent} urgent, {stop} stop)")
    return 0
