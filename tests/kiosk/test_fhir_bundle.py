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
