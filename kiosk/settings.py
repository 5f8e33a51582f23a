"""Clinic settings, each declared once, with safe embedded defaults so a fresh install runs with nothing configured.

A setting is one line in `Settings`: its name and type are the field's, and
`setting(...)` gives the default, the label and help staff read, the allowed
range or choices, and when a change takes effect. Validation
(`problems`), the console's settings form and the kiosk's live updates are all
derived from `SPECS`, so adding a setting is adding that line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

T = TypeVar("T")

# When a saved change takes effect. NOW: read on every use (printing, the PDF, keeping abandoned sessions).
# NEXT_PATIENT: the patient screens take it when staff lock the console. RESTART: when the kiosk next starts.
NOW, NEXT_PATIENT, RESTART = "now", "next patient", "restart"

# How a patient's "Need help?" or an urgent answer reaches staff without words on the patient's screen:
# "sound" = the system beep; "marker" = a small wordless coloured square in the top-left corner that stays
# until staff make the hidden staff gesture; "sound+marker" = both; "none" = the staff console only.
STAFF_ALERT_CHOICES: tuple[tuple[str, str], ...] = (
    ("sound", "Sound"), ("marker", "Corner marker (no sound)"), ("sound+marker", "Sound and corner marker"),
    ("none", "None (staff console only)"),
)
STAFF_ALERTS: tuple[str, ...] = tuple(code for code, _ in STAFF_ALERT_CHOICES)

# Which visit type a patient answers: "ask" lets welcome offer each visit type the content holds; a visit id
# fixes it for this kiosk (a kiosk by the injection room, say).
ASK_VISIT = "ask"
VISIT_TYPE_CHOICES: tuple[tuple[str, str], ...] = (
    (ASK_VISIT, "Ask the patient on the welcome screen"), ("intake", "First visits only"),
    ("follow-up", "Return visits only (shot or pills)"),
)


@dataclass(frozen=True)
class SettingSpec:
    """Everything about one setting but its current value."""

    name: str
    default: Any
    label: str
    help: str = ""
    applies: str = NOW
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, what staff read); empty: any value of the type
    required: bool = False  # text may not be blank, a list may not be empty
    max_length: int = 200
    in_console: bool = True  # False: set by the installer only (e.g. the speech engine)

    @property
    def kind(self) -> str:
        """bool, int, choice, text or list: what the form shows and how a value is checked."""
        if isinstance(self.default, bool):
            return "bool"
        if isinstance(self.default, int):
            return "int"
        if isinstance(self.default, tuple):
            return "list"
        return "choice" if self.choices else "text"

    def coerce(self, value: Any) -> Any:
        """A value as stored or typed (JSON list, spin box int, padded text) in this setting's own type."""
        if self.kind == "list":
            return tuple(value)
        if self.kind == "text" or self.kind == "choice":
            return str(value).strip()
        return value

    def problem(self, value: Any) -> str | None:
        """What is wrong with `value` for this setting, naming it as staff see it; None when fine."""
        kind = self.kind
        if kind == "bool" and not isinstance(value, bool):
            return f"{self.label}: must be on or off."
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{self.label}: must be a whole number."
            low = self.minimum if self.minimum is not None else value
            high = self.maximum if self.maximum is not None else value
            if not low <= value <= high:
                return f"{self.label}: must be between {low} and {high}."
        if kind == "choice" and value not in {code for code, _ in self.choices}:
            return f"{self.label}: must be one of: {', '.join(code for code, _ in self.choices)}."
        if kind == "text" and len(str(value)) > self.max_length:
            return f"{self.label}: at most {self.max_length} characters."
        if self.required and not (value.strip() if isinstance(value, str) else value):
            return f"{self.label}: " + ("choose at least one." if kind == "list" else "it cannot be empty.")
        return None


def setting(default: T, label: str, **spec: Any) -> T:
    """A `Settings` field: its default plus the rest of its `SettingSpec` (label, help, range, choices, applies)."""
    value: T = field(default=default, metadata={"spec": {"label": label, **spec}})
    return value


