"""How an unlocked StaffData becomes a StaffConsole: the printer from the settings, the sealed outbox, the logo.

Kept apart from kiosk/console/controller.py so the console's logic does not depend on
CUPS; the composition root (ui/app.py) calls `console_factory` once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.console.controller import StaffConsole, StaffData
from kiosk.content import Content
from kiosk.printing import CupsPrinter, Outbox, Printer, PrintResult, retry_outbox, safe_print
from kiosk.printing.printer import job_title
from kiosk.report.logo import load_logo


def retry_summary(results: list[PrintResult]) -> str:
    """One line for staff: how many waiting PDFs printed, and why the first one that did not."""
    if not results:
        return "Nothing is waiting to print."
    printed = sum(1 for r in results if r.printed)
    failed = [r for r in results if not r.printed]
    text = f"Printed {printed} of {len(results)} waiting PDF(s)."
    return text if not failed else f"{text} Still waiting: {len(failed)}. {failed[0].message}"


def console_factory(content: Content, outbox_dir: Path,
                    make_printer: Callable[[str], Printer] = CupsPrinter) -> Callable[[StaffData], StaffConsole]:
    """`make(data)` for the staff flow. The console prints on the settings' printer even when auto-print is off."""

    def make(data: StaffData) -> StaffConsole:
        def printer() -> Printer:
            return make_printer(data.settings().printer)

        def print_one(pdf: bytes, submission_id: str) -> tuple[bool, str]:
            return safe_print(printer(), pdf, job_title(submission_id))

        def retry() -> str:
            outbox = Outbox(outbox_dir, open_=data.open_outbox)
            return retry_summary(retry_outbox(outbox, printer(), data.mark_printed))

        def system_checks() -> list:
            from kiosk.console.doctor import run_checks

            return run_checks(outbox_dir.parent, content.languages)

        return StaffConsole(content, data, lambda: data.settings().clinic_name, print_one, retry,
                            logo=lambda: load_logo(data.settings().clinic_logo), system_checks=system_checks)

    return make
