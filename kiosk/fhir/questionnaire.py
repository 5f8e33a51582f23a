"""The content as a FHIR R4 Questionnaire: pages become groups, instruments LOINC-coded groups with a total.

An education page is a group whose text is the page title, holding one display
item (`page.<id>.body`) with the body, so renderers such as LHC-Forms show a
heading and a paragraph rather than one run-together line.

Built by walking the content model, never by naming questions, so a clinic's
new question or instrument appears here without code changes. English is the
item text; the other languages ride along as `translation` extensions.
"""

from __future__ import annotations

from typing import Any

from kiosk.content import Content
from kiosk.content.manifest import INTAKE
from kiosk.content.model import Condition, ConsentPage, InfoPage, Instrument, Option, Question, QuestionPage, Text
from kiosk.fhir import codes

ITEM_TYPE = {
    "choice": "choice", "multi": "choice", "boolean": "boolean", "date": "date",
    "integer": "integer", "decimal": "decimal", "string": "string", "text": "text",
}
ANSWER_KEY = {
    "choice": "Coding", "multi": "Coding", "boolean": "Boolean", "date": "Date",
    "integer": "Integer", "decimal": "Decimal", "string": "String", "text": "String",
}

Json = dict[str, Any]


def build_questionnaire(content: Content) -> Json:
    """The whole intake as one Questionnaire resource (a JSON-ready dict)."""
    items: list[Json] = []
    totals_after = _total_positions(content)
    runs: dict[str, int] = {}
    for page in content.pages:
        if isinstance(page, InfoPage):
            # A group headed by the title around the body, so every renderer keeps them apart.
            item = _group(codes.page_link(page.id), page.title, [_display(codes.page_text_link(page.id, "body"), page.body)])
        elif isinstance(page, ConsentPage):
            children = [
                _display(codes.page_text_link(page.id, "body"), page.body),
                {"linkId": page.id, **_texts(page.agree), "type": "boolean", "required": True},
            ]
            if page.signature:
                hint = Text({lang: content.text("signature_hint", lang) for lang in content.languages})
                children.append({"linkId": codes.signature_link(page.id), **_texts(hint), "type": "attachment",
                                 "required": False})
            item = _group(codes.page_link(page.id), page.title, children)
        else:
            item = _question_page(content, page, runs, totals_after)
        items.append({**item, **_enable_when(content, page.enable_when, page.enable_behavior)})
    return {
        "resourceType": "Questionnaire",
        "id": codes.questionnaire_id(content),
        "url": content.url,
        "version": content.version,
        "name": "NaltrexoneKiosk" + "".join(part.capitalize() for part in content.visit.split("-")),
        "title": "Naltrexone treatment intake" if content.visit == INTAKE
        else f"Naltrexone treatment {content.visit.replace('-', ' ')} visit",
        "status": "active",
        "language": "en",
        "subjectType": ["Patient"],
        "item": items,
    }


def linkid_of_condition(condition: Condition) -> str:
    """The item an enableWhen points at: a question or a consent page (the loader allows nothing else there)."""
    if condition.question is None:
        raise ValueError(f"only flags may test {condition.subject!r}; what a patient sees depends on answers alone")
    return condition.question


def _question_page(content: Content, page: QuestionPage, runs: dict[str, int], totals_after: dict[str, str]) -> Json:
    children: list[Json] = []
    if page.intro is not None:
        children.append(_display(codes.page_text_link(page.id, "intro"), page.intro))
    current: tuple[str, list[Json]] | None = None
    for question in page.questions:
        instrument = content.instrument_of(question.id)
        item = _question(content, question)
        if instrument is None:
            current = None
            children.append(item)
            continue
        if current is None or current[0] != instrument.id:
            runs[instrument.id] = runs.get(instrument.id, 0) + 1
            group = {
                "linkId": codes.instrument_link(instrument.id, runs[instrument.id]),
                "text": instrument.name,
                "type": "group",
                **({"code": [_loinc(instrument.loinc_panel, instrument.name)]} if instrument.loinc_panel else {}),
                "item": [],
            }
            children.append(group)
            current = (instrument.id, group["item"])
        current[1].append(item)
        if instrument.scoring == "sum" and totals_after.get(instrument.id) == question.id:
            current[1].append(_total(instrument))
    return _group(codes.page_link(page.id), page.title, children)