@dataclass(frozen=True)
class Settings:
    clinic_name: str = setting("Welcome Clinic", "Clinic name", required=True, max_length=120, applies=NEXT_PATIENT,
                               help="Patients see it on every screen; it heads every report.")
    clinic_logo: str = setting("", "Clinic logo (image file path)", max_length=1000,
                               help="A PNG or JPEG of at most 2 MB, printed on the report.")
    idle_timeout_s: int = setting(120, "Patient idle timeout (seconds)", minimum=30, maximum=3600,
                                  applies=NEXT_PATIENT, help="After this long untouched the patient's answers are wiped.")
    idle_warning_s: int = setting(30, "Idle warning shown for (seconds)", minimum=5, maximum=3600,
                                  applies=NEXT_PATIENT, help="The countdown before the wipe; shorter than the timeout.")
    console_idle_timeout_s: int = setting(300, "Console locks after (seconds idle)", minimum=30, maximum=3600,
                                          help="Takes effect at the next unlock.")
    keep_abandoned: bool = setting(True, "Keep abandoned sessions for staff",
                                   help="Answers of a patient who walked away are kept, sealed, for staff to see.")
    auto_print: bool = setting(True, "Print each submission automatically")
    printer: str = setting("", "Printer (CUPS queue; empty: system default)", max_length=200)
    languages: tuple[str, ...] = setting(("en", "es"), "Languages offered", required=True, applies=RESTART)
    retention_days: int = setting(365, "Retention: keep submissions for (days)", minimum=1, maximum=36500,
                                  help="Older submissions are purged when the kiosk starts and by `purge`.")
    staff_alert: str = setting("sound", "Staff alert for urgent flags and help", choices=STAFF_ALERT_CHOICES,
                               applies=NEXT_PATIENT)
    visit_type: str = setting(ASK_VISIT, "Visit type", choices=VISIT_TYPE_CHOICES, applies=NEXT_PATIENT,
                              help="Ask each patient whether it is a first or a return visit, or fix one for this kiosk.")
    touch_only: bool = setting(False, "Always use the on-screen keyboard (it comes by itself on a touch screen)",
                               applies=RESTART)
    speech_engine: str = setting("", "Read-aloud engine (empty: the system's)", applies=RESTART, in_console=False)
    database_url: str = setting("", "Shared database (postgresql:// URL; empty: this machine only)", max_length=1000,
                                applies=RESTART, in_console=False,
                                help="Sealed submissions are copied there after they are stored here; no password "
                                     "in it (use a .pgpass file).")

    def problems(self) -> list[str]:
        """Every reason these settings would break the kiosk, each naming the setting as staff see it."""
        found = [p for spec in SPECS if (p := spec.problem(getattr(self, spec.name))) is not None]
        return found + [p for rule in RULES if (p := rule(self)) is not None]

    def validate(self) -> None:
        """Refuse values that would break the kiosk, with a message an admin can act on."""
        found = self.problems()
        if found:
            raise ValueError(" ".join(found))

    def updated(self, **changes: Any) -> Settings:
        unknown = set(changes) - set(BY_NAME)
        if unknown:
            raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **{key: BY_NAME[key].coerce(value) for key, value in changes.items()})


def _spec(f: Any) -> SettingSpec:
    return SettingSpec(name=f.name, default=f.default, **f.metadata["spec"])


SPECS: tuple[SettingSpec, ...] = tuple(_spec(f) for f in fields(Settings))
BY_NAME: dict[str, SettingSpec] = {spec.name: spec for spec in SPECS}


def _warning_before_timeout(s: Settings) -> str | None:
    if s.idle_warning_s >= s.idle_timeout_s:
        return "Idle warning: must be shorter than the idle timeout."
    return None


# Rules across settings; a rule on one setting belongs in its declaration.
RULES: tuple[Callable[[Settings], str | None], ...] = (_warning_before_timeout,)


def applying(applies: str) -> tuple[SettingSpec, ...]:
    """The settings that take effect at `applies` (NOW, NEXT_PATIENT or RESTART)."""
    return tuple(spec for spec in SPECS if spec.applies == applies)
