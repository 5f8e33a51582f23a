"""Printing through the operating system's print system (CUPS) with `lp`, no dialog.

The PDF goes to `lp` on its standard input, so no copy of it is written to a
file by the kiosk (CUPS keeps its own spool copy only until the job is done).
`lp` returns as soon as the scheduler has accepted the job, typically in tens
of milliseconds, so printing runs in the submit path and is bounded by a
timeout; a slow or dead scheduler is a failed print, not a stuck kiosk.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from kiosk.printing.printer import Printer
from kiosk.settings import Settings

REQUEST_ID = re.compile(r"request id is (\S+)")


class CupsPrinter:
    """One CUPS queue by name; an empty name means the system default printer."""

    def __init__(self, queue: str = "", timeout_s: float = 10.0, lp: str = "lp") -> None:
        self.queue = queue
        self.timeout_s = timeout_s
        self.lp = lp

    @property
    def label(self) -> str:
        return self.queue or "the default printer"

    def command(self, title: str) -> list[str]:
        args = [self.lp]
        if self.queue:
            args += ["-d", self.queue]
        return args + ["-t", title]  # no file: lp reads the PDF from stdin

    def print_pdf(self, pdf: bytes, title: str) -> tuple[bool, str]:
        """Send the job; (True, "sent to ... as job N") once CUPS accepted it, else (False, what went wrong)."""
        if shutil.which(self.lp) is None:
            return False, f"The print system is not installed ({self.lp} not found); install CUPS (cups-client)."
        try:
            done = subprocess.run(self.command(title), input=pdf, capture_output=True, timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired:
            return False, f"The print system did not answer within {self.timeout_s:g} s ({self.label}); is cupsd running?"
        except OSError as exc:
            return False, f"The print system could not be started ({exc.strerror or exc})."
        output = (done.stdout + done.stderr).decode("utf-8", "replace").strip()
        if done.returncode != 0:
            reason = " ".join(line for line in output.splitlines() if "deprecated" not in line) or f"lp exit {done.returncode}"
            return False, f"Not printed on {self.label}: {reason}"
        found = REQUEST_ID.search(output)
        return True, f"Sent to {self.label}" + (f" as job {found.group(1)}" if found else "")


def make_printer(settings: Settings) -> Printer | None:
    """The printer the kiosk prints to after submit: None when automatic printing is off."""
    if not settings.auto_print:
        return None
    return CupsPrinter(settings.printer)


def cups_printers(lpstat: str = "lpstat", timeout_s: float = 10.0) -> list[str]:
    """The print queues CUPS knows here (`lpstat -e`), in its order; empty when CUPS is missing or silent."""
    if shutil.which(lpstat) is None:
        return []
    try:
        done = subprocess.run([lpstat, "-e"], capture_output=True, text=True, timeout=timeout_s, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return []
    return [line.split()[0] for line in done.stdout.splitlines() if line.strip()] if done.returncode == 0 else []


def test_page(printer_label: str) -> bytes:
    """One page that says which printer and when: what "Print test page" sends (no patient on it)."""
    import datetime as dt
    import io

    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(72, 700, "Test page - intake kiosk")
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 670, f"Printer: {printer_label}")
    canvas.drawString(72, 650, f"Printed {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    canvas.drawString(72, 630, "If you can read this, clinician summaries will print here.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
