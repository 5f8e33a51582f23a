"""The clinician flags as FHIR R4 `Flag` resources, so an EHR sees urgent and stop items without re-deriving them.

Each stored flag becomes one active Flag about the bundle's Patient: `code.text`
is the flag's text (with the content rule that raised it as a coding), the
`flag-priority` extension carries its tier, and `flag-detail` points at the
QuestionnaireResponse whose answers raised it. Nothing is re-assessed here.

Tier -> flag-priority code (http://hl7.org/fhir/flag-priority-code), the kiosk's
tier kept beside it as a second coding so URGENT and STOP stay apart:

    urgent -> PH High priority   (staff alerted at once: e.g. thoughts of self-harm)
    stop   -> PH High priority   (a contraindication to naltrexone today)
    review -> PM Medium priority (the clinician looks at it before deciding)
    info   -> PL Low priority    (for information, e.g. offer naloxone)
"""

from __future__ import annotations

from typing import Any

from kiosk.rules.assessment import Flag
from kiosk.fhir import codes

Json = dict[str, Any]

PRIORITY: dict[str, tuple[str, str]] = {
    "urgent": ("PH", "High priority"),
    "stop": ("PH", "High priority"),
    "review": ("PM", "Medium priority"),
    "info": ("PL", "Low priority"),
}
UNKNOWN_TIER = ("PM", "Medium priority")  # a tier this code does not know yet still reaches the clinician


def flag_resource(flag: Flag, subject: Json, response_url: str, start: str) -> Json:
    """One stored flag as an active FHIR Flag about `subject`, raised at `start` (a FHIR dateTime)."""
    code, display = PRIORITY.get(flag.severity, UNKNOWN_TIER)
    tier = flag.severity.upper()
    return {
        "resourceType": "Flag",
        "extension": [
            {"url": codes.FLAG_PRIORITY, "valueCodeableConcept": {
                "coding": [{"system": codes.FLAG_PRIORITY_SYSTEM, "code": code, "display": display},
                           {"system": codes.FLAG_TIER_SYSTEM, "code": flag.severity, "display": tier}],
                "text": tier,
            }},
            {"url": codes.FLAG_DETAIL, "valueReference": {"reference": response_url}},
        ],
        "status": "active",
        "code": {"coding": [{"system": codes.FLAG_RULE_SYSTEM, "code": flag.id}], "text": flag.text},
        "subject": subject,
        "period": {"start": start},
    }
