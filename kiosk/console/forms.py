"""The console's form checks, Qt-free so they test without a window: setup, passphrases, search, settings.

Each returns the problems in words staff can act on, naming the field; the
dialogs in ui/console only show them. The minimum passphrase length is the
vault's, so the form and the core never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from kiosk.console.controller import QueueQuery
from kiosk.settings import BY_NAME, Settings
from kiosk.staff.vault import MIN_PASSPHRASE

__all__ = ["MIN_PASSPHRASE", "parse_birth_date", "parse_date", "passphrase_problem", "query_from_form", "settings_changes", "setup_problems"]


def passphrase_problem(passphrase: str, again: str) -> str | None:
    """Why a new passphrase is not acceptable, or None. There is never a default one."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"The passphrase must be at least {MIN_PASSPHRASE} characters long."
    if passphrase.strip() != passphrase:
        return "The passphrase must not start or end with a space."
    if passphrase != again:
        return "The two passphrases are not the same."
    return None


def setup_problems(clinic: str, admin: str, passphrase: str, again: str) -> list[str]:
    problems = []
    if not clinic.strip():
        problems.append("Enter the clinic's name.")
    if not admin.strip():
        problems.append("Enter the administrator's name.")
    problem = passphrase_problem(passphrase, again)
    if problem:
        problems.append(problem)
    return problems


def parse_date(text: str, label: str) -> tuple[dt.date | None, str | None]:
    """An optional YYYY-MM-DD field: (date or None, problem naming the field or None)."""
    text = text.strip()
    if not text:
        return None, None
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, f"{label}: '{text}' is not a date; use YYYY-MM-DD, e.g. 2026-11-24."


def parse_birth_date(text: str) -> tuple[dt.date | None, str | None]:
    """A date of birth as a US front desk writes it (MM/DD/YYYY, also with dashes) or as YYYY-MM-DD."""
    text = text.strip()
    if not text:
        return None, None
    for form in ("%m/%d/%Y", "%m-%d-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, form).date(), None
        except ValueError:
            continue
    return None, f"Date of birth: '{text}' is not a date; use MM/DD/YYYY (e.g. 02/03/1980) or YYYY-MM-DD."


def date_range(since: str, until: str) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """The From and To fields (queue search, export): each a date or empty, From not after To."""
    since_date, since_problem = parse_date(since, "From")
    until_date, until_problem = parse_date(until, "To")
    problems = [p for p in (since_problem, until_problem) if p]
    if since_date and until_date and since_date > until_date:
        problems.append("From is after To: swap the two dates.")
    return since_date, until_date, problems


def query_from_form(name: str, dob: str, since: str, until: str) -> tuple[QueueQuery, list[str]]:
    """The search the staff typed, with a message per field that is not a date."""
    dob_date, problem = parse_birth_date(dob)
    since_date, until_date, problems = date_range(since, until)
    problems = ([problem] if problem else []) + problems
    query = QueueQuery(name=" ".join(name.split()), dob=dob_date.isoformat() if dob_date else "",
                       since=since_date, until=until_date)
    return query, problems


def settings_changes(current: Settings, form: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The settings that differ from `current`, and what is wrong with the form (nothing saved then).

    The checks are the settings' own declarations (kiosk/settings.py); only the logo needs a file read.
    """
    changes = {key: BY_NAME[key].coerce(value) for key, value in form.items() if key in BY_NAME}
    changes = {key: value for key, value in changes.items() if getattr(current, key) != value}
    problems = replace(current, **changes).problems()
    logo = changes.get("clinic_logo", "")
    if logo:
        from kiosk.report.logo import load_logo

        if load_logo(logo) is None:
            problems.append(f"Clinic logo: {logo} is not a readable PNG or JPEG image of at most 2 MB.")
    return changes, problems
