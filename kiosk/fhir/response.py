"""QuestionnaireResponse <-> the kiosk's answers dict, with every refusal naming the item and its JSON path.

An imported response is only read here: it becomes a `Submission` and goes
through `kiosk.patient.pipeline` like the wizard's answers, so nothing here scores.
The answer shapes match what the wizard stores: choice -> option code,
multi -> list of codes, boolean, ISO date string, int, float, str.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import json
import re
import struct
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.content import Content
from kiosk.content.model import ConsentPage, Option, Question
from kiosk.fhir import codes
from kiosk.fhir.import_checks import declined_consent, exclusive_conflict, origin
from kiosk.fhir.questionnaire import build_questionnaire, option_coding
from kiosk.fhir.subject import SubjectInvalid, read_subject
from kiosk.rules.flow import check_answer
from kiosk.rules.answers import is_empty
from kiosk.system.clock import utc_now
from kiosk.storage.submissions import IMPORT_SOURCE, ClientSubject, Submission

VALUE_KEY = {
    "choice": "valueCoding", "multi": "valueCoding", "boolean": "valueBoolean", "date": "valueDate",
    "integer": "valueInteger", "decimal": "valueDecimal", "string": "valueString", "text": "valueString",
    "attachment": "valueAttachment",
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MAX_SIDE = 4096
EARLIEST_AUTHORED_YEAR = 1900
AUTHORED_CLOCK_SKEW = dt.timedelta(minutes=5)
ACCEPTED_STATUS = ("completed", "amended")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IMPORT_NAMESPACE = uuid.UUID("6f1c3f0e-3a52-4b8e-9a57-2f6a3d1c9b10")

Json = dict[str, Any]


class ResponseInvalid(ValueError):
    """A response the kiosk refuses; the message names the item (linkId) and where it is in the JSON."""

    def __init__(self, message: str, path: str = "$", link_id: str | None = None) -> None:
        self.path = path
        self.link_id = link_id
        where = f"item {link_id!r} at {path}" if link_id else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ParsedResponse:
    answers: dict[str, Any]
    language: str
    authored: dt.datetime
    identity: dict[str, Any]
    fingerprint: str
    signature_png: bytes | None = None
    subject: ClientSubject | None = None
    origin: str = ""

    def submission(self, content: Content, source: str = IMPORT_SOURCE) -> Submission:
        """A fresh submission whose id comes from the response itself, so importing a file twice stores it once."""
        return Submission(id=self.fingerprint, started_at=self.authored, content_version=content.version,
                          language=self.language, answers=dict(self.answers), signature_png=self.signature_png,
                          source=source, subject=self.subject, origin=self.origin, visit=content.visit)



def read_response(path: Path) -> Any:
    """The JSON in `path`; malformed JSON is refused with its line and column."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResponseInvalid(f"cannot read the file ({exc})", path=str(path)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResponseInvalid(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                              path=str(path)) from exc
    except RecursionError as exc:
        raise ResponseInvalid("the JSON is nested too deeply to be a QuestionnaireResponse", path=str(path)) from exc
    except ValueError as exc:  # e.g. an integer of thousands of digits (Python's int-size guard)
        raise ResponseInvalid(f"the JSON holds a value that cannot be read ({str(exc).splitlines()[0][:120]})",
                              path=str(path)) from exc


