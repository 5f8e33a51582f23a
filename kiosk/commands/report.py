"""`report --response FILE.json --out FILE.pdf`: the clinician PDF for a FHIR QuestionnaireResponse.

The response is scored by the same `finalize` the wizard's answers go
through and drawn by the same renderer; nothing is stored.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.content import Content, ContentInvalid
from kiosk.content.manifest import INTAKE
from kiosk.content.model import Severity
from kiosk.system.datadir import DataDirError
from kiosk.report.trend import VisitPoint, visit_day
from kiosk.settings import Settings
from kiosk.storage.db import StorageError
from kiosk.storage.submissions import Submission

NAME = "report"
HELP = "render the clinician PDF from a FHIR R4 QuestionnaireResponse (nothing is stored)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--response", type=Path, required=True, metavar="FILE.json", help="the QuestionnaireResponse")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")
    parser.add_argument("--clinic", default=None, metavar="NAME",
                        help="clinic name on the PDF (default: the one set up in --data-dir)")
    from kiosk.commands.staff_secret import add_staff_argument

    add_staff_argument(parser)


def earlier_visits_for(args: argparse.Namespace, content: Content,
                       submission: Submission) -> tuple[tuple[VisitPoint, ...], str]:
    """A return visit's earlier visits of the same person stored in the data folder, for "Since last visit", and
    why none is shown when staff must first say whose visit it is (two people share its name and birth date).

    Stored answers are sealed, so this needs the staff secret; without it the PDF is made without the block
    and stderr says why.
    """
    import sys

    from kiosk.system.paths import default_data_dir

    data_dir = args.data_dir if args.data_dir is not None else default_data_dir()
    if content.visit == INTAKE or not (data_dir / "kiosk.db").exists():
        return (), ""
    from kiosk.commands.staff_secret import SecretMissing, unlock_for_command
    from kiosk.services import open_kiosk_services
    from kiosk.staff.vault import UnlockError

    identity = content.manifest.identity
    services = open_kiosk_services(data_dir, getattr(args, "content", None))
    try:
        staff = unlock_for_command(services, args)
        try:
            name, dob = str(submission.answers.get(identity.name, "")), str(submission.answers.get(identity.dob, ""))
            found = staff.earlier_visits(name, dob, submission.id)
            day = visit_day(submission)
            return tuple(point for point in found if point.when <= day), staff.match_note(name, dob, submission.id)
        finally:
            staff.lock()
    except (SecretMissing, UnlockError, StorageError, PermissionError) as exc:
        print(f"naltrexone-kiosk: \"Since last visit\" left out: {exc}", file=sys.stderr)
        return (), ""
    finally:
        services.close()


def folder_clinic_name(data_dir: Path | None) -> str:
    """The clinic name saved in the data folder's settings (read-only), else the default."""
    import sqlite3

    from kiosk.system.paths import default_data_dir
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
    from kiosk.patient.pipeline import finalize

    try:
        content, parsed = visit_response_from(visits_for(args), args.response)
    except CommandFailed as failed:
        return fail(str(failed))
    submission = finalize(content, parsed.submission(content), now=parsed.authored)
    from kiosk.report.content import build_report
    from kiosk.report.pdf import ClinicianReport

    clinic = args.clinic if args.clinic is not None else folder_clinic_name(args.data_dir)
    try:
        earlier, match_note = earlier_visits_for(args, content, submission)
    except (DataDirError, StorageError, ContentInvalid) as exc:
        return fail(str(exc))
    try:
        write_atomically(args.out, ClinicianReport().render(build_report(content, submission, clinic,
                                                                         earlier=earlier, match_note=match_note)))
    except OSError as exc:
        return fail(f"could not write {args.out} ({exc.strerror or exc})")
    urgent = sum(1 for f in submission.assessment.flags if f.severity == Severity.URGENT)
    stop = len(submission.assessment.contraindications)
    print(f"Report written to {args.out} ({len(submission.assessment.flags)} flag(s), {urgent} urgent, {stop} stop)")
    return 0
