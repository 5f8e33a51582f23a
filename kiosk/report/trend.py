"""Measurement-based care across visits: the numbers of one person's earlier visits, and what they say.

PHQ-9 monitoring: a change of 5 points is clinically meaningful; response is a
fall of 50% or more from the first (baseline) total; remission is a total under 5.
Cravings (0-10) are tracked but, not being a validated scale, have no cut-off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kiosk.report.doses import DoseRecord

MEANINGFUL_CHANGE = 5
REMISSION_BELOW = 5
MAX_VISITS = 12


@dataclass(frozen=True)
class VisitPoint:
    """One visit's numbers for the trend (None where that visit did not measure it)."""

    when: dt.date
    visit: str
    phq9: int | None = None
    audit_c: int | None = None
    cravings: int | None = None
    days_since_opioid: int | None = None
    submission_id: str = ""
    dose: DoseRecord | None = None  # what staff recorded as given at this visit (shot or pills)
    unconfirmed: bool = False  # matched to this patient by name and birth date only; staff have not confirmed it


@dataclass(frozen=True)
class Measure:
    """One number followed across visits: the VisitPoint field that holds it, its label, and its scale's top
    (None when open-ended)."""

    field: str
    label: str
    most: int | None


# What the trend follows, in the order it is shown, for the PDF and the console's timeline alike.
MEASURES = (
    Measure("phq9", "PHQ-9", 27),
    Measure("audit_c", "AUDIT-C", 12),
    Measure("cravings", "Cravings (0-10)", 10),
    Measure("days_since_opioid", "Days since last opioid", None),
)


def values(points: list[VisitPoint], measure: Measure) -> list[tuple[dt.date, int]]:
    """(visit date, value) of every visit that measured it, oldest first."""
    found = [(p.when, getattr(p, measure.field)) for p in sorted(points, key=lambda p: p.when)]
    return [(when, value) for when, value in found if value is not None]


def visit_day(submission: Any) -> dt.date:
    """The clinic's local day a visit was made on (stored times are UTC: an evening visit in the Americas is
    already the next day in UTC)."""
    return (submission.submitted_at or submission.started_at).astimezone().date()


def point_of(submission: Any, dose: DoseRecord | None = None) -> VisitPoint:
    """A stored or current submission's numbers (and what was given at that visit, when known)."""
    scores = submission.assessment.scores
    cravings = submission.answers.get("cravings")
    return VisitPoint(
        when=visit_day(submission), visit=getattr(submission, "visit", "intake"),
        phq9=scores["phq9"].total if "phq9" in scores else None,
        audit_c=scores["audit_c"].total if "audit_c" in scores else None,
        cravings=cravings if isinstance(cravings, int) and not isinstance(cravings, bool) else None,
        days_since_opioid=submission.assessment.derived.get("days_since_opioid"),
        submission_id=str(getattr(submission, "id", "")), dose=dose)


def series(earlier: list[VisitPoint], current: VisitPoint) -> list[VisitPoint]:
    """The last MAX_VISITS visits, oldest first, ending with this one."""
    ordered = sorted(earlier, key=lambda p: p.when)
    return [*ordered, current][-MAX_VISITS:]


def phq9_notes(points: list[VisitPoint]) -> list[str]:
    """What the PHQ-9 totals say: the change since the previous visit (marked at 5 points or more), and response
    or remission against the first total."""
    totals = [p.phq9 for p in points if p.phq9 is not None]
    if len(totals) < 2:
        return []
    baseline, previous, now = totals[0], totals[-2], totals[-1]
    change = now - previous
    notes = [f"PHQ-9 {previous} -> {now} since the previous visit ({change:+d})"
             + (" - a change of 5 or more points" if abs(change) >= MEANINGFUL_CHANGE else "")]
    if now < REMISSION_BELOW:
        notes.append(f"Remission: PHQ-9 under {REMISSION_BELOW} (baseline {baseline})")
    elif baseline > 0 and now <= baseline / 2:
        notes.append(f"Response: PHQ-9 fell 50% or more from baseline {baseline}")
    return notes


def shown(value: int | None) -> str:
    return "-" if value is None else str(value)