def _question(content: Content, question: Question) -> Json:
    item: Json = {"linkId": question.id, **_texts(question.text), "type": ITEM_TYPE[question.type],
                  "required": question.required}
    if question.loinc:
        item["code"] = [_loinc(question.loinc, question.clinician_label or question.text.get("en"))]
    if question.type == "multi":
        item["repeats"] = True
    if question.type in ("string", "text"):
        item["maxLength"] = question.text_limit
    bounds = []
    for url, value in ((codes.MIN_VALUE, question.min), (codes.MAX_VALUE, question.max)):
        if value is not None:
            key = "valueInteger" if question.type == "integer" else "valueDecimal"
            bounds.append({"url": url, key: int(value) if question.type == "integer" else value})
    if bounds:
        item["extension"] = bounds
    if question.options:
        item["answerOption"] = [_option(question, o) for o in question.options]
    item.update(_enable_when(content, question.enable_when, question.enable_behavior))
    if question.help is not None:
        help_item = _display(codes.help_link(question.id), question.help)
        help_item["extension"] = [{"url": codes.ITEM_CONTROL, "valueCodeableConcept": {
            "coding": [{"system": codes.ITEM_CONTROL_SYSTEM, "code": "help"}]}}]
        item["item"] = [help_item]
    return item


def option_coding(question: Question, option: Option) -> Json:
    """A LOINC answer code (LA...) when the content gives one, else the option's code in the kiosk's own system."""
    if option.loinc:
        return {"system": codes.LOINC, "code": option.loinc, "display": option.text.get("en")}
    return {"system": codes.answer_system(question.id), "code": option.code, "display": option.text.get("en")}


def _option(question: Question, option: Option) -> Json:
    coding = option_coding(question, option)
    others = _translations(option.text)
    if others:
        coding["_display"] = {"extension": others}
    extensions: list[Json] = []
    if option.score is not None:
        extensions.append({"url": codes.ORDINAL_VALUE, "valueDecimal": option.score})
    if option.exclusive:
        extensions.append({"url": codes.OPTION_EXCLUSIVE, "valueBoolean": True})
    return {"valueCoding": coding, **({"extension": extensions} if extensions else {})}


def _total(instrument: Instrument) -> Json:
    """The read-only total, with an SDC calculatedExpression so a renderer sums the answers' ordinal values.

    Items skipped by branching add nothing, as the kiosk's scorer counts them
    (`skipped_items_score` of 0); the kiosk itself never reads this expression.
    """
    name = instrument.name
    links = " | ".join(f"'{item}'" for item in instrument.items)
    expression = f"%resource.repeat(item).where(linkId in ({links})).answer.value.weight().sum()"
    item: Json = {
        "extension": [{"url": codes.CALCULATED_EXPRESSION, "valueExpression": {
            "description": f"{name} total: the sum of the answers' scores", "language": "text/fhirpath",
            "expression": expression}}],
        "linkId": codes.total_link(instrument.id), "text": f"{name} total score", "type": "integer", "readOnly": True,
    }
    if instrument.loinc_total:
        item["code"] = [_loinc(instrument.loinc_total, f"{name} total score")]
    return item


def _enable_when(content: Content, conditions: list[Condition], behavior: str) -> Json:
    if not conditions:
        return {}
    found: Json = {"enableWhen": [_condition(content, c) for c in conditions]}
    if len(conditions) > 1:
        found["enableBehavior"] = behavior
    return found


def _condition(content: Content, condition: Condition) -> Json:
    out: Json = {"question": linkid_of_condition(condition), "operator": condition.operator}
    answer = condition.answer
    if condition.operator == "exists":
        out["answerBoolean"] = bool(answer)
        return out
    question = content.questions.get(condition.question or "")
    kind = ANSWER_KEY[question.type] if question is not None else "Boolean"  # else a consent page
    value: Any
    if kind == "Coding":
        option = question.option(str(answer)) if question is not None else None
        value = option_coding(question, option) if question is not None and option is not None else {"code": str(answer)}
    elif kind == "Boolean":
        value = bool(answer)
    elif kind == "Integer":
        value = int(answer)  # type: ignore[arg-type]
    elif kind == "Decimal":
        value = float(answer)  # type: ignore[arg-type]
    else:
        value = str(answer)
    out[f"answer{kind}"] = value
    return out


def _total_positions(content: Content) -> dict[str, str]:
    """Each instrument's total goes right after whichever of its items the patient meets last."""
    order = {qid: n for n, qid in enumerate(content.questions)}
    return {
        i.id: max((q for q in i.items if q in order), key=order.__getitem__)
        for i in content.instruments.values() if any(q in order for q in i.items)
    }


def _group(link: str, title: Text, children: list[Json]) -> Json:
    return {"linkId": link, **_texts(title), "type": "group", "item": children}


def _display(link: str, text: Text) -> Json:
    return {"linkId": link, **_texts(text), "type": "display"}


def _texts(text: Text) -> Json:
    """English `text`, and every other language as a translation extension on `_text`."""
    others = _translations(text)
    return {"text": text.get("en"), **({"_text": {"extension": others}} if others else {})}


def _translations(text: Text) -> list[Json]:
    """Every language but English as `translation` extensions, for a primitive's `_text` or `_display`."""
    return [
        {"url": codes.TRANSLATION, "extension": [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": words}]}
        for lang, words in text.root.items() if lang != "en" and words
    ]


def _loinc(code: str, display: str) -> Json:
    return {"system": codes.LOINC, "code": code, "display": display}
