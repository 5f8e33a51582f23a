"""A loaded content folder with the look-ups the flow, scoring and report need."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kiosk.content.manifest import INTAKE, Manifest, UiStrings
from kiosk.content.model import ContentFile, Derived, FlagRule, Instrument, Page, Question, QuestionPage, Text


@dataclass(frozen=True)
class Content:
    manifest: Manifest
    ui: UiStrings
    files: dict[str, ContentFile]
    folder: Path = field(default=Path("."))
    # Which visit type's questionnaire this is (`intake`, `follow-up`).
    visit: str = INTAKE
    # Figures the layers above derive from the content alone (the welcome screen's promised minutes): worked
    # out once, and kept in the compiled copy so a daily start does not work them out again.
    figures: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def url(self) -> str:
        """The FHIR Questionnaire url of this visit type."""
        return self.manifest.url

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def languages(self) -> list[str]:
        return list(self.manifest.languages)

    @cached_property
    def pages(self) -> list[Page]:
        return [page for name in self.manifest.files if name in self.files for page in self.files[name].pages]

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for page in self.pages if isinstance(page, QuestionPage) for q in page.questions}

    @cached_property
    def page_of(self) -> dict[str, QuestionPage]:
        """The page that asks each question."""
        return {q.id: page for page in self.pages if isinstance(page, QuestionPage) for q in page.questions}

    @cached_property
    def instruments(self) -> dict[str, Instrument]:
        return {i.id: i for f in self.files.values() for i in f.instruments}

    @cached_property
    def derived(self) -> dict[str, Derived]:
        return {d.id: d for f in self.files.values() for d in f.derived}

    @cached_property
    def flags(self) -> list[FlagRule]:
        return [rule for name in self.manifest.files if name in self.files for rule in self.files[name].flags]

    @cached_property
    def _siblings(self) -> dict[str, "Content"]:
        return {}

    def for_visit(self, visit: str) -> "Content":
        """The questionnaire of visit type `visit` from the same folder (this one when it is that visit), so a
        stored submission is read with the questions it answered. Falls back to this one if that visit type is
        gone or broken, so staff still see what can be shown."""
        if visit == self.visit:
            return self
        known = self._siblings
        if visit not in known:
            from kiosk.content.errors import ContentInvalid
            from kiosk.content.loader import load_content

            try:
                known[visit] = load_content(self.folder, visit=visit)
            except ContentInvalid:
                logging.getLogger(__name__).warning("visit type %r cannot be loaded; using %r", visit, self.visit)
                known[visit] = self
        return known[visit]

    def text(self, key: str, language: str) -> str:
        """A UI string in `language`; the loader has checked that every key the UI uses exists."""
        entry: Text | None = self.ui.strings.get(key)
        return entry.get(language) if entry is not None else key

    def instrument_of(self, question_id: str) -> Instrument | None:
        return next((i for i in self.instruments.values() if question_id in i.items), None)
