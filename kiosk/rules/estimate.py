"""How long an intake takes, computed from the content: reading at 100 words a minute plus 2 seconds a tap.

The typical paths are a first visit in each language, for the pill and the
shot, for a woman and a man: a patient who used a short-acting opioid last
week, drinks a little and otherwise answers "no". Reading counts every word
on each screen the patient sees (titles, text, questions and the answers
under each, or once for a grid of items sharing them, teach-back feedback,
the review of their answers); taps count each answer,
each Next, and the letters of a typed name. The welcome screen promises the
longest of these, rounded up, so the promise follows the content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kiosk.content import Content
from kiosk.content.manifest import INTAKE
from kiosk.content.model import ConsentPage, InfoPage, Question, QuestionPage
from kiosk.rules.flow import visible_pages, visible_questions
from kiosk.rules.scales import is_grid, layout_blocks

WORDS_PER_MINUTE = 100
SECONDS_PER_TAP = 2.0
# Taps for the parts of the form that are not one tap: a date opens its first part, then picks three.
DATE_TAPS = 4
SIGNATURE_TAPS = 3
TYPED_NAME = "Maria Lopez"
# A typical patient at a naltrexone clinic: opioid use last week, some drinking, "no" elsewhere.
TYPICAL: dict[str, Any] = {
    "education_before": "first_time",
    "opioid_ever": True,
    "last_opioid_kind": "short_acting",
    "last_opioid_when": "days_7_10",
    "audit_c_1": "monthly_or_less",
    "audit_c_2": "one_or_two",
    "audit_c_3": "never",
}
BENIGN = ("no", "none", "never", "not_at_all")
FORMS = {"pill": "tablet", "shot": "injection"}
PROMISED = "promised_minutes"  # the key of the welcome screen's figure in `Content.figures`
SEXES = ("female", "male")


@dataclass(frozen=True)
class ScreenCost:
    """What one screen asks of the patient: words read and taps."""

    name: str
    words: int
    taps: int

    @property
    def seconds(self) -> float:
        return self.words / WORDS_PER_MINUTE * 60 + self.taps * SECONDS_PER_TAP


@dataclass(frozen=True)
class PathEstimate:
    language: str
    form: str
    sex: str
    screens: int
    words: int
    taps: int
    parts: tuple[ScreenCost, ...] = ()

    @property
    def seconds(self) -> float:
        return self.words / WORDS_PER_MINUTE * 60 + self.taps * SECONDS_PER_TAP

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    @property
    def name(self) -> str:
        return f"{self.language}, {self.form}, {self.sex}"


def typical_paths(content: Content) -> list[PathEstimate]:
    """Every typical path: each language, pill and shot, female and male."""
    return [estimate_path(content, language, form, sex)
            for language in content.languages for form in FORMS for sex in SEXES]


def promised_minutes(content: Content) -> int:
    """What the welcome screen promises: the longest typical path, in whole minutes rounded up.

    Worked out once per content and kept in its figures, which the compiled copy stores: a daily start reads it.
    """
    known = content.figures.get(PROMISED)
    if not isinstance(known, int):
        known = content.figures[PROMISED] = max(1, math.ceil(max(p.minutes for p in typical_paths(content)) - 1e-9))
    return known


def welcome_text(content: Content, language: str) -> str:
    """The welcome screen's body with `{minutes}` filled from the estimate, never typed in by hand."""
    return content.text("welcome_body", language).replace("{minutes}", str(promised_minutes(content)))


def typical_answers(content: Content, form: str, sex: str) -> dict[str, Any]:
    """The answers of one typical patient, walked in page order as the wizard shows them."""
    identity = content.manifest.identity
    fixed = dict(TYPICAL)
    if identity.sex:
        fixed[identity.sex] = sex
    if identity.preference:
        fixed[identity.preference] = FORMS[form]
    answers: dict[str, Any] = {}
    for page in visible_pages(content, answers):
        if isinstance(page, ConsentPage):
            answers[page.id] = True
    for page in content.pages:
        if isinstance(page, QuestionPage) and page in visible_pages(content, answers):
            for question in page.questions:
                if question in visible_questions(content, page, answers):
                    value = fixed[question.id] if question.id in fixed else _typical(content, question)
                    if value is not None:
                        answers[question.id] = value
    return answers


def _typical(content: Content, question: Question) -> Any:
    identity = content.manifest.identity
    if question.id == identity.name:
        return TYPED_NAME
    if question.type == "date":
        return "1988-04-09"
    if question.type in ("choice", "multi"):
        codes = [o.code for o in question.options]
        right = [o.code for o in question.options if o.correct]
        pick = right[0] if right else next((c for c in BENIGN if c in codes), codes[0])
        return [pick] if question.type == "multi" else pick
    if question.type == "boolean":
        return False
    if question.type in ("integer", "decimal"):
        return int(question.min or 0) + 1 if question.required else None
    return "I work nights" if question.required else None


def estimate_path(content: Content, language: str, form: str, sex: str) -> PathEstimate:
    parts = screen_costs(content, language, form, sex)
    return PathEstimate(language, form, sex, len(parts), sum(p.words for p in parts), sum(p.taps for p in parts),
                        tuple(parts))


