"""Clinic settings with safe embedded defaults, so a fresh install runs with nothing configured."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    clinic_name: str = "Welcome Clinic"
    idle_timeout_s: int = 120
    idle_warning_s: int = 30
    console_idle_timeout_s: int = 300
    keep_abandoned: bool = True
    auto_print: bool = True
    printer: str = ""
    languages: tuple[str, ...] = field(default=("en", "es"))
    retention_days: int = 365
    staff_alert: str = "sound"
    touch_only: bool = False
    speech_engine: str = ""

    def updated(self, **changes: Any) -> "Settings":
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)
