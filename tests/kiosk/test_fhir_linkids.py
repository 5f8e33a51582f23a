"""linkIds of shipped questions are a public interface: clients store and send them. Any shipped linkId that
disappears from the Questionnaire (a rename or a removal) needs a new Questionnaire version."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kiosk.content import Content
from kiosk.fhir.questionnaire import build_questionnaire

# The Questionnaire version these linkIds shipped in, and the linkIds clients may hold.
SHIPPED_VERSION = "2026.11-2"
SHIPPED_LINK_IDS = frozenset({
    "consent", "patient_name", "date_of_birth", "sex_at_birth",
    "allergy_injection", "allergy_naltrexone", "bleeding_risk", "breastfeeding", "education_before",
    "form_preference", "jaundice", "kidney_disease", "last_opioid_date", "last_opioid_kind", "last_opioid_when",
    "liver_disease", "maintenance_now", "opioid_ever", "opioid_pain_rx", "other_concerns", "past_naltrexone",
    "past_naltrexone_months", "past_naltrexone_outcome", "pregnancy_planned", "pregnant", "surgery_expected",
    "withdrawal_now", "tb_emergency", "tb_opioid_free", "tb_overdose",
    "audit_c_1", "audit_c_2", "audit_c_3", "instrument.audit_c.total",
    *(f"phq9_{n}" for n in range(1, 10)), "instrument.phq9.total",
    "taps_alcohol_men", "taps_alcohol_women", "taps_drugs", "taps_rx", "taps_tobacco",
})


def link_ids(items: list[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        yield item["linkId"]
        yield from link_ids(item.get("item", []))


def test_shipped_link_ids_stay_unless_the_questionnaire_version_changes(content: Content) -> None:
    questionnaire = build_questionnaire(content)
    missing = SHIPPED_LINK_IDS - set(link_ids(questionnaire["item"]))
    assert not missing or questionnaire["version"] != SHIPPED_VERSION, (
        f"linkIds {sorted(missing)} were shipped in Questionnaire version {SHIPPED_VERSION}: keep them, or give "
        "the content a new version (manifest.yaml) so clients know the form changed")
