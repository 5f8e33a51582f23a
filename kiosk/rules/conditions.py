"""Evaluate FHIR-style enableWhen conditions against answers, scores and derived values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.rules.answers import is_empty
from kiosk.content.model import Condition

Answers = Mapping[str, Any]


def holds(condition: Condition, answers: Answers, scores: Mapping[str, int] | None = None,
          derived: Mapping[str, int] | None = None, positive: Mapping[str, bool] | None = None) -> bool:
    """Whether one condition holds. A missing value satisfies only `exists: false` (as in FHIR)."""
    value: Any
    if condition.question is not None:
        value = answers.get(condition.question)
    elif condition.score is not None:
        value = (scores or {}).get(condition.score)
    elif condition.positive is not None:
        value = (positive or {}).get(condition.positive)
    else:
        value = (derived or {}).get(condition.derived or "")
    present = not is_empty(value)
    if condition.operator == "exists":
        return present == condition.answer
    if not present:
        return False
    expected = condition.answer
    if isinstance(value, list):
        if condition.operator == "=":
            return expected in value
        if condition.operator == "!=":
            return expected not in value
        return False
    left, right = _comparable(value, expected)
    try:
        if condition.operator == "=":
            return bool(left == right)
        if condition.operator == "!=":
            return bool(left != right)
        if condition.operator == ">":
            return bool(left > right)
        if condition.operator == "<":
            return bool(left < right)
        if condition.operator == ">=":
            return bool(left >= right)
        return bool(left <= right)
    except TypeError:
        return False


def all_hold(conditions: Sequence[Condition], behavior: str, answers: Answers,
             scores: Mapping[str, int] | None = None, derived: Mapping[str, int] | None = None,
             positive: Mapping[str, bool] | None = None) -> bool:
    """`enableBehavior`: all (the default) or any. No conditions means always enabled."""
    if not conditions:
        return True
    results = (holds(c, answers, scores, derived, positive) for c in conditions)
    return any(results) if behavior == "any" else all(results)


def _comparable(value: Any, expected: Any) -> tuple[Any, Any]:
    if isinstance(value, dt.date):
        return value, dt.date.fromisoformat(str(expected))
    if isinstance(expected, str) and isinstance(value, str) and _is_date(expected) and _is_date(value):
        return dt.date.fromisoformat(value), dt.date.fromisoformat(expected)
    return value, expected


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
