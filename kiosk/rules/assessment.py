"""Scores, derived values and flags: the one scorer every answer goes through.

The wizard, an imported FHIR response and the report all call `assess`; no
other module computes a score. Flags inform the clinician; nothing here
decides eligibility.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.rules.answers import is_empty
from kiosk.rules.conditions import all_hold, holds
from kiosk.content import Content
from kiosk.content.model import SEVERITY_ORDER, Severity, Condition, Instrument, Question


@dataclass(frozen=True)
class Score:
    instrument: str
    name: str
    total: int
    items_answered: int
    items_total: int
    band: str
    cutoff: int | None
    cutoff_note: str
    positive: bool
    loinc_panel: str | None
    loinc_total: str | None
    item_scores: tuple[tuple[str, int], ...] = ()

    @property
    def complete(self) -> bool:
        return self.items_answered == self.items_total

    @property
    def screen(self) -> str:
        """The screen result in words. Missing items never read "negative": only a cut-off
        already reached by the answered items is a result ("positive (incomplete)")."""
        if self.complete:
            return "positive" if self.positive else "negative"
        if self.positive:
            return "positive (incomplete)"
        return f"incomplete ({self.items_answered} of {self.items_total})"


@dataclass(frozen=True)
class Evidence:
    """One answer or value that raised a flag, in the clinician's words."""

    label: str
    value: str


@dataclass(frozen=True)
class Flag:
    id: str
    severity: str
    text: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Assessment:
    scores: dict[str, Score] = field(default_factory=dict)
    derived: dict[str, int] = field(default_factory=dict)
    flags: tuple[Flag, ...] = ()

    @property
    def urgent(self) -> bool:
        return any(f.severity == Severity.URGENT for f in self.flags)

    @property
    def contraindications(self) -> tuple[Flag, ...]:
        """The `stop` flags: what the answers say against giving naltrexone today."""
        return tuple(f for f in self.flags if f.severity == "stop")

    @property
    def top_severity(self) -> str | None:
        return self.flags[0].severity if self.flags else None


def assess(content: Content, answers: Mapping[str, Any], visit_date: dt.date) -> Assessment:
    """Score the instruments, compute derived values and raise flags from effective answers."""
    scores = {i.id: s for i in content.instruments.values() if (s := score(content, i, answers)) is not None}
    totals = {key: s.total for key, s in scores.items()}
    positive = {key: s.positive for key, s in scores.items() if s.cutoff is not None}
    derived = derive(content, answers, visit_date)
    flags: list[Flag] = []
    for rule in content.flags:
        if all_hold(rule.enable_when, rule.enable_behavior, answers, totals, derived, positive):
            evidence = tuple(
                _evidence(content, c, answers, scores, derived)
                for c in rule.enable_when
                if holds(c, answers, totals, derived, positive)
            )
            flags.append(Flag(rule.id, rule.severity, rule.clinician, tuple(dict.fromkeys(evidence))))
    flags.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return Assessment(scores=scores, derived=derived, flags=tuple(flags))


def score(content: Content, instrument: Instrument, answers: Mapping[str, Any]) -> Score | None:
    """Sum of the items' option scores; None when the patient answered none of the items.

    An item that branching skipped counts `skipped_items_score` when the
    instrument sets one; an instrument scored by items has no total at all.
    """
    if instrument.scoring != "sum":
        return None
    item_scores: list[tuple[str, int]] = []
    answered = False
    for item in instrument.items:
        question = content.questions[item]
        option = question.option(answers[item]) if isinstance(answers.get(item), str) else None
        if option is not None and option.score is not None:
            item_scores.append((item, option.score))
            answered = True
        elif instrument.skipped_items_score is not None and _skipped(content, question, answers):
            item_scores.append((item, instrument.skipped_items_score))
    if not answered:
        return None
    total = sum(points for _, points in item_scores)
    band = next((b.label for b in instrument.bands if b.min <= total <= b.max), "")
    cutoff = next((c for c in instrument.cutoffs if all_hold(c.enable_when, c.enable_behavior, answers)), None)
    return Score(
        instrument=instrument.id,
        name=instrument.name,
        total=total,
        items_answered=len(item_scores),
        items_total=len(instrument.items),
        band=band,
        cutoff=cutoff.value if cutoff else None,
        cutoff_note=cutoff.note if cutoff else "",
        positive=cutoff is not None and total >= cutoff.value,
        loinc_panel=instrument.loinc_panel,
        loinc_total=instrument.loinc_total,
        item_scores=tuple(item_scores),
    )


