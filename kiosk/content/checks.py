"""Checks that span files: ids, references, translations, score tables, pictures.

The models check each file's shape; these check that the files make sense
together, so a broken reference is found by `check-content`, not by a patient.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterator

from kiosk.content.bundle import Content
from kiosk.content.errors import ContentError, error, format_loc
from kiosk.content.model import Condition, Conditional, ConsentPage, InfoPage, Option, Question, QuestionPage, Text

# Every UI string the Qt views ask for; a content folder must translate all of them.
REQUIRED_UI_STRINGS: tuple[str, ...] = (
    "welcome_title", "welcome_body", "start", "next", "back", "submit", "step_of",
    "review_title", "review_intro", "change", "not_answered", "yes", "no",
    "thanks_title", "thanks_body", "thanks_next", "required_missing", "invalid_number",
    "invalid_date", "number_range", "chars_left", "date_day", "date_month", "date_year",
    "need_help", "help_called", "read_aloud", "text_size", "high_contrast", "language",
    "still_here", "idle_warning", "not_saved", "crisis_title", "crisis_body",
    "teach_back_right", "teach_back_answer", "consent_required", "signature_hint",
    "signature_clear", "signature_required", "signature_type", "select_all", "out_of_service", "decrease", "increase",
    "this_language", "months", "date_pick_month", "date_pick_day", "date_pick_year", "date_february",
    "date_february_leap", "date_month_days", "date_in_future",
    "crisis_continue", "crisis_banner", "ok", "start_over", "start_over_title", "start_over_body",
    "start_over_no", "start_over_yes", "teach_back_not_quite",
)

COMPARABLE_TYPES = {"integer", "decimal", "date"}


def cross_check(content: Content, images: Path) -> list[ContentError]:
    errors: list[ContentError] = []
    errors += _check_translations(content)
    errors += _check_ids(content)
    errors += _check_conditions(content)
    errors += _check_instruments(content)
    errors += _check_identity_and_ui(content)
    errors += _check_pictures(content, images)
    errors += _check_teach_back(content)
    errors += _check_yes_no_order(content)
    return errors


def walk_texts(model: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Text]]:
    """Every patient-facing Text inside a model, with its place."""
    if isinstance(model, Text):
        yield loc, model
    elif dataclasses.is_dataclass(model) and not isinstance(model, type):
        for item in dataclasses.fields(model):
            yield from walk_texts(getattr(model, item.name), loc + (item.name,))
    elif isinstance(model, (list, tuple)):
        for index, item in enumerate(model):
            yield from walk_texts(item, loc + (index,))
    elif isinstance(model, dict):
        for key, item in model.items():
            yield from walk_texts(item, loc + (key,))


def _place(loc: tuple[Any, ...]) -> str:
    return format_loc(loc)


def _check_translations(content: Content) -> list[ContentError]:
    errors: list[ContentError] = []
    languages = content.languages
    sources: list[tuple[str, Any]] = [(content.manifest.ui, content.ui)]
    sources += list(content.files.items())
    for name, model in sources:
        for loc, text in walk_texts(model):
            for language in languages:
                if not (text.root.get(language) or "").strip():
                    errors.append(error(name, _place(loc + (language,)), "missing_translation", language=language))
            for language in text.root:
                if language not in languages:
                    errors.append(error(name, _place(loc + (language,)), "unknown_language", language=language))
    return errors


def _question_places(content: Content) -> Iterator[tuple[str, tuple[Any, ...], Question]]:
    for name, file in content.files.items():
        for p, page in enumerate(file.pages):
            if isinstance(page, QuestionPage):
                for q, question in enumerate(page.questions):
                    yield name, ("pages", p, "questions", q), question


def _check_ids(content: Content) -> list[ContentError]:
    errors: list[ContentError] = []
    seen: dict[tuple[str, str], str] = {}

    def note(kind: str, ident: str, name: str, loc: tuple[Any, ...]) -> None:
        where = f"{name}:{_place(loc)}"
        first = seen.setdefault((kind, ident), where)
        if first != where:
            errors.append(error(name, _place(loc + ("id",)), "duplicate_id", id=ident, first=first))

    for name, file in content.files.items():
        for p, page in enumerate(file.pages):
            note("page", page.id, name, ("pages", p))
        for i, inst in enumerate(file.instruments):
            note("instrument", inst.id, name, ("instruments", i))
        for d, derived in enumerate(file.derived):
            note("derived", derived.id, name, ("derived", d))
        for f, flag in enumerate(file.flags):
            note("flag", flag.id, name, ("flags", f))
    for name, loc, question in _question_places(content):
        note("question", question.id, name, loc)
    return errors


def _conditionals(content: Content) -> Iterator[tuple[str, tuple[Any, ...], Conditional, int | None]]:
    """Every conditional thing with its place and the position before which its questions must be asked."""
    order = {qid: index for index, qid in enumerate(content.questions)}
    for name, file in content.files.items():
        for p, page in enumerate(file.pages):
            first = None
            if isinstance(page, QuestionPage):
                first = min(order.get(q.id, 0) for q in page.questions)
                for q, question in enumerate(page.questions):
                    yield name, ("pages", p, "questions", q), question, order.get(question.id)
            yield name, ("pages", p), page, first
        for i, inst in enumerate(file.instruments):
            for c, cutoff in enumerate(inst.cutoffs):
                yield name, ("instruments", i, "cutoffs", c), cutoff, None
        for f, flag in enumerate(file.flags):
            yield name, ("flags", f), flag, None


def _check_conditions(content: Content) -> list[ContentError]:
    errors: list[ContentError] = []
    order = {qid: index for index, qid in enumerate(content.questions)}
    for name, loc, item, before in _conditionals(content):
        asked = isinstance(item, (Question, InfoPage, ConsentPage, QuestionPage))
        for c, condition in enumerate(item.enable_when):
            place = _place(loc + ("enable_when", c))
            if asked and condition.question is None:
                # What a patient sees may only depend on their answers (FHIR enableWhen names a question).
                errors.append(error(name, place, "condition_subject"))
                continue
            errors += _check_condition(content, name, place, condition, order, before)
    for name, file in content.files.items():
        for d, derived in enumerate(file.derived):
            question = content.questions.get(derived.question)
            if question is None or question.type != "date":
                errors.append(error(name, _place(("derived", d, "question")), "derived_question", id=derived.question))
            if derived.kind_question is not None:
                kind = content.questions.get(derived.kind_question)
                if kind is None or kind.type != "choice":
                    errors.append(error(name, _place(("derived", d, "kind_question")), "derived_kind_question",
                                        id=derived.kind_question))
            if derived.choice_question is not None:
                quick = content.questions.get(derived.choice_question)
                if quick is None or not any(o.days is not None for o in quick.options):
                    errors.append(error(name, _place(("derived", d, "choice_question")), "derived_choice_question",
                                        id=derived.choice_question))
    for name, loc, question in _question_places(content):
        if question.implied is not None and question.implied.when_answered not in content.questions:
            errors.append(error(name, _place(loc + ("implied", "when_answered")), "unknown_question",
                                id=question.implied.when_answered))
    return errors


def _check_condition(
    content: Content, name: str, place: str, condition: Condition, order: dict[str, int], before: int | None
) -> list[ContentError]:
    if condition.score is not None:
        if condition.score not in content.instruments:
            return [error(name, place + ".score", "unknown_score", id=condition.score)]
        return []
    if condition.derived is not None:
        if condition.derived not in content.derived:
            return [error(name, place + ".derived", "unknown_derived", id=condition.derived)]
        return []
    if condition.positive is not None:
        instrument = content.instruments.get(condition.positive)
        if instrument is None or not instrument.cutoffs:
            return [error(name, place + ".positive", "unknown_positive", id=condition.positive)]
        return []
    qid = condition.question or ""
    question = content.questions.get(qid)
    if question is None:
        return [error(name, place + ".question", "unknown_question", id=qid)]
    if before is not None and order[qid] >= before:
        return [error(name, place + ".question", "forward_reference", id=qid)]
    if condition.operator == "exists":
        return []
    answer = condition.answer
    if condition.operator in (">", "<", ">=", "<=") and question.type not in COMPARABLE_TYPES:
        return [error(name, place + ".operator", "operator_type", operator=condition.operator, type=question.type)]
    if question.type in ("choice", "multi"):
        if question.option(str(answer)) is None:
            codes = ", ".join(o.code for o in question.options)
            return [error(name, place + ".answer", "unknown_option", answer=answer, id=qid, codes=codes)]
        return []
    fits = {
        "boolean": isinstance(answer, bool),
        "integer": isinstance(answer, int) and not isinstance(answer, bool),
        "decimal": isinstance(answer, (int, float)) and not isinstance(answer, bool),
        "date": isinstance(answer, str),
        "string": isinstance(answer, str),
        "text": isinstance(answer, str),
    }
    if not fits[question.type]:
        return [error(name, place + ".answer", "bad_answer_type", answer=answer, id=qid, type=question.type)]
    return []


def _check_instruments(content: Content) -> list[ContentError]:
    errors: list[ContentError] = []
    for name, file in content.files.items():
        for i, inst in enumerate(file.instruments):
            low = high = 0
            before = len(errors)
            for n, item in enumerate(inst.items):
                question = content.questions.get(item)
                if question is None or question.type != "choice":
                    errors.append(error(name, _place(("instruments", i, "items", n)), "instrument_item", id=item))
                    continue
                unscored = [o.code for o in question.options if o.score is None]
                if unscored:
                    errors.append(error(name, _place(("instruments", i, "items", n)), "instrument_unscored", id=item, option=unscored[0]))
                    continue
                scores = [o.score or 0 for o in question.options]
                low += min(scores)
                high += max(scores)
            if inst.bands and len(errors) == before:
                if inst.bands[0].min != low or inst.bands[-1].max != high:
                    errors.append(error(name, _place(("instruments", i, "bands")), "score_table",
                                        low=inst.bands[0].min, high=inst.bands[-1].max, min_total=low, max_total=high))
    return errors


def _check_identity_and_ui(content: Content) -> list[ContentError]:
    errors: list[ContentError] = []
    identity = content.manifest.identity
    for role in ("name", "dob", "sex", "preference"):
        qid = getattr(identity, role)
        if qid is not None and qid not in content.questions:
            errors.append(error("manifest.yaml", f"identity.{role}", "identity_question", role=role, id=qid))
    for key in REQUIRED_UI_STRINGS:
        if key not in content.ui.strings:
            errors.append(error(content.manifest.ui, f"strings.{key}", "missing_ui_string", key=key))
    return errors


def _check_teach_back(content: Content) -> list[ContentError]:
    """A teach-back question tells the patient the right answer, so it must have exactly one."""
    errors: list[ContentError] = []
    for name, file in content.files.items():
        for p, page in enumerate(file.pages):
            if isinstance(page, QuestionPage) and page.teach_back:
                for q, question in enumerate(page.questions):
                    right = [o for o in question.options if o.correct]
                    if question.type != "choice" or len(right) != 1:
                        errors.append(error(name, _place(("pages", p, "questions", q)), "teach_back_correct", id=question.id))
    return errors


def _check_pictures(content: Content, images: Path) -> list[ContentError]:
    errors: list[ContentError] = []
    for name, file in content.files.items():
        for p, page in enumerate(file.pages):
            if isinstance(page, InfoPage) and page.icon and not (images / page.icon).is_file():
                errors.append(error(name, _place(("pages", p, "icon")), "icon_missing", icon=page.icon))
    return errors


def _says(option: Option, word: str) -> bool:
    """Whether an option answers plainly yes (or no): its code, or English text "Yes" / "Yes, ..."."""
    text = option.text.get("en").strip()
    return option.code == word.lower() or text == word or text.startswith(word + ",")


def _check_yes_no_order(content: Content) -> list[ContentError]:
    """Yes comes before No in every question, as on yes/no questions, so a patient's habit never picks wrong."""
    errors: list[ContentError] = []
    for name, loc, question in _question_places(content):
        first_no: int | None = None
        for o, option in enumerate(question.options):
            if _says(option, "No") and first_no is None:
                first_no = o
            elif _says(option, "Yes") and first_no is not None:
                errors.append(error(name, _place(loc + ("options", first_no)), "yes_no_order", id=question.id,
                                    no=question.options[first_no].code, yes=option.code))
                break
    return errors
