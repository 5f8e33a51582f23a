"""Who may do what: every staff role and the actions it allows, declared here once.

The command line, the staff console and the sealed data layer all ask
`require(role, action)` (or `allowed`), so a right cannot be granted in one
place and forgotten in another. The console hides what a role may not do, and
the core refuses it anyway.
"""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    FRONT_DESK = "front_desk"
    CLINICIAN = "clinician"
    ADMINISTRATOR = "administrator"

    @property
    def title(self) -> str:
        return ROLE_TITLES[self]


class Action(str, Enum):
    FIND = "find"
    PREVIEW = "preview"
    PRINT = "print"
    NOTE = "note"
    REVIEW = "review"
    DOSE = "dose"  # record the shot given (side, lot) or pills prescribed at a visit
    PEOPLE = "people"
    SETTINGS = "settings"
    ACCOUNTS = "accounts"
    EXPORT = "export"
    PURGE = "purge"
    BACKUP = "backup"
    AUDIT = "audit"
    DEMO_DATA = "demo_data"


ROLE_TITLES = {Role.FRONT_DESK: "front desk", Role.CLINICIAN: "clinician", Role.ADMINISTRATOR: "administrator"}

_FRONT_DESK = frozenset({Action.FIND, Action.PREVIEW, Action.PRINT, Action.NOTE})
# Linking visits to a person decides whose numbers a prescriber reads as this patient's trend, so it is a
# clinician's call; the front desk sees the suggested match and the timeline.
_CLINICIAN = _FRONT_DESK | {Action.REVIEW, Action.PEOPLE, Action.DOSE}
RIGHTS: dict[Role, frozenset[Action]] = {
    Role.FRONT_DESK: _FRONT_DESK,
    Role.CLINICIAN: _CLINICIAN,
    Role.ADMINISTRATOR: frozenset(Action),
}

_DOING = {Action.FIND: "Finding submissions", Action.PREVIEW: "Opening a submission", Action.PRINT: "Printing",
          Action.NOTE: "Writing staff notes", Action.REVIEW: "Marking a submission reviewed",
          Action.DOSE: "Recording a shot given or pills prescribed",
          Action.PEOPLE: "Confirming, merging or splitting people",
          Action.SETTINGS: "Changing settings", Action.ACCOUNTS: "Changing staff accounts",
          Action.EXPORT: "Exporting", Action.PURGE: "Purging", Action.BACKUP: "Making a backup",
          Action.AUDIT: "Reading the audit log", Action.DEMO_DATA: "Adding training data"}


class NotAllowed(PermissionError):
    """The role may not do this; the message names what is needed ("needs an administrator")."""


def role_of(value: str | Role) -> Role:
    """A role from its stored name (or its title as staff type it: 'front desk', 'Administrator')."""
    if isinstance(value, Role):
        return value
    text = str(value).strip().casefold().replace(" ", "_").replace("-", "_")
    aliases = {"admin": Role.ADMINISTRATOR, "frontdesk": Role.FRONT_DESK, "staff": Role.FRONT_DESK}
    try:
        return aliases.get(text) or Role(text)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValueError(f"{value!r} is not a staff role (one of: {names})") from None


def allowed(role: str | Role, action: Action) -> bool:
    return action in RIGHTS[role_of(role)]


def needed_for(action: Action) -> str:
    """The least role that may do `action`, as staff read it: 'a clinician', 'an administrator'."""
    for role in Role:
        if action in RIGHTS[role]:
            title = role.title
            return f"{'an' if title[0] in 'aeiou' else 'a'} {title}"
    raise ValueError(action)


def require(role: str | Role, action: Action) -> None:
    """Raise NotAllowed unless `role` may do `action`."""
    if not allowed(role, action):
        raise NotAllowed(f"{_DOING[action]} needs {needed_for(action)} (this account's role: {role_of(role).title}).")
