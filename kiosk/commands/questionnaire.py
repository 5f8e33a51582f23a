"""`questionnaire --format fhir [--visit V] [--out FILE]`: one visit type's content as a FHIR R4 Questionnaire,
for other devices and EHRs; `questionnaire --list` names the visit types."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


NAME = "questionnaire"
HELP = "print the content as a FHIR R4 Questionnaire (JSON)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["fhir"], default="fhir", help="output format (only fhir today)")
    parser.add_argument("--visit", default="intake", metavar="VISIT",
                        help="which visit type's questionnaire (default intake; --list names them)")
    parser.add_argument("--list", action="store_true", help="list the visit types (id, url, version, title)")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE", help="write to FILE instead of printing")


def run(args: argparse.Namespace) -> int:
    from kiosk.commands.fhir_io import CommandFailed, content_for, fail, write_atomically
    from kiosk.fhir.questionnaire import build_questionnaire
    try:
        content = content_for(args, None if args.list else args.visit)
    except CommandFailed as failed:
        return fail(str(failed))
    if args.list:
        for visit in content.manifest.visit_ids():
            one = content.manifest.for_visit(visit)
            assert one is not None
            title = one.title.get("en") if one.title is not None else ""
            print(f"{visit}\t{one.url}|{one.version}\t{title}")
        return 0
    text = json.dumps(build_questionnaire(content), indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        print(text, end="")
    else:
        write_atomically(args.out, text.encode("utf-8"))
        print(f"Questionnaire written to {args.out}")
    return 0
