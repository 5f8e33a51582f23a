"""What a QuestionnaireResponse says about its patient: `subject` (a Reference) and, when that points at a
contained Patient, that Patient's identifiers. Read here, kept with the submission, and written back onto the
export Bundle's Patient, so the receiving system can match the kiosk's record to its own patient.

Only the plain, well-defined parts are kept (reference, display, and each
identifier's use, system, value and type); every string is checked so a bad
one is refused with its JSON path instead of breaking storage or the export.
"""

from __future__ import annotations

from typing import Any

from kiosk.storage.submissions import ClientSubject

IDENTIFIER_USES = ("usual", "official", "temp", "secondary", "old")
MAX_IDENTIFIERS = 20
MAX_TEXT = 500

Json = dict[str, Any]


class SubjectInvalid(ValueError):
    def __init__(self, message: str, path: str) -> None:
        self.path = path
        super().__init__(message)


def read_subject(data: Json) -> ClientSubject | None:
    """The response's patient as the sender named it, or None when it names none."""
    raw = data.get("subject")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise SubjectInvalid("subject must be a Reference (a JSON object)", "$.subject")
    reference = _text(raw.get("reference"), "$.subject.reference")
    display = _text(raw.get("display"), "$.subject.display")
    identifiers: list[Json] = []
    if raw.get("identifier") is not None:
        identifiers.append(_identifier(raw["identifier"], "$.subject.identifier"))
    if reference is not None and reference.startswith("#"):
        identifiers += _contained_identifiers(data, reference[1:])
        reference = None  # a pointer into this file means nothing once the file is gone
    if reference is None and display is None and not identifiers:
        return None
    unique = [i for n, i in enumerate(identifiers) if i not in identifiers[:n]]
    if len(unique) > MAX_IDENTIFIERS:
        raise SubjectInvalid(f"{len(unique)} patient identifiers; at most {MAX_IDENTIFIERS} are kept", "$.subject")
    return ClientSubject(reference=reference, display=display, identifiers=tuple(unique))


def patient_link(subject: ClientSubject | None) -> Json:
    """The parts of a FHIR Patient that carry the sender's patient: identifiers and a `seealso` link."""
    if subject is None:
        return {}
    found: Json = {}
    if subject.identifiers:
        found["identifier"] = [dict(i) for i in subject.identifiers]
    if subject.reference:
        other = {"reference": subject.reference, **({"display": subject.display} if subject.display else {})}
        found["link"] = [{"other": other, "type": "seealso"}]
    return found


def _contained_identifiers(data: Json, local_id: str) -> list[Json]:
    contained = data.get("contained")
    if not isinstance(contained, list):
        raise SubjectInvalid(f"subject points at #{local_id} but the response contains no resources", "$.subject.reference")
    for index, resource in enumerate(contained):
        if isinstance(resource, dict) and resource.get("id") == local_id:
            if resource.get("resourceType") != "Patient":
                raise SubjectInvalid(f"subject points at a {resource.get('resourceType')!r}, not a Patient",
                                     f"$.contained[{index}]")
            raw = resource.get("identifier") or []
            if not isinstance(raw, list):
                raise SubjectInvalid("identifier must be a list", f"$.contained[{index}].identifier")
            return [_identifier(i, f"$.contained[{index}].identifier[{n}]") for n, i in enumerate(raw)]
    raise SubjectInvalid(f"subject points at #{local_id}, which is not among the contained resources",
                         "$.subject.reference")


def _identifier(raw: Any, path: str) -> Json:
    if not isinstance(raw, dict):
        raise SubjectInvalid("an identifier must be a JSON object", path)
    value = _text(raw.get("value"), f"{path}.value")
    if value is None:
        raise SubjectInvalid("an identifier needs a value", f"{path}.value")
    found: Json = {}
    use = raw.get("use")
    if use is not None:
        if use not in IDENTIFIER_USES:
            raise SubjectInvalid(f"identifier use {use!r} is not one of {', '.join(IDENTIFIER_USES)}", f"{path}.use")
        found["use"] = use
    kind = _concept(raw.get("type"), f"{path}.type")
    if kind:
        found["type"] = kind
    system = _text(raw.get("system"), f"{path}.system")
    if system is not None:
        found["system"] = system
    found["value"] = value
    return found


def _concept(raw: Any, path: str) -> Json:
    """An identifier's type (a CodeableConcept), keeping its codings' system/code/display and its text."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SubjectInvalid("type must be a CodeableConcept (a JSON object)", path)
    codings = raw.get("coding") or []
    if not isinstance(codings, list):
        raise SubjectInvalid("coding must be a list", f"{path}.coding")
    kept = []
    for n, coding in enumerate(codings):
        if not isinstance(coding, dict):
            raise SubjectInvalid("a coding must be a JSON object", f"{path}.coding[{n}]")
        parts = {key: _text(coding.get(key), f"{path}.coding[{n}].{key}") for key in ("system", "code", "display")}
        if any(parts.values()):
            kept.append({key: value for key, value in parts.items() if value is not None})
    text = _text(raw.get("text"), f"{path}.text")
    return {**({"coding": kept} if kept else {}), **({"text": text} if text else {})}


def _text(value: Any, path: str) -> str | None:
    """A non-empty string of sensible length with no unpaired surrogate, or None when absent."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SubjectInvalid(f"must be non-empty text, found {value!r}", path)
    if len(value) > MAX_TEXT:
        raise SubjectInvalid(f"is {len(value)} characters long; at most {MAX_TEXT} are accepted", path)
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise SubjectInvalid("holds an unpaired surrogate (\\ud800-\\udfff), not text", path)
    return value
