"""Teach-back on the real page: as soon as the patient chooses, they are told the right answer and why."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton

from kiosk.content import Content
from kiosk.rules.teach_back import sentence
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_wizard_e2e import by_name, click, complete_page, nav


def visible_texts(window) -> list[str]:
    return [label.text() for label in window.page.findChildren(QLabel) if label.isVisibleTo(window.page) and label.text()]


def go_to_teach_back(qtbot, window, controller) -> None:
    click(qtbot, nav(window, "Start"))
    while controller.session.position != "teach_back":
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))


def test_choosing_shows_the_right_answer_and_the_reason_at_once(qtbot, kiosk, content: Content) -> None:
    window, controller, _ = kiosk
    go_to_teach_back(qtbot, window, controller)
    question = content.questions["tb_overdose"]
    right = next(o for o in question.options if o.correct)
    feedback = question.feedback.get("en")
    assert not any(feedback in text for text in visible_texts(window)), "nothing is told before choosing"

    click(qtbot, by_name(window.page, QRadioButton, question.option("safe").text.get("en")))
    told = [t for t in visible_texts(window) if feedback in t]
    assert told == [f"Not quite. {sentence('The answer is: ' + right.text.get('en'))} {feedback}"]

    click(qtbot, by_name(window.page, QRadioButton, right.text.get("en")))
    assert [t for t in visible_texts(window) if feedback in t] == [f"That's right! {feedback}"]
    assert controller.answers()["tb_overdose"] == right.code


def test_feedback_follows_a_language_switch(qtbot, kiosk, content: Content) -> None:
    window, controller, _ = kiosk
    go_to_teach_back(qtbot, window, controller)
    question = content.questions["tb_opioid_free"]
    click(qtbot, by_name(window.page, QRadioButton, question.option("one_day").text.get("en")))
    click(qtbot, by_name(window, QPushButton, "Español"))
    right = next(o for o in question.options if o.correct)
    expected = f"No exactamente. {sentence('La respuesta es: ' + right.text.get('es'))} {question.feedback.get('es')}"
    assert expected in visible_texts(window)
    assert controller.answers()["tb_opioid_free"] == "one_day"