def _skipped(content: Content, question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether branching hid this question from the patient, given their other answers."""
    page = content.page_of[question.id]
    shown = all_hold(page.enable_when, page.enable_behavior, answers)
    return not (shown and all_hold(question.enable_when, question.enable_behavior, answers))


def derive(content: Content, answers: Mapping[str, Any], visit_date: dt.date) -> dict[str, int]:
    """Days since a date: from the exact date when given, else the fewest days the quick choice can mean."""
    values: dict[str, int] = {}
    for derived in content.derived.values():
        raw = answers.get(derived.question)
        try:
            day = dt.date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            day = None
        if day is not None:
            values[derived.id] = (visit_date - day).days
            continue
        fewest = quick_choice_days(content, derived.choice_question, answers)
        if fewest is not None:
            values[derived.id] = fewest
    return values


def quick_choice_days(content: Content, question_id: str | None, answers: Mapping[str, Any]) -> int | None:
    """The conservative end (fewest days) of the range a "how long ago" choice stands for; None for "not sure"."""
    question = content.questions.get(question_id or "")
    chosen = answers.get(question_id or "")
    option = question.option(chosen) if question is not None and isinstance(chosen, str) else None
    return option.days if option is not None else None


def display_answer(question: Question, value: Any, language: str = "en") -> str:
    """An answer as words (English for the clinician unless asked otherwise)."""
    if is_empty(value):
        return ""
    if question.type == "choice":
        option = question.option(str(value))
        return option.text.get(language) if option else str(value)
    if question.type == "multi":
        return "; ".join(display_answer_option(question, v, language) for v in value)
    if question.type == "boolean":
        return ("Yes" if value else "No") if language == "en" else ("Sí" if value else "No")
    if question.type == "decimal" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display_answer_option(question: Question, code: str, language: str) -> str:
    option = question.option(code)
    return option.text.get(language) if option else code


def clinician_label(question: Question) -> str:
    return question.clinician_label or question.text.get("en")


def _evidence(content: Content, condition: Condition, answers: Mapping[str, Any],
              scores: Mapping[str, Score], derived: Mapping[str, int]) -> Evidence:
    if condition.question is not None:
        question = content.questions[condition.question]
        return Evidence(clinician_label(question), display_answer(question, answers.get(question.id)))
    if condition.score is not None:
        found = scores[condition.score]
        return Evidence(f"{found.name} total", str(found.total))
    if condition.positive is not None:
        found = scores[condition.positive]
        note = f"; {found.cutoff_note}" if found.cutoff_note else ""
        return Evidence(f"{found.name} total", f"{found.total} (cut-off {found.cutoff}{note})")
    info = content.derived[condition.derived or ""]
    return Evidence(info.label, derived_words(content, info.id, answers, derived))


def derived_words(content: Content, derived_id: str, answers: Mapping[str, Any], derived: Mapping[str, int],
                  unit: str = "") -> str:
    """A derived value for the clinician; one from a quick choice says so, as the fewest days of its range."""
    info = content.derived[derived_id]
    value = derived.get(derived_id)
    if value is None:
        return ""
    if info.choice_question and not answers.get(info.question) and answers.get(info.choice_question):
        question = content.questions[info.choice_question]
        chose = display_answer(question, answers[info.choice_question])
        return f"{value}{unit} (patient chose: {chose}; the fewest days it can mean)"
    return f"{value}{unit}"
