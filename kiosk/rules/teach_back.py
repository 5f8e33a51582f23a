"""Teach-back grading: was the patient's choice the right one, and what to tell them, in full sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.content import Content
from kiosk.content.model import Question

SENTENCE_ENDS = (".", "!", "?", "…")


@dataclass(frozen=True)
class TeachBackFeedback:
    """`right` picks the words and the icon; `text` is what the patient reads."""

    right: bool
    text: str


def sentence(text: str) -> str:
    """Ends with a full stop unless it already ends a sentence ("7 to 10 days" -> "7 to 10 days.")."""
    text = text.strip()
    return text if not text or text.endswith(SENTENCE_ENDS) else text + "."


def grade(content: Content, question: Question, value: Any, language: str) -> TeachBackFeedback | None:
    """None before an answer, or for a question without a right answer."""
    right = next((o for o in question.options if o.correct), None)
    if value is None or right is None:
        return None
    if value == right.code:
        parts = [content.text("teach_back_right", language)]
    else:
        answer = content.text("teach_back_answer", language).format(answer=right.text.get(language))
        parts = [content.text("teach_back_not_quite", language), sentence(answer)]
    if question.feedback is not None:
        parts.append(sentence(question.feedback.get(language)))
    return TeachBackFeedback(value == right.code, " ".join(parts))
