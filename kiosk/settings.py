"""Clinic settings with safe embedded defaults, so a fresh install runs with nothing configured."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

# How a patient's "Need help?" or an urgent answer reaches staff without words on the patient's screen:
# "sound" = the system beep; "marker" = a small wordless coloured square in the top-left corner that stays
# until staff make the hidden staff gesture; "sound+marker" = both; "none" = the staff console only.
STAFF_ALERTS: tuple[str, ...] = ("sound", "marker", "sound+marker", "none")


@dataclass(frozen=True)
class Settings:
    clinic_name: str = "Welcome Clinic"
    clinic_logo: str = ""
    idle_timeout_s: int = 120
    idle_warning_s: int = 30
    console_idle_timeout_s: int = 300
    keep_abandoned: bool = True
    auto_print: bool = True
    printer: str = ""
    languages: tuple[str, ...] = field(default=("en", "es"))
    retention_days: int = 365
    staff_alert: str = "sound"  # one of STAFF_ALERTS
    touch_only: bool = False
    speech_engine: str = ""

    def validate(self) -> None:
        """Refuse values that would break the kiosk, with a message an admin can act on."""
        if not self.clinic_name.strip():
            raise ValueError("The clinic name cannot be empty.")
        if not 30 <= self.idle_timeout_s <= 3600:
            raise ValueError("The patient idle timeout must be between 30 and 3600 seconds.")
        if not 5 <= self.idle_warning_s < self.idle_timeout_s:
            raise ValueError("The idle warning must be at least 5 seconds and shorter than the idle timeout.")
        if not 30 <= self.console_idle_timeout_s <= 3600:
            raise ValueError("The console idle lock must be between 30 and 3600 seconds.")
        if not 1 <= self.retention_days <= 36500:
            raise ValueError("Retention must be between 1 and 36500 days.")
        if not self.languages:
            raise ValueError("Offer at least one language.")
        if self.staff_alert not in STAFF_ALERTS:
            raise ValueError(f"The staff alert must be one of: {', '.join(STAFF_ALERTS)}.")

    def updated(self, **changes: Any) -> "Settings":
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)
