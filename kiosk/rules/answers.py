"""What counts as an answer: the one "is this answer empty?" rule for conditions, flow, scoring and export."""

from __future__ import annotations

from typing import Any


def is_empty(value: Any) -> bool:
    """Nothing given: no value, an empty text or no option ticked. False and 0 are answers."""
    return value is None or value == "" or value == []
