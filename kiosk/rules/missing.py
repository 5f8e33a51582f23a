"""Required questions an imported response left unanswered, named as flags for the clinician.

The wizard never lets a required question pass empty, so only imports reach
here. An unanswered question is tiered by the most pressing flag that reads
it: PHQ-9 item 9 missing is as urgent as item 9 answered above 0, a missing
answer a STOP rule reads cannot rule that contraindication out, and anything
else is for review.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.rules.assessment import Evidence, Flag, clinician_label
from kiosk.content import Content
from kiosk.content.model import SEVERITY_ORDER, Condition, QuestionPage
from kiosk.rules.answers import is_empty
from kiosk.rules.flow import visible_pages, visible_questions

MISSING_PREFIX = "not_answered_"


def missing_answer_flags(content: Content, answers: Mapping[str, Any]) -> tuple[Flag, ...]:
    flags = []
    for page in visible_pages(content, answers):
        if not isinstance(page, QuestionPage) or page.teach_back:
            continue
        for question in visible_questions(content, page, answers):
            if question.required and is_empty(answers.get(question.id)):
                label = clinician_label(question)
                flags.append(Flag(f"{MISSING_PREFIX}{question.id}", _tier(content, question.id, answers),
                                  f"Not answered: {label}: ask directly", (Evidence(label, "not answered"),)))
    return tuple(flags)


def _tier(content: Content, question_id: str, answers: Mapping[str, Any], seen: frozenset[str] = frozenset()) -> str:
    """The most pressing tier among the flags that read this answer, directly, through a derived value,
    or through the unanswered questions it opens (a missing "any opioid use?" hides the date a STOP rule reads)."""
    def reads(condition: Condition) -> bool:
        derived = content.derived.get(condition.derived or "")
        return condition.question == question_id or (derived is not None and derived.question == question_id)

    tiers = [rule.severity for rule in content.flags if any(reads(c) for c in rule.enable_when)]
    for other in content.questions.values():
        page = content.page_of.get(other.id)
        gates = [*other.enable_when, *(page.enable_when if page is not None else [])]
        if other.id not in seen and is_empty(answers.get(other.id)) and any(c.question == question_id for c in gates):
            tiers.append(_tier(content, other.id, answers, seen | {question_id, other.id}))
    pressing = min(tiers, key=SEVERITY_ORDER.__getitem__, default="review")
    return pressing if pressing in ("urgent", "stop") else "review"
