"""FHIR Bundle export: per submission a Patient, the QuestionnaireResponse and a LOINC-coded Observation per score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from fhir_fixtures import finished, full_answers, load_scale_content
from kiosk.content import Content
from kiosk.fhir import codes
from kiosk.fhir.bundle import bundle_for
from kiosk.fhir.response import parse_response


@pytest.fixture(scope="module")
def scale_content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_scale_content(tmp_path_factory.mktemp("fhir"))


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_of_two_submissions_validates_and_links_everything(scale_content: Content) -> None:
    name_id, dob_id = scale_content.manifest.identity.name, scale_content.manifest.identity.dob
    high = finished(scale_content, full_answers(scale_content, fhir_scale_a="often", fhir_scale_b="often",
                                                **{name_id: "Rosa Díaz", dob_id: "1979-02-03"}), "1" * 32)
    low = finished(scale_content, full_answers(scale_content, fhir_scale_a="never"), "2" * 32)
    bundle = bundle_for([high, low], scale_content, timestamp=dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.timezone.utc))
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert len(of_type(bundle, "Patient")) == 2 and len(of_type(bundle, "QuestionnaireResponse")) == 2
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)

    patient = of_type(bundle, "Patient")[0]
    assert patient["resource"]["name"] == [{"text": "Rosa Díaz"}]
    assert patient["resource"]["birthDate"] == "1979-02-03"
    response = of_type(bundle, "QuestionnaireResponse")[0]
    assert response["resource"]["subject"] == {"reference": patient["fullUrl"]}
    assert parse_response(scale_content, response["resource"]).answers == high.answers

    observations = [e for e in of_type(bundle, "Observation") if e["resource"]["subject"]["reference"] == patient["fullUrl"]]
    assert len(observations) == len(high.assessment.scores)
    scale = next(o["resource"] for o in observations if o["resource"]["code"]["coding"][0]["code"] == "90002-9")
    assert scale["code"]["coding"][0]["system"] == codes.LOINC
    assert scale["valueInteger"] == high.assessment.scores["fhir_scale"].total == 5
    assert scale["interpretation"][0]["text"] == "raised; positive screen (cut-off 3)"
    assert scale["derivedFrom"] == [{"reference": response["fullUrl"]}]
    assert scale["status"] == "final"


def test_each_stored_score_becomes_one_observation_with_its_total_loinc(scale_content: Content) -> None:
    submission = finished(scale_content, full_answers(scale_content, fhir_scale_a="sometimes", fhir_scale_b="never"))
    bundle = bundle_for([submission], scale_content)
    Bundle.model_validate(bundle)
    observations = [e["resource"] for e in of_type(bundle, "Observation")]
    expected = {s.loinc_total: s.total for s in submission.assessment.scores.values()}
    found = {o["code"].get("coding", [{}])[0].get("code"): o["valueInteger"] for o in observations}
    assert found == expected
    assert found["90002-9"] == 1


def test_an_empty_list_gives_an_empty_valid_bundle(scale_content: Content) -> None:
    bundle = bundle_for([], scale_content)
    Bundle.model_validate(bundle)
    assert bundle["entry"] == []


def test_each_stored_flag_is_an_active_fhir_flag_about_the_patient(scale_content: Content) -> None:
    from fhir_fixtures import FLAG_TEXT

    submission = finished(scale_content, full_answers(scale_content, fhir_scale_a="often", fhir_scale_b="often"))
    bundle = bundle_for([submission], scale_content)
    Bundle.model_validate(bundle)
    flags = [e["resource"] for e in of_type(bundle, "Flag")]
    assert len(flags) == len(submission.assessment.flags) >= 1
    patient_url = of_type(bundle, "Patient")[0]["fullUrl"]
    response_url = of_type(bundle, "QuestionnaireResponse")[0]["fullUrl"]
    high = next(f for f in flags if f["code"]["text"] == FLAG_TEXT)
    assert high["status"] == "active"
    assert high["subject"] == {"reference": patient_url}
    assert high["code"]["coding"] == [{"system": codes.FLAG_RULE_SYSTEM, "code": "fhir_scale_high"}]
    priority = next(x for x in high["extension"] if x["url"] == "http://hl7.org/fhir/StructureDefinition/flag-priority")
    assert priority["valueCodeableConcept"]["coding"][0] == {
        "system": "http://hl7.org/fhir/flag-priority-code", "code": "PH", "display": "High priority"}
    assert priority["valueCodeableConcept"]["text"] == "URGENT"
    detail = next(x for x in high["extension"] if x["url"] == "http://hl7.org/fhir/StructureDefinition/flag-detail")
    assert detail["valueReference"] == {"reference": response_url}


def test_every_tier_maps_to_a_flag_priority_code_and_keeps_its_own_name(scale_content: Content) -> None:
    from dataclasses import replace

    from kiosk.rules.assessment import Flag

    submission = finished(scale_content, full_answers(scale_content, fhir_scale_a="never"))
    tiers = {"urgent": "PH", "stop": "PH", "review": "PM", "info": "PL"}
    stored = tuple(Flag(f"rule_{tier}", tier, f"A {tier} flag & its <text>") for tier in tiers)
    submission = replace(submission, assessment=replace(submission.assessment, flags=stored))
    bundle = bundle_for([submission], scale_content)
    Bundle.model_validate(bundle)
    found = {}
    for flag in (e["resource"] for e in of_type(bundle, "Flag")):
        concept = flag["extension"][0]["valueCodeableConcept"]
        tier = next(c["code"] for c in concept["coding"] if c["system"] == codes.FLAG_TIER_SYSTEM)
        found[tier] = (concept["coding"][0]["code"], concept["text"], flag["code"]["text"])
    assert found == {tier: (code, tier.upper(), f"A {tier} flag & its <text>") for tier, code in tiers.items()}


def test_the_high_risk_patient_s_bundle_validates_and_holds_its_stop_and_urgent_flags(content: Content) -> None:
    from high_risk import high_risk_answers
    from report_samples import GOLDEN_TIME

    submission = finished(content, high_risk_answers(content), when=GOLDEN_TIME)
    bundle = bundle_for([submission], content)
    Bundle.model_validate(bundle)
    flags = [e["resource"] for e in of_type(bundle, "Flag")]
    assert [f["code"]["text"] for f in flags] == [f.text for f in submission.assessment.flags]
    tiers = [f["extension"][0]["valueCodeableConcept"]["text"] for f in flags]
    assert "STOP" in tiers and "URGENT" in tiers
    for flag in flags:
        concept = flag["extension"][0]["valueCodeableConcept"]
        if concept["text"] in ("STOP", "URGENT"):
            assert concept["coding"][0]["code"] == "PH"
