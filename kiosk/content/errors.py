"""Content errors as a catalog: each names the file, the place in it and what is wrong.

Clinic staff edit these files by hand, so every message must point at the
exact key to fix (`screening.yaml:41 pages[2].questions[0].text.es: ...`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MESSAGES: dict[str, str] = {
    "file_missing": "file not found: {path}",
    "not_yaml": "not valid YAML: {detail}",
    "yaml_alias": "YAML aliases (*name) here would expand the file to more than {limit} values ({size} so far); "
                  "refused: write the values out, or use fewer nested aliases",
    "not_mapping": "the file must hold a mapping of keys, not {kind}",
    "schema": "{detail}",
    "unknown_key": "unknown key {key!r}; allowed here: {allowed}",
    "missing_translation": "missing {language!r} translation",
    "unknown_language": "text in {language!r}, which the manifest does not offer",
    "duplicate_id": "duplicate id {id!r} (first defined at {first})",
    "unknown_question": "condition refers to question {id!r}, which does not exist",
    "unknown_score": "condition refers to score {id!r}, which no instrument defines",
    "unknown_derived": "condition refers to derived value {id!r}, which is not defined",
    "forward_reference": "condition refers to question {id!r}, which is asked later; a page can only depend on earlier answers",
    "bad_answer_type": "answer {answer!r} does not fit question {id!r} of type {type}",
    "unknown_option": "answer {answer!r} is not an option code of question {id!r} (codes: {codes})",
    "operator_type": "operator {operator!r} cannot compare a {type} question",
    "instrument_item": "instrument item {id!r} is not a question",
    "instrument_unscored": "instrument item {id!r} has option {option!r} without a score",
    "score_table": "bands cover {low}-{high} but the item scores add up to {min_total}-{max_total}",
    "identity_question": "identity {role} names question {id!r}, which does not exist",
    "missing_ui_string": "UI string {key!r} is missing",
    "icon_missing": "picture {icon!r} not found in resources/images",
    "derived_question": "derived value reads question {id!r}, which is not a date question",
    "derived_kind_question": "derived value's kind_question {id!r} is not a choice question",
    "derived_choice_question": "derived value's choice_question {id!r} is not a choice question with options that give days",
    "yes_no_order": "question {id!r} lists a no answer ({no!r}) before a yes answer ({yes!r}); put Yes first, as every yes/no question does",
    "unknown_positive": "condition refers to instrument {id!r}, which does not exist or has no cut-off",
    "condition_subject": "a page or question can only depend on an earlier answer: use 'question', not a score or derived value",
    "unknown_visit": "no visit type {visit!r} in this folder (visit types: {known})",
    "teach_back_correct": "teach-back question {id!r} must be a choice with exactly one option marked correct: true",
}


@dataclass(frozen=True)
class ContentError:
    """One problem in one content file, printed as `file:line place: message`."""

    file: str
    place: str
    code: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}:{self.place}: {self.message}" if self.place else f"{where}: {self.message}"


def error(file: str, place: str, code: str, line: int | None = None, **values: object) -> ContentError:
    return ContentError(file=file, place=place, code=code, message=MESSAGES[code].format(**values), line=line)


class ContentInvalid(Exception):
    """Raised when a content folder cannot be used; carries every error found, not just the first."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def format_loc(loc: tuple[Any, ...]) -> str:
    """A place in a file as staff read it: `pages[2].questions[0].text.es`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
