"""`export --format fhir|csv [--since DATE] [--until DATE] --out FILE`: a disclosure, so it needs the staff secret and is audited.

The file written is plaintext by nature (it leaves the kiosk for the clinic's
record system), so it is written owner-only and the audit entry names who
exported how many submissions and to which file name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
from pathlib import Path

from kiosk.commands.common import CommandFailed, services_for, unlocked
from kiosk.commands.staff_secret import add_staff_argument
from kiosk.staff.rights import Action
from kiosk.storage.submissions import Status

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


def render(kind: str, submissions: list, content) -> bytes:
    """The export's bytes, from the one FHIR builder or the one CSV writer."""
    if kind == "fhir":
        from kiosk.fhir.bundle import bundle_for

        return json.dumps(bundle_for(submissions, content), ensure_ascii=False, indent=2).encode("utf-8")
    from kiosk.export.csv import write_csv

    stream = io.StringIO(newline="")
    write_csv(submissions, content, stream)
    return stream.getvalue().encode("utf-8")


def write_private(path: Path, data: bytes) -> None:
    """Owner-only, via a temporary name, so a failed write never leaves half an export."""
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def run(args: argparse.Namespace) -> int:
    with services_for(args) as services:
        staff = unlocked(services, args, Action.EXPORT)
        submissions = [s for s in staff.submissions_between(args.since, args.until) if s.status != Status.ABANDONED]
        data = render(args.format, submissions, services.content)
        try:
            write_private(args.out, data)
        except OSError as exc:
            raise CommandFailed(f"could not write {args.out} ({exc.strerror}); nothing was exported") from exc
        staff.record("export", "", {"format": args.format, "count": len(submissions), "file": args.out.name,
                                    "since": str(args.since or ""), "until": str(args.until or "")})
        staff.lock()
    print(f"Exported {len(submissions)} submission(s) as {args.format} to {args.out}")
    return 0
