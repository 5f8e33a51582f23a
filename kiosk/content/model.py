"""Typed content model: what a content folder may say, and nothing more.

Every model forbids unknown keys, so a misspelt key in a YAML file is an
error naming that key rather than a silently ignored setting. Patient-facing
strings are `Text` (one string per language); clinician-facing strings are
plain English, because the clinician PDF is always English.

The models are plain frozen dataclasses: the loader validates YAML into them
with pydantic (`Rule` carries each constraint to it, `__post_init__` holds the
checks that span fields), while a daily start reads the compiled copy without
importing pydantic at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, Union


class Rule:
    """A pydantic `Field(...)` constraint, written down without importing pydantic (it is applied when validating)."""

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(**self.constraints)])


Operator = Literal["exists", "=", "!=", ">", "<", ">=", "<="]
QuestionType = Literal["choice", "multi", "boolean", "date", "integer", "decimal", "string", "text"]
Identifier = Annotated[str, Rule(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
# A LOINC code (`44249-1`) or LOINC answer code (`LA6568-5`).
Loinc = Annotated[str, Rule(pattern=r"^(LA)?[0-9]{1,8}-[0-9]$")]


class Severity(StrEnum):
    """Flag tiers, most pressing first: this order is the one ranking (queue, report, FHIR priority).

    `urgent` also alerts staff at once; `stop` is a contraindication to giving naltrexone today. The values
    are what content files and stored payloads say, so they never change.
    """

    URGENT = "urgent"
    STOP = "stop"
    REVIEW = "review"
    INFO = "info"

    @property
    def rank(self) -> int:
        return SEVERITY_ORDER[self]


SEVERITY_ORDER: dict[str, int] = {severity.value: rank for rank, severity in enumerate(Severity)}


@dataclass(frozen=True, kw_only=True)
class Strict:
    """Base of every content model: unknown keys are errors, values are immutable, fields are given by name."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}  # read by pydantic when validating


@dataclass(frozen=True)
class Text:
    """One patient-facing string in every offered language, e.g. `{en: Next, es: Siguiente}`."""

    root: dict[str, str]

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        # written in YAML as the mapping itself, not under a `root` key; one `Text` definition in the JSON Schema
        return core_schema.no_info_after_validator_function(
            cls, core_schema.dict_schema(core_schema.str_schema(), core_schema.str_schema()), ref="Text",
            serialization=core_schema.plain_serializer_function_ser_schema(lambda text: text.root))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        return {**handler(schema), "title": "Text", "description": cls.__doc__}

    def get(self, language: str, fallback: str = "en") -> str:
        return self.root.get(language) or self.root.get(fallback, "")


@dataclass(frozen=True, kw_only=True)
class Condition(Strict):
    """One test in the shape of FHIR `enableWhen`: a question, a score or a derived value, an operator, a value.

    `positive` names an instrument and compares whether its total reached the
    cut-off that applies to this patient (`answer: true`), so a flag can follow
    a sex-specific cut-off without repeating it.
    """

    question: Identifier | None = None
    score: Identifier | None = None
    derived: Identifier | None = None
    positive: Identifier | None = None
    operator: Operator
    answer: bool | int | float | str | None = None

    def __post_init__(self) -> None:
        subjects = [s for s in (self.question, self.score, self.derived, self.positive) if s is not None]
        if len(subjects) != 1:
            raise ValueError("a condition names exactly one of question, score, derived or positive")
        if self.positive is not None and (self.operator not in ("=", "!=") or not isinstance(self.answer, bool)):
            raise ValueError("a 'positive' condition takes operator '=' or '!=' and answer: true or false")
        if self.operator == "exists":
            if not isinstance(self.answer, bool):
                raise ValueError("operator 'exists' takes answer: true or answer: false")
        elif self.answer is None:
            raise ValueError(f"operator '{self.operator}' needs an answer to compare with")


    @property
    def subject(self) -> str:
        return self.question or self.score or self.derived or self.positive or ""


@dataclass(frozen=True, kw_only=True)
class Conditional(Strict):
    """Anything shown or raised only when its conditions hold (all of them, or any)."""

    enable_when: list[Condition] = field(default_factory=list)
    enable_behavior: Literal["all", "any"] = "all"


@dataclass(frozen=True, kw_only=True)
class Option(Strict):
    """One answer to a choice or multi question. `exclusive` ("None of these") on a multi question
    cannot be chosen together with any other option."""

    code: Annotated[str, Rule(min_length=1, max_length=64)]
    text: Text
    score: int | None = None
    correct: bool = False
    loinc: Loinc | None = None
    exclusive: bool = False
    # For a "how long ago" quick choice: the fewest days ago this choice can mean
    # (the conservative end of its range), read by a `days_since` derived value.
    days: Annotated[int, Rule(ge=0)] | None = None


@dataclass(frozen=True, kw_only=True)
class Implied(Strict):
    """The answer a question takes when it was left empty but a later question was answered.

    Responses made before a question existed carry only the later answer (an
    exact date without the quick choice that now leads to it); this keeps them
    valid and scored.
    """

    answer: Annotated[str, Rule(min_length=1, max_length=64)]
    when_answered: Identifier


