"""What staff record on a visit: the shot given today (which side, which lot) or pills prescribed, and what
follows for the next visit.

The injection is given every 28 days into the upper outer buttock, alternating sides each month (injectable
label), so the next side is the other one and the next shot is due 28 days after the last. The record is
written by a clinician in the console, encrypted under the data key like a staff note; these are its plain
values and wording.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

SHOT = "shot"
PILLS = "pills"
KINDS = (SHOT, PILLS)
SIDES = ("left", "right")
SHOT_EVERY_DAYS = 28
LOT_LIMIT = 40


class DoseInvalid(ValueError):
    """What staff typed cannot be recorded; the message names the field."""


@dataclass(frozen=True)
class DoseRecord:
    kind: str  # SHOT or PILLS
    given_on: dt.date  # the local day it was recorded as given
    by: str  # the staff member who recorded it
    side: str = ""  # for a shot: left or right
    lot: str = ""  # for a shot: the lot number on the kit

    def to_json(self) -> bytes:
        return json.dumps({"kind": self.kind, "given_on": self.given_on.isoformat(), "by": self.by,
                           "side": self.side, "lot": self.lot}, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, blob: bytes) -> "DoseRecord":
        data: dict[str, Any] = json.loads(blob)
        return cls(kind=str(data["kind"]), given_on=dt.date.fromisoformat(data["given_on"]), by=str(data["by"]),
                   side=str(data.get("side") or ""), lot=str(data.get("lot") or ""))

    @property
    def words(self) -> str:
        """'shot given, left side, lot AB123' or 'pills prescribed', as page 1 and the console say it."""
        if self.kind == PILLS:
            return "pills prescribed"
        return f"shot given, {self.side} side, lot {self.lot}"


def dose_record(kind: str, side: str, lot: str, by: str, given_on: dt.date) -> DoseRecord:
    """A record from what staff entered, checked: a shot needs its side and lot; pills carry neither."""
    kind, side, lot = kind.strip().casefold(), side.strip().casefold(), " ".join(lot.split())
    if kind not in KINDS:
        raise DoseInvalid(f"What was given must be one of: {', '.join(KINDS)} (not {kind!r}).")
    if kind == PILLS:
        return DoseRecord(PILLS, given_on, by)
    if side not in SIDES:
        raise DoseInvalid("Side: choose left or right for the shot given today.")
    if not lot:
        raise DoseInvalid("Lot number: type the lot number printed on the kit.")
    if len(lot) > LOT_LIMIT or not all(ch.isalnum() or ch in " -/." for ch in lot):
        raise DoseInvalid(f"Lot number: up to {LOT_LIMIT} letters, digits, spaces, '-', '/' or '.'.")
    return DoseRecord(SHOT, given_on, by, side, lot)


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def other_side(side: str) -> str:
    return "right" if side == "left" else "left"


@dataclass(frozen=True)
class ShotPlan:
    """What the next visit's page 1 says about the injection, counted on the visit's day."""

    last: DoseRecord
    days_since: int
    next_side: str
    due: dt.date

    def lines(self, today: dt.date) -> list[str]:
        last = (f"Last shot: {self.last.given_on.isoformat()}, {self.last.side} side, lot {self.last.lot} "
                f"({days(self.days_since)} ago, recorded by {self.last.by})")
        late = (today - self.due).days
        when = ("due today" if late == 0 else f"{days(late)} past the due date" if late > 0
                else f"due in {days(-late)}")
        return [last, f"Next shot: use the {self.next_side.upper()} side; due {self.due.isoformat()} "
                      f"({SHOT_EVERY_DAYS} days after the last shot), {when}"]


def shot_plan(records: list[DoseRecord], today: dt.date) -> ShotPlan | None:
    """From the last shot recorded on or before `today`: the days since it, the other side, and the due date."""
    shots = [r for r in records if r.kind == SHOT and r.given_on <= today]
    if not shots:
        return None
    last = max(shots, key=lambda r: r.given_on)
    return ShotPlan(last, (today - last.given_on).days, other_side(last.side),
                    last.given_on + dt.timedelta(days=SHOT_EVERY_DAYS))


def dose_lines(records: list[DoseRecord], today: dt.date) -> list[str]:
    """Page 1's lines about earlier visits' doses: the shot plan, and pills when they were the latest record."""
    plan = shot_plan(records, today)
    lines = plan.lines(today) if plan else []
    pills = [r for r in records if r.kind == PILLS and r.given_on <= today]
    if pills:
        latest = max(pills, key=lambda r: r.given_on)
        if plan is None or latest.given_on >= plan.last.given_on:
            lines.append(f"Pills prescribed: {latest.given_on.isoformat()} ({days((today - latest.given_on).days)} ago, "
                         f"recorded by {latest.by})")
    return lines


def short_words(record: DoseRecord | None) -> str:
    """A table cell: 'shot L' / 'shot R' / 'pills' / '-'."""
    if record is None:
        return "-"
    return "pills" if record.kind == PILLS else f"shot {record.side[:1].upper()}"
