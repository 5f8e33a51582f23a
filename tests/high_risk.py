"""The realistic high-risk patient: heroin 3 days ago, sweating and yawning now, not sure if pregnant,
liver disease, PHQ-9 item 9 "several days". Used by the page-1 layout, STOP tier and import tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.content import Content
from report_samples import GOLDEN_TIME, complete_answers, typical_answer

HIGH_RISK_CHANGES: dict[str, Any] = {
    "sex_at_birth": "female",
    "opioid_ever": True,
    "last_opioid_kind": "short_acting",
    "last_opioid_when": "exact_date",
    "last_opioid_date": (GOLDEN_TIME.date() - dt.timedelta(days=3)).isoformat(),
    "withdrawal_now": ["sweating", "yawning"],
    "pregnant": "unsure",
    "liver_disease": "yes",
    "phq9_9": "several_days",
}


BENIGN = ("no", "none", "not_at_all", "never")


def high_risk_answers(content: Content) -> dict[str, Any]:
    """A complete intake (teach-back understood, otherwise "no" wherever a question allows) with the answers above."""
    def choose(content: Content, question: Any) -> Any:
        if question.id in HIGH_RISK_CHANGES:
            return HIGH_RISK_CHANGES[question.id]
        codes = [o.code for o in question.options]
        benign = next((c for c in BENIGN if c in codes), None)
        if benign is not None and not any(o.correct for o in question.options):
            return [benign] if question.type == "multi" else benign
        return typical_answer(content, question)

    answers = complete_answers(content, choose)
    answers.update(HIGH_RISK_CHANGES)
    return answers
