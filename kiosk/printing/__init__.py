"""Getting the clinician PDF onto paper: the printer interface, CUPS, and the outbox for what could not print."""

from kiosk.printing.cups import CupsPrinter, make_printer
from kiosk.printing.delivery import PrintResult, deliver, retry_outbox
from kiosk.printing.outbox import Outbox
from kiosk.printing.printer import Printer, safe_print

__all__ = ["CupsPrinter", "Outbox", "PrintResult", "Printer", "deliver", "make_printer", "retry_outbox", "safe_print"]
