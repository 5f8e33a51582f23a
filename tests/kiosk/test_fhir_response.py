"""QuestionnaireResponse in and out: a response exported then imported gives the same answers; bad ones are
refused with a message naming the item and where it is in the JSON."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fhir_fixtures import finished, full_answers, load_scale_content
from kiosk.content import Content
from kiosk.content.model import ConsentPage
from kiosk.fhir import codes
from kiosk.fhir.response import ResponseInvalid, parse_response, read_response, to_response

# Free text a patient could type: any character except lone surrogates (which no keyboard or JSON file carries).
FREE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@pytest.fixture(scope="module")
def scale_content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_scale_content(tmp_path_factory.mktemp("fhir"))


@pytest.fixture(scope="module")
def answers(scale_content: Content) -> dict[str, Any]:
    return full_answers(scale_content, fhir_scale_a="often", fhir_scale_b="often", fhir_scale_kinds=["one", "three"],
                        fhir_scale_weight=172.5, fhir_scale_days=4, fhir_scale_since="2026-10-02", fhir_scale_ok=True,
                        fhir_scale_note='She said "no", then, well\nmaybe.')


def exported(content: Content, answers: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The response as it would travel: through JSON text and back."""
    return json.loads(json.dumps(to_response(content, finished(content, answers, language=language))))


def find_item(items: list[dict[str, Any]], link: str) -> dict[str, Any]:
    for item in items:
        if item["linkId"] == link:
            return item
        if (found := find_item(item.get("item", []), link)) is not None:
            return found
    return None  # type: ignore[return-value]


def test_export_then_import_gives_the_same_answers_language_and_time(scale_content: Content,
                                                                      answers: dict[str, Any]) -> None:
    submission = finished(scale_content, answers, language="es")
    data = json.loads(json.dumps(to_response(scale_content, submission)))
    parsed = parse_response(scale_content, data)
    assert parsed.answers == submission.answers
    assert parsed.answers["fhir_scale_kinds"] == ["one", "three"]
    assert parsed.answers["fhir_scale_weight"] == 172.5
    assert (parsed.answers["fhir_scale_days"], parsed.answers["fhir_scale_since"]) == (4, "2026-10-02")
    assert parsed.answers["fhir_scale_ok"] is True
    assert parsed.language == "es"
    assert parsed.authored == submission.submitted_at
    identity = scale_content.manifest.identity
    assert parsed.identity["name"] == answers[identity.name]
    assert parsed.identity["birthDate"] == answers[identity.dob]


def test_exported_response_is_valid_fhir_and_completed(scale_content: Content, answers: dict[str, Any]) -> None:
    data = exported(scale_content, answers)
    resource = QuestionnaireResponse.model_validate(data)
    assert resource.status == "completed"
    assert data["questionnaire"] == codes.canonical(scale_content)
    total = find_item(data["item"], codes.total_link("fhir_scale"))
    assert total["answer"] == [{"valueInteger": 5}]  # the stored score, for readers of the file
    group = find_item(data["item"], codes.instrument_link("fhir_scale"))
    assert [i["linkId"] for i in group["item"]] == ["fhir_scale_a", "fhir_scale_b", codes.total_link("fhir_scale")]


def test_a_loinc_answer_code_is_read_as_the_option_it_names(scale_content: Content, answers: dict[str, Any]) -> None:
    data = exported(scale_content, {**answers, "fhir_scale_a": "sometimes"})
    assert find_item(data["item"], "fhir_scale_a")["answer"][0]["valueCoding"]["code"] == "LA6270-8"
    assert parse_response(scale_content, data).answers["fhir_scale_a"] == "sometimes"