def screen_costs(content: Content, language: str, form: str, sex: str) -> list[ScreenCost]:
    """Words and taps screen by screen, in the order the patient meets them (welcome to thank-you)."""
    answers = typical_answers(content, form, sex)
    pages = visible_pages(content, answers)

    def text(key: str) -> str:
        return content.text(key, language)

    # Welcome: its words and the visit choice (the first visit is chosen already; coming back is a tap), then Start.
    titles = _visit_titles(content, language)
    choice = _count(text("visit_question"), *titles) if len(titles) > 1 and "visit_question" in content.ui.strings else 0
    taps = 1 + (1 if content.visit != INTAKE and len(titles) > 1 else 0)
    parts = [ScreenCost("welcome", _count(text("welcome_title"), text("welcome_body")) + choice, taps)]
    for page in pages:
        words, taps = _count(page.title.get(language)), 1  # Next
        if isinstance(page, InfoPage):
            words += _count(page.body.get(language))
        elif isinstance(page, ConsentPage):
            words += _count(page.body.get(language), page.agree.get(language))
            taps += 1 + (SIGNATURE_TAPS if page.signature else 0)
        elif isinstance(page, QuestionPage):
            words += _count(page.intro.get(language) if page.intro else "")
            shown = {q.id for q in visible_questions(content, page, answers)}
            for block in layout_blocks(page):
                # a grid shows its shared answers once, as column headers; elsewhere each question shows its own
                grid = is_grid(block)
                for index, question in enumerate(q for q in block if q.id in shown):
                    w, t = _question_cost(content, question, answers.get(question.id), language,
                                          answers_shown=not grid or index == 0)
                    words += w
                    taps += t
        parts.append(ScreenCost(page.id, words, taps))
    # Review: the patient reads the screen's words and checks each answer they gave.
    review = _count(text("review_title"), text("review_intro"))
    review += sum(_count(_answer_words(content, q, answers.get(q.id), language))
                  for p in pages if isinstance(p, QuestionPage) for q in visible_questions(content, p, answers))
    parts.append(ScreenCost("review", review, 1))  # Submit
    parts.append(ScreenCost("thanks", _count(text("thanks_title"), text("thanks_body")), 1))  # Done
    return parts


def _visit_titles(content: Content, language: str) -> list[str]:
    """The visit types welcome offers, by title (the intake's title is read from the intake's own manifest)."""
    manifest = content.manifest
    if not manifest.visits:
        return []
    first = manifest.title if content.visit == INTAKE else _intake_title(content)
    return [t.get(language) for t in (first, *(v.title for v in manifest.visits)) if t is not None]


def _intake_title(content: Content) -> Any:
    from kiosk.content import ContentInvalid, load_content

    try:
        return load_content(content.folder, visit=INTAKE).manifest.title
    except (ContentInvalid, OSError):  # a folder that cannot be read again only loses a title's words
        return None


def _question_cost(content: Content, question: Question, value: Any, language: str,
                   answers_shown: bool = True) -> tuple[int, int]:
    """Words read and taps for one question; `answers_shown` is False for a grid row under headers already read."""
    words = _count(question.text.get(language), question.help.get(language) if question.help else "")
    if question.type in ("choice", "multi"):
        if answers_shown:
            words += _count(*(o.text.get(language) for o in question.options))
        if question.type == "multi":
            words += _count(content.text("select_all", language))
        if question.feedback is not None and value is not None:
            words += _count(question.feedback.get(language))
        chosen = len(value) if isinstance(value, list) else int(value is not None)
        return words, chosen
    if question.type == "boolean":
        return words + _count(content.text("yes", language), content.text("no", language)), 1
    if question.type == "date":
        return words, DATE_TAPS
    if question.type in ("integer", "decimal"):
        return words, 2 if value is not None else 0
    return words, len(value) if isinstance(value, str) else 0


def _answer_words(content: Content, question: Question, value: Any, language: str) -> str:
    from kiosk.rules.assessment import display_answer

    return display_answer(question, value, language) or content.text("not_answered", language)


def _count(*texts: str) -> int:
    return sum(len(text.split()) for text in texts if text)


def summary(estimates: list[PathEstimate]) -> list[str]:
    """The report `tools/estimate_time.py` prints; its last line names the longest typical path."""
    lines = [f"{'path':<22} {'screens':>7} {'words':>6} {'taps':>5} {'minutes':>8}"]
    for p in estimates:
        lines.append(f"{p.name:<22} {p.screens:>7} {p.words:>6} {p.taps:>5} {p.minutes:>8.1f}")
    lines.append(f"reading at {WORDS_PER_MINUTE} words a minute, {SECONDS_PER_TAP:g} s a tap")
    longest = max(estimates, key=lambda p: p.minutes)
    if longest.parts:
        lines.append(f"by screen, {longest.name}:")
        lines.append(f"  {'screen':<22} {'words':>6} {'taps':>5} {'seconds':>8}")
        for part in longest.parts:
            lines.append(f"  {part.name:<22} {part.words:>6} {part.taps:>5} {part.seconds:>8.0f}")
    lines.append(f"longest typical path: {max(p.minutes for p in estimates):.1f} minutes")
    return lines
