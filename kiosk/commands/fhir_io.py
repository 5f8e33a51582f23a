"""What the FHIR subcommands share: loading the content and reading a response, with plain messages.

Failures are the commands' one `CommandFailed` (exit 1 unless said otherwise).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.commands.common import CommandFailed
from kiosk.content import Content, ContentInvalid, load_content
from kiosk.fhir.response import ParsedResponse, ResponseInvalid, parse_response, read_response
from kiosk.paths import content_dir
from kiosk.storage.private_files import write_private

__all__ = ["CommandFailed", "content_for", "fail", "response_from", "write_atomically"]


def content_for(args: argparse.Namespace, visit: str | None = None) -> Content:
    """One visit type's content (the intake when `visit` is None)."""
    folder = getattr(args, "content", None) or content_dir()
    try:
        return load_content(folder) if visit is None else load_content(folder, visit=visit)
    except ContentInvalid as invalid:
        if [e.code for e in invalid.errors] == ["unknown_visit"]:
            raise CommandFailed(invalid.errors[0].message) from invalid
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