@dataclass(frozen=True, kw_only=True)
class Question(Conditional):
    id: Identifier
    type: QuestionType
    text: Text
    help: Text | None = None
    required: bool = True
    options: list[Option] = field(default_factory=list)
    min: float | None = None
    max: float | None = None
    max_length: Annotated[int, Rule(gt=0, le=2000)] | None = None
    past_only: bool = False
    loinc: Loinc | None = None
    clinician_label: str | None = None
    feedback: Text | None = None
    implied: Implied | None = None

    def __post_init__(self) -> None:
        if self.type in ("choice", "multi"):
            if len(self.options) < 2:
                raise ValueError(f"a {self.type} question needs at least two options")
            codes = [o.code for o in self.options]
            dupes = sorted({c for c in codes if codes.count(c) > 1})
            if dupes:
                raise ValueError(f"duplicate option code {dupes[0]!r}")
            if self.type == "choice" and any(o.exclusive for o in self.options):
                raise ValueError("exclusive applies only to options of a multi question (a choice takes one answer anyway)")
            if sum(o.exclusive for o in self.options) == len(self.options):
                raise ValueError("every option is exclusive: at least one must combine with others")
        elif self.options:
            raise ValueError(f"a {self.type} question takes no options")
        if self.max_length is not None and self.type not in ("string", "text"):
            raise ValueError("max_length applies only to string and text questions")
        if (self.min is not None or self.max is not None) and self.type not in ("integer", "decimal"):
            raise ValueError("min and max apply only to integer and decimal questions")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        if self.implied is not None and (self.type != "choice" or self.option(self.implied.answer) is None):
            raise ValueError("implied.answer must be an option code of a choice question")
        if any(o.days is not None for o in self.options) and self.type != "choice":
            raise ValueError("options with days belong to a choice question")


    @property
    def text_limit(self) -> int:
        """Longest answer a patient may type: shown while typing and enforced by the control."""
        if self.max_length is not None:
            return self.max_length
        return 1000 if self.type == "text" else 120

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True, kw_only=True)
class InfoPage(Conditional):
    """An education screen: a title, a short body and a picture."""

    kind: Literal["info"]
    id: Identifier
    title: Text
    body: Text
    icon: str | None = None


@dataclass(frozen=True, kw_only=True)
class ConsentPage(Conditional):
    """The privacy notice and consent, shown before any personal question."""

    kind: Literal["consent"]
    id: Identifier
    title: Text
    body: Text
    agree: Text
    signature: bool = False


@dataclass(frozen=True, kw_only=True)
class QuestionPage(Conditional):
    kind: Literal["questions"]
    id: Identifier
    title: Text
    intro: Text | None = None
    section: str
    questions: list[Question]
    teach_back: bool = False

    def __post_init__(self) -> None:
        if not self.questions:
            raise ValueError("a questions page needs at least one question")


Page = Annotated[Union[InfoPage, ConsentPage, QuestionPage], Rule(discriminator="kind")]


@dataclass(frozen=True, kw_only=True)
class Band(Strict):
    min: int
    max: int
    label: str


@dataclass(frozen=True, kw_only=True)
class Cutoff(Conditional):
    """A positive-screen threshold; the first whose conditions hold applies, and its note is printed."""

    value: int
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Instrument(Strict):
    """A validated questionnaire, scored as the sum of its items' option scores (`scoring: sum`).

    `scoring: items` is for screens such as TAPS-1 where each item stands alone
    (flags read the items) and no total exists. `skipped_items_score` is what an
    item counts when branching skipped it (AUDIT-C: 0 when the patient never drinks).
    """

    id: Identifier
    name: str
    items: list[Identifier]
    scoring: Literal["sum", "items"] = "sum"
    skipped_items_score: int | None = None
    loinc_panel: Loinc | None = None
    loinc_total: Loinc | None = None
    bands: list[Band] = field(default_factory=list)
    cutoffs: list[Cutoff] = field(default_factory=list)
    credit: str = ""

    def __post_init__(self) -> None:
        if self.scoring == "items" and (self.bands or self.cutoffs or self.loinc_total):
            raise ValueError("an instrument scored by items has no total: no bands, cutoffs or loinc_total")
        previous: int | None = None
        for band in self.bands:
            if band.min > band.max:
                raise ValueError(f"band {band.label!r} has min {band.min} above max {band.max}")
            if previous is not None and band.min != previous + 1:
                raise ValueError(f"band {band.label!r} starts at {band.min}, expected {previous + 1}")
            previous = band.max


@dataclass(frozen=True, kw_only=True)
class Derived(Strict):
    """A value computed from answers; today only whole days from a date answer to the visit date.

    `kind_question` names the question that says what the date is about (which
    opioid), so the clinician sees the days beside the kind they are judged against.
    `choice_question` is a quick choice ("4-6 days ago") whose options carry
    `days`, the fewest days each can mean; an exact date, when given, wins.
    """

    id: Identifier
    kind: Literal["days_since"]
    question: Identifier
    kind_question: Identifier | None = None
    choice_question: Identifier | None = None
    label: str


@dataclass(frozen=True, kw_only=True)
class FlagRule(Conditional):
    """A flag for the clinician, raised when its conditions hold. Urgent flags also alert staff at once."""

    id: Identifier
    severity: Severity
    clinician: str

    def __post_init__(self) -> None:
        if not self.enable_when:
            raise ValueError("a flag needs at least one condition in enable_when")


@dataclass(frozen=True, kw_only=True)
class ContentFile(Strict):
    """What one content file under `files:` may hold."""

    pages: list[Page] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    flags: list[FlagRule] = field(default_factory=list)