def parse_response(content: Content, data: Any, now: dt.datetime | None = None) -> ParsedResponse:
    """Check a QuestionnaireResponse against the content and return its answers; raise ResponseInvalid."""
    if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
        found = data.get("resourceType") if isinstance(data, dict) else type(data).__name__
        raise ResponseInvalid(f"not a FHIR QuestionnaireResponse (resourceType is {found!r})", "$.resourceType")
    if data.get("status") not in ACCEPTED_STATUS:
        raise ResponseInvalid(f"status {data.get('status')!r} cannot be imported; expected one of "
                              f"{', '.join(ACCEPTED_STATUS)}", "$.status")
    questionnaire = data.get("questionnaire")
    if questionnaire is not None and str(questionnaire).split("|")[0] != content.url:
        raise ResponseInvalid(f"answers a different questionnaire ({questionnaire!r}); expected "
                              f"{content.url}", "$.questionnaire")
    moment = now or utc_now()
    language = _language(content, data.get("language"))
    authored = _authored_in_range(_authored(data.get("authored"), moment), data.get("authored"), moment)
    try:
        subject = read_subject(data)
    except SubjectInvalid as invalid:
        raise ResponseInvalid(str(invalid), invalid.path) from invalid
    catalog = {item["linkId"]: item for item in _walk(_definition(content))}
    answers: dict[str, Any] = {}
    items = data.get("item", [])
    if not isinstance(items, list):
        raise ResponseInvalid("item must be a list", "$.item")
    for index, item in enumerate(items):
        _read_item(content, catalog, item, f"$.item[{index}]", answers, authored.date())
    declined = declined_consent(content, answers)
    if declined is not None:
        raise ResponseInvalid("consent is false: the patient did not consent, so the response is not stored",
                              "$.item", declined)
    signatures = [answers.pop(codes.signature_link(p.id)) for p in content.pages
                  if isinstance(p, ConsentPage) and codes.signature_link(p.id) in answers]
    identity = content.manifest.identity
    who = {"name": answers.get(identity.name), "birthDate": answers.get(identity.dob)}
    if identity.sex:
        who["sex"] = answers.get(identity.sex)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return ParsedResponse(answers=answers, language=language, authored=authored, identity=who,
                          fingerprint=uuid.uuid5(IMPORT_NAMESPACE, digest).hex,
                          signature_png=signatures[0] if signatures else None, subject=subject,
                          origin=origin(data))


def to_response(content: Content, submission: Submission, subject: Json | None = None) -> Json:
    """The submission as a QuestionnaireResponse mirroring the Questionnaire's groups; only answered items appear."""
    moment = submission.submitted_at or submission.started_at
    totals = {codes.total_link(k): s.total for k, s in submission.assessment.scores.items()}
    response: Json = {
        "resourceType": "QuestionnaireResponse",
        "id": submission.id,
        "questionnaire": f"{content.url}|{submission.content_version}",
        "status": "completed" if submission.submitted_at else "in-progress",
        "authored": moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
        "language": submission.language,
    }
    if subject is not None:
        response["subject"] = subject
    given = dict(submission.answers)
    if submission.signature_png:
        given.update({codes.signature_link(p.id): submission.signature_png for p in content.pages
                      if isinstance(p, ConsentPage) and p.signature})
    response["item"] = _answered(content, _definition(content), given, totals)
    return response


def _answered(content: Content, items: list[Json], answers: dict[str, Any], computed: dict[str, int]) -> list[Json]:
    out: list[Json] = []
    for item in items:
        link = item["linkId"]
        if item["type"] == "group":
            children = _answered(content, item.get("item", []), answers, computed)
            if children:
                out.append({"linkId": link, "text": item.get("text", ""), "item": children})
        elif item.get("readOnly") and link in computed:
            out.append({"linkId": link, "text": item.get("text", ""), "answer": [{"valueInteger": computed[link]}]})
        elif item["type"] != "display" and link in answers and not is_empty(answers[link]):
            question = content.questions.get(link)
            kind = question.type if question is not None else item["type"]
            values = answers[link] if kind == "multi" else [answers[link]]
            out.append({"linkId": link, "text": item.get("text", ""),
                        "answer": [_answer(question, kind, v) for v in values]})
    return out


def _answer(question: Question | None, kind: str, value: Any) -> Json:
    key = VALUE_KEY[kind]
    if key == "valueCoding":
        option = question.option(str(value)) if question is not None else None
        return {key: option_coding(question, option) if question is not None and option is not None
                else {"code": str(value)}}
    if key == "valueDecimal":
        return {key: float(value)}
    if key == "valueAttachment":
        return {key: {"contentType": "image/png", "data": base64.b64encode(value).decode("ascii")}}
    return {key: value}


