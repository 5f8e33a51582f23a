"""After the commit: print the PDF, or keep it in the outbox and leave the submission "not printed".

The submission's status only becomes "printed" when the print system took the
job; otherwise it stays "new" and the (sealed) PDF waits in the outbox until
`retry_outbox` prints it from the staff console. Nothing here raises for a
printer problem: the message goes to the log and to staff.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.printing.outbox import Outbox
from kiosk.printing.printer import Printer, job_title, safe_print

log = logging.getLogger(__name__)

NO_PRINTER = "Automatic printing is off; the PDF waits in the outbox."


@dataclass(frozen=True)
class PrintResult:
    submission_id: str
    printed: bool
    message: str
    waiting: Path | None = None


def deliver(pdf: bytes, submission_id: str, printer: Printer | None, outbox: Outbox,
            mark_printed: Callable[[str], None]) -> PrintResult:
    """Print now if there is a printer; on any failure (or no printer) put the PDF in the outbox."""
    printed, message = safe_print(printer, pdf, job_title(submission_id)) if printer is not None else (False, NO_PRINTER)
    return settle(submission_id, pdf, printed, message, outbox, mark_printed)


def settle(submission_id: str, pdf: bytes | None, printed: bool, message: str, outbox: Outbox,
           mark_printed: Callable[[str], None]) -> PrintResult:
    """After a print attempt (here or in the render process): a printed job is recorded, anything else waits
    in the outbox. `pdf` may be None only when it printed."""
    if printed:
        _printed(submission_id, outbox, mark_printed)
        return PrintResult(submission_id, True, message)
    if message != NO_PRINTER:
        log.warning("submission %s not printed: %s", submission_id[:8], message)
    if pdf is None:
        raise ValueError("a PDF that did not print must be kept")
    return PrintResult(submission_id, False, message, outbox.put(submission_id, pdf))


def retry_outbox(outbox: Outbox, printer: Printer, mark_printed: Callable[[str], None]) -> list[PrintResult]:
    """Staff console: try every waiting PDF again, oldest first; each one that prints leaves the outbox."""
    results = []
    for submission_id in outbox.waiting():
        try:
            pdf = outbox.read(submission_id)
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the others
            results.append(PrintResult(submission_id, False, f"The waiting PDF cannot be opened ({type(exc).__name__}).",
                                       outbox.path(submission_id)))
            continue
        if pdf is None:
            continue
        ok, message = safe_print(printer, pdf, job_title(submission_id))
        if ok:
            _printed(submission_id, outbox, mark_printed)
            results.append(PrintResult(submission_id, True, message))
        else:
            results.append(PrintResult(submission_id, False, message, outbox.path(submission_id)))
    return results


def _printed(submission_id: str, outbox: Outbox, mark_printed: Callable[[str], None]) -> None:
    """Record the print and drop the waiting copy; a failed status write is logged, never re-printed."""
    try:
        mark_printed(submission_id)
    except Exception as exc:  # noqa: BLE001 - the paper is out; a second print would be worse than a stale status
        log.error("submission %s printed but its status was not saved (%s); it shows as not printed: "
                  "do not print it again", submission_id[:8], type(exc).__name__)
    try:
        outbox.remove(submission_id)
    except OSError as exc:
        log.error("submission %s printed but its waiting copy could not be removed (%s)", submission_id[:8],
                  exc.strerror)
