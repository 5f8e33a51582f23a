"""Submissions as one FHIR R4 Bundle: one Patient per person, and per visit the QuestionnaireResponse, a
LOINC-coded Observation per instrument score (dated at that visit, derived from its response) and a Flag per
clinician flag, all with the person's Patient as subject.

Which visits are one person's is the caller's to say (`people`: visit id -> person key; the export takes it
from staff links and the matching rule); a visit it does not name is a person of its own.

The scores and flags are the ones stored with the submission (made by the one
scorer when it was submitted); nothing is re-scored here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
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


def bundle_for(submissions: Iterable[Submission], content: Content, timestamp: dt.datetime | None = None,
               people: Mapping[str, str] | None = None) -> Json:
    """A `collection` Bundle holding every given submission (one, or all in a date range); the visits `people`
    gives the same key share one Patient, written before that person's first visit."""
    visits = list(submissions)
    key_of = {s.id: (people or {}).get(s.id) or s.id for s in visits}
    persons: dict[str, list[Submission]] = {}
    for submission in visits:
        persons.setdefault(key_of[submission.id], []).append(submission)
    entries: list[Json] = []
    written: set[str] = set()
    for submission in visits:
        key = key_of[submission.id]
        patient_url = _urn(key, "patient")
        if key not in written:
            written.add(key)
            entries.append({"fullUrl": patient_url, "resource": _patient(content, persons[key])})
        entries.extend(_entries(content.for_visit(submission.visit), submission, patient_url))
    moment = timestamp or utc_now()
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(moment),
        "entry": entries,
    }


def _entries(content: Content, submission: Submission, patient_url: str) -> list[Json]:
    response_url = _urn(submission.id, "response")
    subject = {"reference": patient_url}
    response = to_response(content, submission, subject=subject)
    response.pop("id", None)  # the fullUrl names it inside the bundle
    entries = [{"fullUrl": response_url, "resource": response}]
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


def _patient(content: Content, visits: list[Submission]) -> Json:
    """One person's Patient: name and birth date as given at the latest visit that gave them, and every
    identifier and link the visits' senders gave (each once)."""
    identity = content.manifest.identity
    patient: Json = {"resourceType": "Patient"}
    for part in ("identifier", "link"):
        found: list[Json] = []
        for submission in visits:
            found += [item for item in patient_link(submission.subject).get(part, []) if item not in found]
        if found:
            patient[part] = found
    latest = sorted(visits, key=lambda s: s.submitted_at or s.started_at, reverse=True)
    name = next((n.strip() for s in latest if isinstance(n := s.answers.get(identity.name), str) and n.strip()), None)
    if name:
        patient["name"] = [{"text": name}]
    birth = next((b for s in latest if isinstance(b := s.answers.get(identity.dob), str) and b), None)
    if birth:
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
