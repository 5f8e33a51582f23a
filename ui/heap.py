"""Handing freed memory back to the system between pages.

glibc keeps what a deleted page's widgets freed inside the process, in holes
the next page does not always fit; `malloc_trim` returns those pages to the
system, so the kiosk's resident size follows what is alive, not its past.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

_trim: Callable[[int], int] | None = None


def give_back() -> None:
    """Return freed heap pages to the system (glibc only; elsewhere nothing to do)."""
    global _trim
    if _trim is None:
        _trim = _find_trim()
    _trim(0)


def _find_trim() -> Callable[[int], int]:
    if sys.platform.startswith("linux"):
        try:
            return ctypes.CDLL(None).malloc_trim  # the C library the process already runs on
        except (OSError, AttributeError):  # musl and others have no malloc_trim
            pass
    return lambda _pad: 0
