"""One rule says when an answer is missing; conditions, the review screen and the flow all follow it."""

from __future__ import annotations

import pytest

from kiosk.rules.answers import is_empty
from kiosk.rules.assessment import display_answer
from kiosk.rules.conditions import holds
from kiosk.content import Content
from kiosk.content.model import Condition


@pytest.mark.parametrize("value, empty", [(None, True), ("", True), ([], True), (False, False), (0, False),
                                          ("no", False), (["a"], False)])
def test_empty_means_nothing_given_and_false_or_zero_are_answers(value, empty: bool, content: Content) -> None:
    assert is_empty(value) is empty
    given = Condition(question="q", operator="exists", answer=True)
    assert holds(given, {"q": value}) is not empty, "`exists` follows the same rule"
    question = next(q for q in content.questions.values() if q.type == "integer")
    if empty:
        assert display_answer(question, value) == "", "an empty answer shows as nothing on the report"
    assert (display_answer(question, 0) == "0") and not is_empty(0)
