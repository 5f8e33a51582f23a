"""What the FHIR subcommands share: loading the content and reading a response, with plain messages.

Failures are the commands' one `CommandFailed` (exit 1 unless said otherwise).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from kiosk.commands.common import CommandFailed
from kiosk.content import Content, ContentInvalid, load_content, load_visits
from kiosk.fhir.response import ParsedResponse, ResponseInvalid, parse_response, read_response
from kiosk.fhir.visits import content_answered
from kiosk.system.paths import content_dir
from kiosk.storage.private_files import write_private

__all__ = ["CommandFailed", "content_for", "fail", "response_from", "visit_response_from", "visits_for",
           "write_atomically"]


def content_for(args: argparse.Namespace, visit: str | None = None) -> Content:
    """One visit type's content (the intake when `visit` is None)."""
    folder = getattr(args, "content", None) or content_dir()
    try:
        return load_content(folder) if visit is None else load_content(folder, visit=visit)
    except ContentInvalid as invalid:
        if [e.code for e in invalid.errors] == ["unknown_visit"]:
            raise CommandFailed(invalid.errors[0].message) from invalid
        raise CommandFailed(f"content in {folder} is not valid:\n{invalid}") from invalid


def visit_response_from(visits: Mapping[str, Content], path: Path) -> tuple[Content, ParsedResponse]:
    """A response and the visit type's content it answers (by its Questionnaire url)."""
    try:
        data = read_response(path)
        content = content_answered(visits, data)
        return content, parse_response(content, data)
    except ResponseInvalid as invalid:
        raise CommandFailed(f"{path}: response refused: {invalid}") from invalid


def visits_for(args: argparse.Namespace) -> dict[str, Content]:
    """Every visit type's content, by id (the intake first)."""
    folder = getattr(args, "content", None) or content_dir()
    try:
        return load_visits(folder)
    except ContentInvalid as invalid:
        raise CommandFailed(f"content in {folder} is not valid:\n{invalid}") from invalid


def response_from(content: Content, path: Path) -> ParsedResponse:
    try:
        return parse_response(content, read_response(path))
    except ResponseInvalid as invalid:
        raise CommandFailed(f"{path}: response refused: {invalid}") from invalid


def fail(message: str) -> int:
    print(f"naltrexone-kiosk: {message}", file=sys.stderr)
    return 1


def write_atomically(path: Path, data: bytes) -> None:
    """The one private writer: owner-only, whole or not at all, never through a planted link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, data)