def _read_item(content: Content, catalog: dict[str, Json], item: Any, path: str, answers: dict[str, Any],
               today: dt.date) -> None:
    if not isinstance(item, dict):
        raise ResponseInvalid("an item must be a JSON object", path)
    link = item.get("linkId")
    if not isinstance(link, str) or not link:
        raise ResponseInvalid("item has no linkId", f"{path}.linkId")
    definition = catalog.get(link)
    if definition is None:
        raise ResponseInvalid(f"unknown linkId: no such item in questionnaire {content.url} "
                              f"version {content.version}", path, link)
    raw_answers = item.get("answer", [])
    if not isinstance(raw_answers, list):
        raise ResponseInvalid("answer must be a list", f"{path}.answer", link)
    if definition["type"] in ("group", "display") and raw_answers:
        raise ResponseInvalid(f"a {definition['type']} item takes no answer", f"{path}.answer", link)
    children = item.get("item", [])
    if not isinstance(children, list):
        raise ResponseInvalid("item must be a list", f"{path}.item", link)
    for index, child in enumerate(children):
        _read_item(content, catalog, child, f"{path}.item[{index}]", answers, today)
    if definition["type"] in ("group", "display") or definition.get("readOnly") or not raw_answers:
        return  # totals and derived values are recomputed by the one scorer, never taken from outside
    if link in answers:
        raise ResponseInvalid("answered twice in this response", path, link)
    question = content.questions.get(link)
    kind = question.type if question is not None else definition["type"]
    if kind != "multi" and len(raw_answers) > 1:
        raise ResponseInvalid(f"{len(raw_answers)} answers given; this question takes one", f"{path}.answer", link)
    values = [_value(question, kind, raw, f"{path}.answer[{n}]", link) for n, raw in enumerate(raw_answers)]
    for n, raw in enumerate(raw_answers):
        nested = raw.get("item", [])
        if not isinstance(nested, list):
            raise ResponseInvalid("item must be a list", f"{path}.answer[{n}].item", link)
        for m, child in enumerate(nested):
            _read_item(content, catalog, child, f"{path}.answer[{n}].item[{m}]", answers, today)
    value: Any = values if kind == "multi" else values[0]
    conflict = exclusive_conflict(question, values) if kind == "multi" else None
    if conflict is not None:
        raise ResponseInvalid(f"contradictory answers: {conflict}", f"{path}.answer", link)
    if question is not None:
        problem = check_answer(question, value, today)
        if problem is not None:
            raise ResponseInvalid(f"not an acceptable answer ({problem.render(content, 'en')})", f"{path}.answer", link)
    answers[link] = value


def _value(question: Question | None, kind: str, raw: Any, path: str, link: str) -> Any:
    if not isinstance(raw, dict):
        raise ResponseInvalid("an answer must be a JSON object", path, link)
    expected = VALUE_KEY[kind]
    given = [key for key in raw if key.startswith("value")]
    if given != [expected]:
        found = ", ".join(given) or "no value"
        raise ResponseInvalid(f"wrong answer type: expected {expected} (a {kind} question), found {found}", path, link)
    value = raw[expected]
    where = f"{path}.{expected}"
    if expected == "valueCoding":
        code = value.get("code") if isinstance(value, dict) else None
        if not isinstance(code, str):
            raise ResponseInvalid("valueCoding needs a code", where, link)
        option = _option_for(question, code, value.get("system"))
        if option is None:
            allowed = ", ".join(option_coding(question, o)["code"] for o in question.options) if question else ""
            raise ResponseInvalid(f"unknown option code {code!r}; expected one of: {allowed}", where, link)
        return option.code
    if expected == "valueBoolean" and not isinstance(value, bool):
        raise ResponseInvalid("valueBoolean must be true or false", where, link)
    if expected == "valueInteger" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ResponseInvalid(f"valueInteger must be a whole number, found {value!r}", where, link)
    if expected == "valueDecimal":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ResponseInvalid(f"valueDecimal must be a number, found {value!r}", where, link)
        return float(value)
    if expected == "valueDate" and not (isinstance(value, str) and FULL_DATE.match(value)):
        raise ResponseInvalid(f"valueDate must be a full date YYYY-MM-DD, found {value!r}", where, link)
    if expected == "valueString":
        if not isinstance(value, str):
            raise ResponseInvalid(f"valueString must be text, found {value!r}", where, link)
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ResponseInvalid("valueString holds an unpaired surrogate (\\ud800-\\udfff), not text", where, link)
    if expected == "valueAttachment":
        return _png(value, where, link)
    return value


