"""Getting the clinician PDF onto paper: the printer interface, CUPS, and the outbox for what could not print.

The names are loaded on first use (PEP 562): the kiosk's start imports only the small parts it holds
(the outbox's folder and the printer interface), not CUPS or delivery, which wait for the first submit.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {"CupsPrinter": "cups", "make_printer": "cups", "PrintResult": "delivery", "deliver": "delivery",
          "retry_outbox": "delivery", "Outbox": "outbox", "Printer": "printer", "safe_print": "printer"}

__all__ = ["CupsPrinter", "Outbox", "PrintResult", "Printer", "deliver", "make_printer", "retry_outbox", "safe_print"]

if TYPE_CHECKING:
    from kiosk.printing.cups import CupsPrinter, make_printer
    from kiosk.printing.delivery import PrintResult, deliver, retry_outbox
    from kiosk.printing.outbox import Outbox
    from kiosk.printing.printer import Printer, safe_print


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"kiosk.printing.{_WHERE[name]}"), name)
