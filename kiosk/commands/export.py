"""`export --format fhir|csv [--since DATE] [--until DATE] --out FILE`: a disclosure, so it needs the staff secret and is audited.

The file written is plaintext by nature (it leaves the kiosk for the clinic's
record system); `kiosk.export.service` writes it owner-only and audits who
exported how many submissions to which file name. The staff console uses the
same service. Damaged submissions are left out and named on stderr (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kiosk.commands.common import CommandFailed, services_for, unlocked
from kiosk.commands.staff_secret import add_staff_argument
from kiosk.staff.rights import Action, NotAllowed

NAME = "export"
HELP = "export submissions as a FHIR R4 Bundle or CSV for a date range; needs the staff secret"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("fhir", "csv"), required=True)
    parser.add_argument("--since", type=_date, default=None, metavar="DATE", help="first day to include (YYYY-MM-DD)")
    parser.add_argument("--until", type=_date, default=None, metavar="DATE", help="last day to include (YYYY-MM-DD)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    add_staff_argument(parser)
    from kiosk.commands.sync import add_database_argument

    add_database_argument(parser)  # with a shared database, the whole clinic's submissions


def run(args: argparse.Namespace) -> int:
    from kiosk.export.service import export_submissions

    if args.since and args.until and args.since > args.until:
        raise CommandFailed(f"--since {args.since} is after --until {args.until}; nothing was exported")
    with services_for(args) as services:
        staff = unlocked(services, args, Action.EXPORT)
        try:
            result = export_submissions(staff, services.content, args.format, args.since, args.until, args.out)
        except NotAllowed as exc:
            raise CommandFailed(str(exc), 3) from exc
        except OSError as exc:
            raise CommandFailed(f"could not write {args.out} ({exc.strerror or exc}); nothing was exported") from exc
        finally:
            staff.lock()
    print(f"Exported {result.count} submission(s) as {args.format} to {args.out}")
    if result.damaged:
        print(f"naltrexone-kiosk: {len(result.damaged)} damaged submission(s) could not be read and were left out "
              "(details in the log):", file=sys.stderr)
        for submission_id in result.damaged:
            print(f"  {submission_id}", file=sys.stderr)
        return 1
    return 0
