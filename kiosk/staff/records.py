"""What the staff data layer hands the console: a queue query and its rows, audit entries, accounts.

Plain records, so the data layer (kiosk/staff) and the console's logic
(kiosk/console/controller.py, above it) share them without a circle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kiosk.content.model import SEVERITY_ORDER
from kiosk.staff.rights import Role
from kiosk.storage.submissions import Status

STATUSES = tuple(status for status in Status if status is not Status.IN_PROGRESS)
SEVERITY_MARK = {rank: (name.upper() if rank <= SEVERITY_ORDER["stop"] else name) for name, rank in SEVERITY_ORDER.items()}


class UnlockRefused(Exception):
    """Unlock failed. The message is shown as is: it never says whether the name or the passphrase was wrong."""


@dataclass(frozen=True)
class QueueQuery:
    """What staff search by: name, date of birth and a date range (all optional)."""

    name: str = ""
    dob: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class QueueRow:
    id: str
    submitted_at: dt.datetime | None
    name: str
    dob: str
    status: str
    severity: int
    printed: bool = True
    training: bool = False  # made by `demo-data`: never a real patient
    reason: str = ""  # why it is urgent or stop, e.g. "self-harm thoughts" (kiosk.staff.queue_reasons)
    to_confirm: bool = False  # matched to earlier visits by name and birth date; staff have not confirmed it

    @property
    def name_text(self) -> str:
        """The name as the queue shows it: a training patient carries its badge wherever the name appears."""
        return f"{self.name}  [TRAINING]" if self.training else self.name

    @property
    def urgent(self) -> bool:
        return self.severity == 0

    @property
    def status_text(self) -> str:
        """The status as staff read it; a submission still waiting for paper says so."""
        return self.status if self.printed or self.status == Status.ABANDONED else f"{self.status} (not printed)"

    @property
    def flag_text(self) -> str:
        """A text marker for the flag, so urgency never rests on colour alone."""
        mark = SEVERITY_MARK.get(self.severity, "")
        mark = f"!! {mark}" if self.urgent else mark
        mark = f"{mark}: {self.reason}" if self.reason else mark
        return f"{mark}  [{MATCH_MARK}]" if self.to_confirm else mark


# The queue's word for a visit whose suggested match (same name and birth date) waits for staff to confirm it.
MATCH_MARK = "match to confirm"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class AccountInfo:
    name: str
    is_admin: bool
    created_at: dt.datetime
    role: Role = Role.CLINICIAN


