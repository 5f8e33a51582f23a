"""What the intake controller works with: its screens, the one patient's session, and the parts it is handed.

The view (`IntakeView`), the autosave journal (`SessionJournal`) and the way a
PDF leaves the kiosk (`Delivery`) are plain interfaces, so the controller is
tested without Qt, a database or a printer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.content.manifest import INTAKE
from kiosk.content.model import Page
from kiosk.patient.after_commit import RenderProcesses
from kiosk.patient.pipeline import Outcome
from kiosk.printing.outbox import identity
from kiosk.printing.printer import Printer
from kiosk.storage.submissions import SessionEvents, new_submission_id
from kiosk.system.clock import utc_now

WELCOME, REVIEW, THANKS = "welcome", "review", "thanks"


class IntakeView(Protocol):
    """What the controller asks of the screen."""

    def show_screen(self, screen: "Screen") -> None: ...

    def show_problems(self, problems: dict[str, str]) -> None: ...

    def show_crisis(self) -> None: ...

    def alert_staff(self, reason: str) -> None: ...

    def show_not_saved(self) -> None: ...


class SessionJournal(Protocol):
    """Where a session in progress is autosaved, so a crash loses at most the answer being typed."""

    def record(self, session: "PatientSession") -> None: ...

    def abandon(self, session: "PatientSession") -> None:
        """The patient walked away: keep the session for staff or drop it, as the clinic's setting says now."""

    def forget(self, session_id: str) -> None: ...


class NullJournal:
    """No autosave: used where durability is not the point (tests of the path, previews)."""

    def record(self, session: "PatientSession") -> None:
        return None

    def abandon(self, session: "PatientSession") -> None:
        return None

    def forget(self, session_id: str) -> None:
        return None


@dataclass(frozen=True)
class Screen:
    """What to show: a built-in screen (welcome, review, thanks) or a content page, with progress."""

    name: str
    page: Page | None
    step: int
    steps: int
    language: str


@dataclass
class PatientSession:
    """Everything about the one patient in memory; replaced whole, never reused."""

    id: str = field(default_factory=new_submission_id)
    started_at: dt.datetime = field(default_factory=utc_now)
    language: str = "en"
    answers: dict[str, Any] = field(default_factory=dict)
    signature_png: bytes | None = None
    position: str = WELCOME
    return_to_review: bool = False
    urgent_seen: frozenset[str] = frozenset()
    events: SessionEvents = field(default_factory=SessionEvents)
    submitted: Outcome | None = None
    # Which visit type's questionnaire this patient answers (`intake`, `follow-up`).
    visit: str = INTAKE


@dataclass
class Delivery:
    """How a submitted PDF leaves the kiosk: the printer now (None: keep it in the outbox), the outbox's sealing, the logo,
    and the child processes that draw and print it after the patient was thanked."""

    printer: Callable[[], Printer | None] = lambda: None
    seal: Callable[[bytes], bytes] = identity
    logo: Callable[[], bytes | None] = lambda: None
    render: RenderProcesses = field(default_factory=RenderProcesses)
