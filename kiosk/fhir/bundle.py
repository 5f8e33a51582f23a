"""Submissions as one FHIR R4 Bundle: per submission a Patient, the QuestionnaireResponse, a LOINC-coded
Observation per instrument score, each derived from the response, and a Flag per clinician flag.

The scores and flags are the ones stored with the submission (made by the one
scorer when it was submitted); nothing is re-scored here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from kiosk.rules.assessment import Score
from kiosk.content import Content
from kiosk.fhir import codes
from kiosk.fhir.flags import flag_resource
from kiosk.fhir.response import to_response
from kiosk.fhir.subject import patient_link
from kiosk.system.clock import utc_now
from kiosk.storage.submissions import Submission

NAMESPACE = uuid.UUID("0b7f4d2e-8c1a-4e55-b7a9-51c3e0f2d6a4")

Json = dict[str, Any]


def bundle_for(submissions: Iterable[Submission], content: Content, timestamp: dt.datetime | None = None) -> Json:
    """A `collection` Bundle holding every given submission (one, or all in a date range)."""
    entries: list[Json] = []
    for submission in submissions:
        entries.extend(_entries(content.for_visit(submission.visit), submission))
    moment = timestamp or utc_now()
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(moment),
        "entry": entries,
    }


def _entries(content: Content, submission: Submission) -> list[Json]:
    patient_url = _urn(submission.id, "patient")
    response_url = _urn(submission.id, "response")
    subject = {"reference": patient_url}
    entries = [{"fullUrl": patient_url, "resource": _patient(content, submission)}]
    response = to_response(content, submission, subject=subject)
    response.pop("id", None)  # the fullUrl names it inside the bundle
    entries.append({"fullUrl": response_url, "resource": response})
    effective = _instant(submission.submitted_at or submission.started_at)
    for score in submission.assessment.scores.values():
        entries.append({
            "fullUrl": _urn(submission.id, f"score:{score.instrument}"),
            "resource": _observation(score, subject, response_url, effective),
        })
    for flag in submission.assessment.flags:
        entries.append({
            "fullUrl": _urn(submission.id, f"flag:{flag.id}"),
            "resource": flag_resource(flag, subject, response_url, effective),
        })
    return entries


def _patient(content: Content, submission: Submission) -> Json:
    identity = content.manifest.identity
    patient: Json = {"resourceType": "Patient", **patient_link(submission.subject)}
    name = submission.answers.get(identity.name)
    if isinstance(name, str) and name.strip():
        patient["name"] = [{"text": name.strip()}]
    birth = submission.answers.get(identity.dob)
    if isinstance(birth, str) and birth:
        patient["birthDate"] = birth
    return patient


def _observation(score: Score, subject: Json, response_url: str, effective: str) -> Json:
    code: Json = {"text": f"{score.name} total score"}
    if score.loinc_total:
        code["coding"] = [{"system": codes.LOINC, "code": score.loinc_total, "display": f"{score.name} total score"}]
    observation: Json = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": code,
        "subject": subject,
        "effectiveDateTime": effective,
        "valueInteger": score.total,
        "derivedFrom": [{"reference": response_url}],
    }
    words = [score.band] if score.band else []
    if score.cutoff is not None:
        words.append(f"{'positive' if score.positive else 'negative'} screen (cut-off {score.cutoff})")
    if not score.complete:
        words.append(f"{score.items_answered} of {score.items_total} items answered")
    if words:
        observation["interpretation"] = [{"text": "; ".join(words)}]
    return observation


def _urn(submission_id: str, part: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{submission_id}:{part}')}"


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
