"""Which visit type's questionnaire a QuestionnaireResponse answers: the one whose url it names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.content import Content
from kiosk.content.manifest import INTAKE
from kiosk.fhir.response import ResponseInvalid


def content_answered(visits: Mapping[str, Content], data: Any) -> Content:
    """The visit type a response answers, found by its `questionnaire` url; a response naming none is an intake."""
    first = next(iter(visits.values()))
    questionnaire = data.get("questionnaire") if isinstance(data, dict) else None
    if questionnaire is None:
        return visits.get(INTAKE, first)
    url = str(questionnaire).split("|")[0]
    found = next((content for content in visits.values() if content.url == url), None)
    if found is None:
        known = ", ".join(content.url for content in visits.values())
        raise ResponseInvalid(f"answers a different questionnaire ({questionnaire!r}); expected one of {known}",
                              "$.questionnaire")
    return found
