"""The folder-level part of the content model: the manifest (identity questions, visit types) and UI strings.

Kept apart from the page and instrument models in `model.py`; the same rules apply (frozen dataclasses that
pydantic validates when the YAML is read, unknown keys refused).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Annotated

from kiosk.content.model import Identifier, Rule, Strict, Text


@dataclass(frozen=True, kw_only=True)
class Identity(Strict):
    """Which questions hold the patient's identity, used for the PDF header and staff search."""

    name: Identifier
    dob: Identifier
    sex: Identifier | None = None
    preference: Identifier | None = None


# A visit type's id (`intake`, `follow-up`): it appears in commands and stored submissions.
VisitId = Annotated[str, Rule(pattern=r"^[a-z][a-z0-9-]*$", max_length=32)]
INTAKE = "intake"
INTAKE_URL = "urn:naltrexone-kiosk:questionnaire:intake"


@dataclass(frozen=True, kw_only=True)
class Visit(Strict):
    """One more questionnaire (visit type) in the same folder, sharing the languages, identity and UI strings."""

    id: VisitId
    title: Text
    url: str
    version: str
    files: Annotated[list[str], Rule(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class Manifest(Strict):
    """The folder's table of contents. Its own `files`, `version` and `url` are the intake questionnaire;
    `visits` lists the other visit types, each a questionnaire of its own."""

    version: str
    languages: Annotated[list[Annotated[str, Rule(pattern=r"^[a-z]{2}$")]], Rule(min_length=1)]
    language_names: dict[str, str]
    identity: Identity
    files: Annotated[list[str], Rule(min_length=1)]
    ui: str = "ui.yaml"
    url: str = INTAKE_URL
    title: Text | None = None
    visits: list[Visit] = field(default_factory=list)

    def visit_ids(self) -> list[str]:
        return [INTAKE, *(visit.id for visit in self.visits)]

    def for_visit(self, visit_id: str) -> "Manifest | None":
        """This manifest narrowed to one visit type (its files, version and url), or None when there is no such visit."""
        if visit_id == INTAKE:
            return self
        visit = next((v for v in self.visits if v.id == visit_id), None)
        if visit is None:
            return None
        return dataclasses.replace(self, files=list(visit.files), version=visit.version, url=visit.url,
                                   title=visit.title)


@dataclass(frozen=True, kw_only=True)
class UiStrings(Strict):
    strings: dict[Identifier, Text]
