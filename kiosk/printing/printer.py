"""The printer interface: PDF bytes in, (ok, message) out, and never an exception for the patient to see."""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Printer(Protocol):
    """Anything that can print a PDF held in memory. The message is for staff, never for the patient."""

    def print_pdf(self, pdf: bytes, title: str) -> tuple[bool, str]: ...


def safe_print(printer: Printer, pdf: bytes, title: str) -> tuple[bool, str]:
    """Call the printer; any exception becomes (False, message) so the caller's path never breaks."""
    try:
        ok, message = printer.print_pdf(pdf, title)
    except Exception as exc:  # noqa: BLE001 - a broken printer must never reach the patient
        log.error("printing %s failed: %s", title, type(exc).__name__)
        return False, f"The printer could not be used ({type(exc).__name__}: {exc})."
    return bool(ok), str(message)


def job_title(submission_id: str) -> str:
    """What the print queue shows: a short id, never the patient's name (queues are visible to anyone at the host)."""
    return f"intake-{submission_id[:8]}"