def test_local_codes_travel_in_the_kiosk_s_own_system_and_the_older_form_still_imports(
        scale_content: Content, answers: dict[str, Any]) -> None:
    data = exported(scale_content, {**answers, "fhir_scale_a": "often", "fhir_scale_kinds": ["one", "three"]})
    often = find_item(data["item"], "fhir_scale_a")["answer"][0]["valueCoding"]
    assert (often["system"], often["code"]) == (codes.answer_system("fhir_scale_a"), "often")
    assert parse_response(scale_content, data).answers["fhir_scale_kinds"] == ["one", "three"]

    older = copy.deepcopy(data)  # what the kiosk wrote before its codes had a system
    for item in _all_items(older["item"]):
        for answer in item.get("answer", []):
            if "valueCoding" in answer and answer["valueCoding"].get("system") != codes.LOINC:
                answer["valueCoding"].pop("system", None)
    assert parse_response(scale_content, older).answers == parse_response(scale_content, data).answers

    local = edit_item(data, "fhir_scale_a", answer=[{"valueCoding": {
        "system": codes.answer_system("fhir_scale_a"), "code": "sometimes"}}])  # an option that also has a LOINC code
    assert parse_response(scale_content, local).answers["fhir_scale_a"] == "sometimes"


@pytest.mark.parametrize("system", ["http://example.org/other", codes.LOINC, codes.answer_system("fhir_scale_b")])
def test_a_local_code_in_someone_else_s_system_is_refused(scale_content: Content, answers: dict[str, Any],
                                                         system: str) -> None:
    data = edit_item(exported(scale_content, answers), "fhir_scale_a",
                     answer=[{"valueCoding": {"system": system, "code": "often"}}])
    with pytest.raises(ResponseInvalid, match="unknown option code 'often'"):
        parse_response(scale_content, data)


def test_shipped_audit_c_answers_round_trip_through_their_loinc_codes(content: Content) -> None:
    given = full_answers(content, audit_c_1="two_to_three_a_week", audit_c_2="five_or_six", audit_c_3="monthly")
    data = exported(content, given)
    coded = {link: find_item(data["item"], link)["answer"][0]["valueCoding"] for link in ("audit_c_1", "audit_c_2", "audit_c_3")}
    assert {k: (v["system"], v["code"]) for k, v in coded.items()} == {
        "audit_c_1": (codes.LOINC, "LA18928-4"), "audit_c_2": (codes.LOINC, "LA18930-0"),
        "audit_c_3": (codes.LOINC, "LA18876-5")}
    parsed = parse_response(content, data).answers
    assert {k: parsed[k] for k in coded} == {"audit_c_1": "two_to_three_a_week", "audit_c_2": "five_or_six",
                                             "audit_c_3": "monthly"}


def test_a_flat_response_from_another_device_is_accepted(scale_content: Content, answers: dict[str, Any]) -> None:
    data = {"resourceType": "QuestionnaireResponse", "status": "completed", "language": "es-US",
            "authored": "2026-11-20", "item": [
                {"linkId": "fhir_scale_a", "answer": [{"valueCoding": {"code": "often"}}]},
                {"linkId": "fhir_scale_weight", "answer": [{"valueDecimal": 180}]}]}
    parsed = parse_response(scale_content, data)
    assert parsed.answers == {"fhir_scale_a": "often", "fhir_scale_weight": 180.0}
    assert parsed.language == "es"
    assert parsed.authored.date() == dt.date(2026, 11, 20)


def test_the_same_file_gets_the_same_submission_id(scale_content: Content, answers: dict[str, Any]) -> None:
    data = exported(scale_content, answers)
    first = parse_response(scale_content, data).submission(scale_content)
    again = parse_response(scale_content, copy.deepcopy(data)).submission(scale_content)
    other = parse_response(scale_content, exported(scale_content, {**answers, "fhir_scale_b": "never"}))
    assert first.id == again.id != other.fingerprint
    assert first.source == "import"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=FREE_TEXT, name=FREE_TEXT.filter(lambda s: bool(s.strip())))
