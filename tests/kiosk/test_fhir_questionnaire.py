"""The content as a FHIR R4 Questionnaire: it validates, and every page, question, option and condition is there.

Validated with fhir.resources' R4B models: fhir.resources 8 ships R5 at the
top level and R4B (4.3) as a subpackage, with no plain R4 package; R4B's
Questionnaire is R4's (same elements and invariants), so it is the nearest check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from fhir_fixtures import load_scale_content
from kiosk.content import Content
from kiosk.content.model import ConsentPage, InfoPage, QuestionPage
from kiosk.fhir import codes
from kiosk.fhir.questionnaire import build_questionnaire, linkid_of_condition

FHIR_TYPE = {"multi": "choice"}


@pytest.fixture(scope="module")
def scale_content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_scale_content(tmp_path_factory.mktemp("fhir"))


def walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def by_link(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in walk(questionnaire["item"]):
        assert item["linkId"] not in found, f"linkId {item['linkId']} used twice"
        found[item["linkId"]] = item
    return found


@pytest.mark.parametrize("which", ["shipped", "with_instrument"])
def test_questionnaire_validates_as_fhir(which: str, content: Content, scale_content: Content) -> None:
    chosen = content if which == "shipped" else scale_content
    data = build_questionnaire(chosen)
    parsed = Questionnaire.model_validate(data)
    assert parsed.version == chosen.version
    assert parsed.url == codes.QUESTIONNAIRE_URL


def test_every_question_is_an_item_with_its_type_required_and_repeats(scale_content: Content) -> None:
    items = by_link(build_questionnaire(scale_content))
    for question in scale_content.questions.values():
        item = items[question.id]
        assert item["type"] == FHIR_TYPE.get(question.type, question.type)
        assert item["required"] is question.required
        assert item.get("repeats", False) is (question.type == "multi")
        assert item["text"] == question.text.get("en")
        if question.type in ("string", "text"):
            assert item["maxLength"] == question.text_limit


def test_pages_become_groups_and_education_and_consent_are_displayed(content: Content) -> None:
    items = by_link(build_questionnaire(content))
    for page in content.pages:
        item = items[codes.page_link(page.id)]
        if isinstance(page, InfoPage):
            assert item["type"] == "group" and item["text"] == page.title.get("en")
            (body,) = item["item"]
            assert body == {"linkId": codes.page_text_link(page.id, "body"), "type": "display",
                            "text": page.body.get("en"), "_text": body["_text"]}
            assert [e["extension"][1]["valueString"] for e in body["_text"]["extension"]] == [page.body.get("es")]
        elif isinstance(page, ConsentPage):
            assert item["type"] == "group"
            children = {c["linkId"]: c for c in item["item"]}
            assert children[codes.page_text_link(page.id, "body")]["type"] == "display"
            assert children[page.id]["type"] == "boolean" and children[page.id]["required"] is True
            signature = children.get(codes.signature_link(page.id))
            assert (signature is not None and signature["type"] == "attachment") is page.signature
        else:
            assert isinstance(page, QuestionPage)
            assert item["type"] == "group"
            inside = {i["linkId"] for i in walk(item["item"])}
            assert {q.id for q in page.questions} <= inside


def test_spanish_rides_along_as_a_translation_extension(scale_content: Content) -> None:
    item = by_link(build_questionnaire(scale_content))["fhir_scale_a"]
    translation = item["_text"]["extension"][0]
    assert translation["url"] == codes.TRANSLATION
    parts = {e["url"]: e.get("valueCode") or e.get("valueString") for e in translation["extension"]}
    assert parts == {"lang": "es", "content": "How often do you feel tired? (es)"}


def test_instrument_is_a_loinc_coded_group_with_coded_items_and_a_read_only_total(scale_content: Content) -> None:
    items = by_link(build_questionnaire(scale_content))
    for instrument in [scale_content.instruments["fhir_scale"]]:
        group = items[codes.instrument_link(instrument.id)]
        assert group["type"] == "group"
        assert group["code"] == [{"system": codes.LOINC, "code": instrument.loinc_panel, "display": instrument.name}]
        inside = [i["linkId"] for i in group["item"]]
        assert inside[:len(instrument.items)] == instrument.items
        for item_id in instrument.items:
            loinc = scale_content.questions[item_id].loinc
            assert [c["code"] for c in items[item_id].get("code", [])] == ([loinc] if loinc else [])
        total = group["item"][-1]
        assert total["linkId"] == codes.total_link(instrument.id)
        assert total["type"] == "integer" and total["readOnly"] is True
        assert total["code"][0] == {"system": codes.LOINC, "code": instrument.loinc_total,
                                    "display": f"{instrument.name} total score"}


def test_shipped_instruments_are_coded_groups(content: Content) -> None:
    items = by_link(build_questionnaire(content))
    for instrument in content.instruments.values():
        group = items[codes.instrument_link(instrument.id)]
        assert group["type"] == "group"
        assert [c["code"] for c in group.get("code", [])] == ([instrument.loinc_panel] if instrument.loinc_panel else [])
        for item_id in instrument.items:
            loinc = content.questions[item_id].loinc
            assert [c["code"] for c in items[item_id].get("code", [])] == ([loinc] if loinc else [])
        total = items.get(codes.total_link(instrument.id))
        if instrument.scoring == "sum":
            assert total is not None and total["readOnly"] is True
            assert [c["code"] for c in total.get("code", [])] == ([instrument.loinc_total] if instrument.loinc_total else [])
        else:
            assert total is None


def test_scored_options_carry_the_ordinal_value_and_loinc_answer_codes(scale_content: Content) -> None:
    items = by_link(build_questionnaire(scale_content))
    for question in scale_content.questions.values():
        for option, fhir in zip(question.options, items[question.id].get("answerOption", []), strict=True):
            ordinal = [e["valueDecimal"] for e in fhir.get("extension", []) if e["url"] == codes.ORDINAL_VALUE]
            assert ordinal == ([option.score] if option.score is not None else [])
            coding = fhir["valueCoding"]
            assert coding["code"] == (option.loinc or option.code)
            assert coding["system"] == (codes.LOINC if option.loinc else codes.answer_system(question.id))
    sometimes = items["fhir_scale_a"]["answerOption"][1]["valueCoding"]
    assert {k: v for k, v in sometimes.items() if k != "_display"} == {
        "system": codes.LOINC, "code": "LA6270-8", "display": "Sometimes"}


@pytest.mark.parametrize("which", ["shipped", "with_instrument"])
def test_enable_when_mirrors_every_condition_and_points_at_an_item(which: str, content: Content,
                                                                     scale_content: Content) -> None:
    chosen = content if which == "shipped" else scale_content
    items = by_link(build_questionnaire(chosen))
    conditional = [(codes.page_link(p.id), p) for p in chosen.pages] + [(q.id, q) for q in chosen.questions.values()]
    for link, source in conditional:
        fhir = items[link].get("enableWhen", [])
        assert len(fhir) == len(source.enable_when)
        for condition, rule in zip(source.enable_when, fhir, strict=True):
            assert rule["question"] == linkid_of_condition(condition)
            assert rule["question"] in items, f"{link}: enableWhen points at a missing item"
            assert rule["operator"] == condition.operator
            [answer_key] = [k for k in rule if k.startswith("answer")]
            value = rule[answer_key]
            shown = value["code"] if answer_key == "answerCoding" else value
            if answer_key == "answerCoding":
                option = chosen.questions[condition.question or ""].option(str(condition.answer))
                assert option is not None and shown == (option.loinc or option.code)
            else:
                assert shown == condition.answer
        if len(source.enable_when) > 1:
            assert items[link]["enableBehavior"] == source.enable_behavior


def test_a_condition_on_a_question_uses_that_question_s_answer_type(scale_content: Content) -> None:
    item = by_link(build_questionnaire(scale_content))["fhir_scale_b"]
    assert item["enableWhen"] == [{"question": "fhir_scale_a", "operator": "!=", "answerCoding": {
        "system": codes.answer_system("fhir_scale_a"), "code": "never", "display": "Never"}}]


def test_an_instrument_on_two_pages_is_a_coded_group_on_each_with_the_total_after_its_last_item(
        scale_content: Content) -> None:
    questionnaire = build_questionnaire(scale_content)
    items = by_link(questionnaire)
    first, second = items[codes.instrument_link("fhir_split")], items[codes.instrument_link("fhir_split", 2)]
    assert [i["linkId"] for i in first["item"]] == ["fhir_split_1"]
    assert [i["linkId"] for i in second["item"]] == ["fhir_split_2", codes.total_link("fhir_split")]
    assert first["code"] == second["code"] == [{"system": codes.LOINC, "code": "90010-2", "display": "Split Scale"}]
    pages = {i["linkId"]: {c["linkId"] for c in walk(i.get("item", []))} for i in questionnaire["item"]}
    assert first["linkId"] in pages[codes.page_link("fhir_scale_page")]
    assert second["linkId"] in pages[codes.page_link("fhir_split_page")]


def test_every_local_answer_code_names_the_kiosk_s_own_system(content: Content) -> None:
    items = by_link(build_questionnaire(content))
    for question in content.questions.values():
        for option in items[question.id].get("answerOption", []):
            coding = option["valueCoding"]
            if coding["code"].startswith("LA"):
                assert coding["system"] == codes.LOINC
            else:
                assert coding["system"] == codes.answer_system(question.id)


def test_audit_c_and_phq9_answers_carry_loinc_answer_codes(content: Content) -> None:
    items = by_link(build_questionnaire(content))
    expected = {
        "audit_c_1": ["LA6270-8", "LA18926-8", "LA18927-6", "LA18928-4", "LA18929-2"],
        "audit_c_2": ["LA15694-5", "LA15695-2", "LA18930-0", "LA18931-8", "LA18932-6"],
        "audit_c_3": ["LA6270-8", "LA18933-4", "LA18876-5", "LA18891-4", "LA18934-2"],
        "phq9_9": ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"],
    }
    for link, loinc in expected.items():
        codings = [o["valueCoding"] for o in items[link]["answerOption"]]
        assert [(c["system"], c["code"]) for c in codings] == [(codes.LOINC, code) for code in loinc], link


def test_option_displays_carry_spanish_as_a_translation_extension(content: Content) -> None:
    items = by_link(build_questionnaire(content))
    never = items["audit_c_1"]["answerOption"][0]["valueCoding"]
    assert never["display"] == "Never"
    (translation,) = never["_display"]["extension"]
    assert translation["url"] == codes.TRANSLATION
    assert {e["url"]: e.get("valueCode") or e.get("valueString") for e in translation["extension"]} == {
        "lang": "es", "content": "Nunca"}
    parsed = Questionnaire.model_validate(build_questionnaire(content))
    assert parsed.item is not None  # the extension on _display validates as FHIR


def test_instrument_totals_carry_an_sdc_calculated_expression(content: Content, scale_content: Content) -> None:
    for chosen in (content, scale_content):
        items = by_link(build_questionnaire(chosen))
        for instrument in chosen.instruments.values():
            total = items.get(codes.total_link(instrument.id))
            if total is None:
                continue
            (calculated,) = [e for e in total["extension"] if e["url"] == codes.CALCULATED_EXPRESSION]
            expression = calculated["valueExpression"]
            assert expression["language"] == "text/fhirpath"
            links = " | ".join(f"'{i}'" for i in instrument.items)
            assert expression["expression"] == (
                f"%resource.repeat(item).where(linkId in ({links})).answer.value.weight().sum()")
    assert "calculatedExpression" in codes.CALCULATED_EXPRESSION


def test_an_exclusive_option_carries_the_option_exclusive_extension(tmp_path) -> None:
    import yaml

    from fhir_fixtures import TEST_FILE, make_content_folder
    from kiosk.content import load_content

    folder = make_content_folder(tmp_path)
    data = yaml.safe_load((folder / TEST_FILE).read_text(encoding="utf-8"))
    kinds = next(q for q in data["pages"][0]["questions"] if q["id"] == "fhir_scale_kinds")
    kinds["options"].append({"code": "none", "text": {"en": "None of these", "es": "Ninguno"}, "exclusive": True})
    (folder / TEST_FILE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    questionnaire = build_questionnaire(load_content(folder))
    Questionnaire.model_validate(questionnaire)
    options = by_link(questionnaire)["fhir_scale_kinds"]["answerOption"]
    marked = [o["valueCoding"]["code"] for o in options
              if {"url": codes.OPTION_EXCLUSIVE, "valueBoolean": True} in o.get("extension", [])]
    assert marked == ["none"]


def test_shipped_exclusive_options_carry_the_extension_and_no_other_does(content: Content) -> None:
    items = by_link(build_questionnaire(content))
    for question in content.questions.values():
        for option, fhir in zip(question.options, items[question.id].get("answerOption", []), strict=True):
            marked = {"url": codes.OPTION_EXCLUSIVE, "valueBoolean": True} in fhir.get("extension", [])
            assert marked is option.exclusive, (question.id, option.code)
