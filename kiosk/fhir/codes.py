"""Fixed FHIR names: systems, extension URLs and how the kiosk spells its linkIds.

Content identifiers are `[a-z][a-z0-9_]*`, so every linkId the kiosk makes up
for itself contains a dot and can never collide with a question id (a
question's linkId is its id).
"""

from __future__ import annotations

from kiosk.content import Content

LOINC = "http://loinc.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
CALCULATED_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"
FLAG_PRIORITY_SYSTEM = "http://hl7.org/fhir/flag-priority-code"
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"

# The kiosk's own code systems: which content rule raised a flag, and its tier in the kiosk's words.
FLAG_RULE_SYSTEM = "urn:naltrexone-kiosk:codesystem:flag-rule"
FLAG_TIER_SYSTEM = "urn:naltrexone-kiosk:codesystem:flag-tier"
ANSWER_SYSTEM = "urn:naltrexone-kiosk:codesystem:answers"

QUESTIONNAIRE_URL = "urn:naltrexone-kiosk:questionnaire:intake"
QUESTIONNAIRE_ID = "naltrexone-kiosk-intake"


def canonical(content: Content) -> str:
    """`url|version`: what a QuestionnaireResponse's `questionnaire` names."""
    return f"{content.url}|{content.version}"


def questionnaire_id(content: Content) -> str:
    """The Questionnaire resource id: the intake keeps the id it always had, other visit types add theirs."""
    return f"naltrexone-kiosk-{content.visit}"


def answer_system(question_id: str) -> str:
    """The kiosk's own code system for one question's answer codes (used where LOINC has no LA code).

    One per question, because option codes are unique only within their question.
    """
    return f"{ANSWER_SYSTEM}:{question_id}"


def page_link(page_id: str) -> str:
    return f"page.{page_id}"


def page_text_link(page_id: str, part: str) -> str:
    return f"page.{page_id}.{part}"


def help_link(question_id: str) -> str:
    return f"{question_id}.help"


def instrument_link(instrument_id: str, run: int = 1) -> str:
    """An instrument's group; a second run of its items on another page gets `.2`, and so on."""
    return f"instrument.{instrument_id}" if run == 1 else f"instrument.{instrument_id}.{run}"


def total_link(instrument_id: str) -> str:
    return f"instrument.{instrument_id}.total"


def signature_link(page_id: str) -> str:
    """The consent page's drawn signature (an attachment item)."""
    return f"page.{page_id}.signature"