def test_free_text_survives_the_round_trip(scale_content: Content, answers: dict[str, Any], note: str,
                                           name: str) -> None:
    name_id = scale_content.manifest.identity.name
    assume(len(name) <= scale_content.questions[name_id].text_limit)  # a longer name is refused, as typed or imported
    changed = {**answers, "fhir_scale_note": note, name_id: name}
    submission = finished(scale_content, changed)
    parsed = parse_response(scale_content, json.loads(json.dumps(to_response(scale_content, submission))))
    assert parsed.answers["fhir_scale_note"] == note
    assert parsed.answers[name_id] == name
    assert parsed.answers == submission.answers


def edit_item(data: dict[str, Any], link: str, **changes: Any) -> dict[str, Any]:
    copied = copy.deepcopy(data)
    find_item(copied["item"], link).update(changes)
    return copied


def path_of(data: dict[str, Any], link: str, path: str = "$") -> str:
    for n, item in enumerate(data["item"]):
        here = f"{path}.item[{n}]"
        if item["linkId"] == link:
            return here
        if "item" in item and (found := path_of(item, link, here)):
            return found
    return ""


@pytest.mark.parametrize(("link", "answer", "message"), [
    ("fhir_scale_a", [{"valueString": "often"}], "wrong answer type: expected valueCoding"),
    ("fhir_scale_a", [{"valueCoding": {"code": "always"}}], "unknown option code 'always'"),
    ("fhir_scale_a", [{"valueCoding": {"code": "often"}}, {"valueCoding": {"code": "never"}}], "2 answers given"),
    ("fhir_scale_weight", [{"valueDecimal": "heavy"}], "valueDecimal must be a number"),
    ("fhir_scale_weight", [{"valueDecimal": 900}], "not an acceptable answer"),
    ("fhir_scale_note", [{"valueInteger": 3}], "expected valueString"),
    ("fhir_scale_note", [{"valueString": "x" * 301}], "not an acceptable answer"),
    ("fhir_scale_kinds", [{"valueCoding": {"code": "one"}}, {"valueCoding": {"code": "nine"}}], "unknown option code"),
])
def test_a_bad_answer_is_refused_naming_the_item_and_its_path(scale_content: Content, answers: dict[str, Any],
                                                             link: str, answer: list[Any], message: str) -> None:
    data = edit_item(exported(scale_content, answers), link, answer=answer)
    with pytest.raises(ResponseInvalid) as refused:
        parse_response(scale_content, data)
    text = str(refused.value)
    assert message in text
    assert f"item {link!r}" in text
    assert path_of(data, link) in text and refused.value.path.startswith(path_of(data, link))


@pytest.mark.parametrize(("link", "answer", "message"), [
    ("fhir_scale_days", {"valueInteger": 2.5}, "valueInteger must be a whole number"),
    ("fhir_scale_days", {"valueInteger": True}, "valueInteger must be a whole number"),
    ("fhir_scale_days", {"valueInteger": 31}, "not an acceptable answer"),
    ("fhir_scale_since", {"valueDate": "1990-04"}, "valueDate must be a full date"),
    ("fhir_scale_since", {"valueDate": "2099-01-01"}, "not an acceptable answer"),
    ("fhir_scale_ok", {"valueBoolean": "yes"}, "valueBoolean must be true or false"),
])
def test_each_question_type_checks_its_value(scale_content: Content, answers: dict[str, Any],
                                             link: str, answer: dict[str, Any], message: str) -> None:
    exported_data = exported(scale_content, answers)
    with pytest.raises(ResponseInvalid, match=message) as refused:
        parse_response(scale_content, edit_item(exported_data, link, answer=[answer]))
    assert refused.value.link_id == link