def _png(value: Any, where: str, link: str) -> bytes:
    """A drawn signature: a PNG of sensible size, given inline as base64 (never fetched from a URL)."""
    if not isinstance(value, dict) or value.get("contentType") != "image/png" or not isinstance(value.get("data"), str):
        raise ResponseInvalid("valueAttachment must be an inline PNG: contentType image/png and base64 data", where, link)
    try:
        png = base64.b64decode(value["data"], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise ResponseInvalid("valueAttachment data is not valid base64", where, link) from exc
    if not png.startswith(PNG_MAGIC) or len(png) < 24:
        raise ResponseInvalid("valueAttachment data is not a PNG image", where, link)
    width, height = struct.unpack(">II", png[16:24])
    if len(png) > SIGNATURE_MAX_BYTES or not (0 < width <= SIGNATURE_MAX_SIDE and 0 < height <= SIGNATURE_MAX_SIDE):
        raise ResponseInvalid(f"the signature image is too large ({len(png)} bytes, {width}x{height})", where, link)
    if not _decodes(png):
        raise ResponseInvalid("valueAttachment data is a damaged PNG image (it cannot be decoded)", where, link)
    return png


def _decodes(png: bytes) -> bool:
    """Whether the whole image decodes (chunk checksums and pixel data), as the PDF will need it to."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(png)) as image:
            image.verify()
        with Image.open(io.BytesIO(png)) as image:
            image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad file; any of them means refused
        return False
    return True


def _option_for(question: Question | None, code: str, system: Any) -> Option | None:
    """The option a coding names: by its LOINC answer code, or by the kiosk's own code in its own system.

    A coding without a system (what the kiosk wrote before it named one, or a
    hand-made response) may name either.
    """
    if question is None:
        return None
    if system in (None, codes.LOINC):
        by_loinc = next((o for o in question.options if o.loinc and o.loinc == code), None)
        if by_loinc is not None:
            return by_loinc
    return question.option(code) if system in (None, codes.answer_system(question.id)) else None


def _language(content: Content, raw: Any) -> str:
    if raw is None:
        return "en"
    primary = str(raw).split("-")[0].lower()
    if primary not in content.languages:
        raise ResponseInvalid(f"language {raw!r} is not offered; this content has {', '.join(content.languages)}",
                              "$.language")
    return primary


def _authored(raw: Any, now: dt.datetime) -> dt.datetime:
    """FHIR dateTime; a date alone counts as midday UTC so the visit date stays that day in any US time zone."""
    if raw is None:
        return now
    text = str(raw)
    try:
        if FULL_DATE.match(text):
            return dt.datetime.fromisoformat(text).replace(hour=12, tzinfo=dt.timezone.utc)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ResponseInvalid(f"authored must be a FHIR dateTime with a time zone, found {text!r}", "$.authored")
    return moment


def _authored_in_range(authored: dt.datetime, raw: Any, now: dt.datetime) -> dt.datetime:
    """A response written in the future (beyond clock drift) or before 1900 is a typo or a forgery: a year-2100
    row would sort first and never be purged."""
    if authored.year < EARLIEST_AUTHORED_YEAR:
        raise ResponseInvalid(f"authored {raw!r} is before {EARLIEST_AUTHORED_YEAR}", "$.authored")
    if FULL_DATE.match(str(raw)):  # a date alone: the future only once that date has begun somewhere (UTC+14)
        future = authored.date() > (now.astimezone(dt.timezone.utc) + dt.timedelta(hours=14)).date()
    else:
        future = authored > now + AUTHORED_CLOCK_SKEW
    if future:
        raise ResponseInvalid(f"authored {raw!r} is in the future (more than {AUTHORED_CLOCK_SKEW.seconds // 60} "
                              "minutes ahead of this computer's clock)", "$.authored")
    return authored


_LAST: list[tuple[Content, list[Json]]] = []


def _definition(content: Content) -> list[Json]:
    """The Questionnaire's items, built once per content: an export of many submissions reuses them (read-only)."""
    if _LAST and _LAST[0][0] is content:
        return _LAST[0][1]
    items = build_questionnaire(content)["item"]
    _LAST[:] = [(content, items)]
    return items


def _walk(items: list[Json]) -> Iterator[Json]:
    for item in items:
        yield item
        yield from _walk(item.get("item", []))