def test_an_unknown_link_id_is_refused(scale_content: Content, answers: dict[str, Any]) -> None:
    data = exported(scale_content, answers)
    data["item"].append({"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]})
    with pytest.raises(ResponseInvalid) as refused:
        parse_response(scale_content, data)
    assert "unknown linkId" in str(refused.value)
    assert f"item 'favourite_colour' at $.item[{len(data['item']) - 1}]" in str(refused.value)


def test_an_answer_on_a_group_is_refused(scale_content: Content, answers: dict[str, Any]) -> None:
    data = edit_item(exported(scale_content, answers), codes.instrument_link("fhir_scale"),
                     answer=[{"valueInteger": 1}])
    with pytest.raises(ResponseInvalid, match="a group item takes no answer"):
        parse_response(scale_content, data)


@pytest.mark.parametrize(("change", "message"), [
    ({"resourceType": "Patient"}, "not a FHIR QuestionnaireResponse"),
    ({"status": "in-progress"}, "status 'in-progress' cannot be imported"),
    ({"questionnaire": "http://example.org/Questionnaire/other|1"}, "answers a different questionnaire"),
    ({"language": "fr"}, "language 'fr' is not offered"),
    ({"authored": "2026-11-24T10:00:00"}, "authored must be a FHIR dateTime with a time zone"),
])
def test_a_response_that_is_not_ours_is_refused(scale_content: Content, answers: dict[str, Any],
                                                change: dict[str, Any], message: str) -> None:
    with pytest.raises(ResponseInvalid, match=message):
        parse_response(scale_content, {**exported(scale_content, answers), **change})


@pytest.mark.parametrize("data", [[1, 2], "QuestionnaireResponse", None])
def test_json_that_is_not_an_object_is_refused(scale_content: Content, data: Any) -> None:
    with pytest.raises(ResponseInvalid, match="not a FHIR QuestionnaireResponse"):
        parse_response(scale_content, data)


def test_malformed_json_is_refused_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"resourceType": "QuestionnaireResponse",\n  "item": [}', encoding="utf-8")
    with pytest.raises(ResponseInvalid, match=r"not valid JSON: .* at line 2, column 12") as refused:
        read_response(path)
    assert str(path) in str(refused.value)


def test_the_drawn_signature_travels_as_an_inline_png(scale_content: Content, answers: dict[str, Any]) -> None:
    from answer_plans import tiny_png

    consent = next(p for p in scale_content.pages if isinstance(p, ConsentPage) and p.signature)
    submission = finished(scale_content, answers)
    submission.signature_png = tiny_png()
    data = json.loads(json.dumps(to_response(scale_content, submission)))
    item = find_item(data["item"], codes.signature_link(consent.id))
    assert item["answer"][0]["valueAttachment"]["contentType"] == "image/png"
    QuestionnaireResponse.model_validate(data)
    parsed = parse_response(scale_content, data)
    assert parsed.signature_png == tiny_png()
    assert codes.signature_link(consent.id) not in parsed.answers
    assert parsed.submission(scale_content).signature_png == tiny_png()


@pytest.mark.parametrize(("attachment", "message"), [
    ({"contentType": "image/png", "url": "http://example.org/sig.png"}, "must be an inline PNG"),
    ({"contentType": "image/png", "data": "not base64!"}, "not valid base64"),
    ({"contentType": "image/png", "data": "R0lGODlhAQABAAAAACw="}, "not a PNG image"),
])
def test_a_bad_signature_is_refused(scale_content: Content, answers: dict[str, Any], attachment: dict[str, Any],
                                    message: str) -> None:
    consent = next(p for p in scale_content.pages if isinstance(p, ConsentPage) and p.signature)
    data = exported(scale_content, answers)
    group = find_item(data["item"], codes.page_link(consent.id))
    group["item"].append({"linkId": codes.signature_link(consent.id), "answer": [{"valueAttachment": attachment}]})
    with pytest.raises(ResponseInvalid, match=message) as refused:
        parse_response(scale_content, data)
    assert refused.value.link_id == codes.signature_link(consent.id)


def test_text_with_an_unpaired_surrogate_is_refused_not_stored(scale_content: Content,
                                                                answers: dict[str, Any]) -> None:
    data = exported(scale_content, answers)
    find_item(data["item"], "fhir_scale_note")["answer"] = [{"valueString": json.loads('"a\\ud800b"')}]
    with pytest.raises(ResponseInvalid, match="unpaired surrogate"):
        parse_response(scale_content, data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=8,
)
ITEM_KEYS = st.sampled_from(["linkId", "answer", "item", "valueCoding", "valueString", "valueInteger", "code"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_a_response_is_refused_with_a_message_never_a_crash(scale_content: Content,
                                                                          answers: dict[str, Any],
                                                                          data: st.DataObject) -> None:
    response = exported(scale_content, answers)
    items = list(_all_items(response["item"]))
    target = data.draw(st.sampled_from(items))
    key = data.draw(ITEM_KEYS)
    target[key] = data.draw(JSON_VALUES)
    if "answer" in target and isinstance(target["answer"], list) and target["answer"]:
        target["answer"][0] = data.draw(st.dictionaries(ITEM_KEYS | st.sampled_from(["valueDate", "valueDecimal"]),
                                                        JSON_VALUES, max_size=2)) if data.draw(st.booleans()) \
            else target["answer"][0]
    try:
        parse_response(scale_content, response)
    except ResponseInvalid as refused:
        assert str(refused).startswith(("item ", "$"))


def _all_items(items: list[dict[str, Any]]) -> Any:
    for item in items:
        yield item
        yield from _all_items(item.get("item", []))


@pytest.mark.parametrize(("subject", "contained", "path", "message"), [
    ("Patient/1", None, "$.subject", "subject must be a Reference"),
    ({"reference": 7}, None, "$.subject.reference", "must be non-empty text"),
    ({"identifier": {"system": "urn:x"}}, None, "$.subject.identifier.value", "an identifier needs a value"),
    ({"identifier": {"value": "1", "use": "forever"}}, None, "$.subject.identifier.use", "is not one of"),
    ({"identifier": {"value": "\ud800"}}, None, "$.subject.identifier.value", "unpaired surrogate"),
    ({"reference": "#p9"}, [{"resourceType": "Patient", "id": "p1"}], "$.subject.reference", "not among the contained"),
    ({"reference": "#p1"}, [{"resourceType": "Practitioner", "id": "p1"}], "$.contained[0]", "not a Patient"),
    ({"reference": "#p1"}, [{"resourceType": "Patient", "id": "p1", "identifier": [{"value": ""}]}],
     "$.contained[0].identifier[0].value", "must be non-empty text"),
])
def test_a_bad_subject_is_refused_naming_where(scale_content: Content, answers: dict[str, Any], subject: Any,
                                               contained: Any, path: str, message: str) -> None:
    data = {**exported(scale_content, answers), "subject": subject}
    if contained is not None:
        data["contained"] = contained
    with pytest.raises(ResponseInvalid, match=message) as refused:
        parse_response(scale_content, data)
    assert refused.value.path == path


def test_the_subject_is_kept_through_storage_and_a_response_without_one_keeps_none(
        scale_content: Content, answers: dict[str, Any], tmp_path: Path) -> None:
    from kiosk.storage.db import connect
    from kiosk.storage.sqlite_submissions import SubmissionStore
    from kiosk.storage.submissions import ClientSubject

    plain = parse_response(scale_content, exported(scale_content, answers))
    assert plain.subject is None
    data = {**exported(scale_content, answers), "subject": {"reference": "Patient/9", "identifier": {"value": "X1"}}}
    parsed = parse_response(scale_content, data)
    assert parsed.subject == ClientSubject(reference="Patient/9", identifiers=({"value": "X1"},))
    store = SubmissionStore(connect(tmp_path / "kiosk.db"))
    store.save(parsed.submission(scale_content))
    assert store.get(parsed.fingerprint).subject == parsed.subject
