"""Make synthetic submissions by walking the content as a patient would, with random but valid answers.

Answers follow the content's own branching (only visible questions are
answered), go through the one assessment, and are sealed and indexed like real
ones, so the console, search and benchmarks see what a clinic would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from kiosk.content import Content
from kiosk.content.model import ConsentPage, Question, QuestionPage
from kiosk.flow import visible_pages, visible_questions
from kiosk.pipeline import finalize
from kiosk.storage.submissions import Submission

FIRST = ["Alex", "Maria", "José", "Sam", "Jordan", "Taylor", "Chris", "Dana", "Lee", "Ana", "Luis", "Kim", "Robin",
         "Jamie", "Casey", "Morgan", "Avery", "Riley", "Noor", "Ivan", "Olga", "Chen", "Aisha", "Mateo", "Sofía"]
LAST = ["Smith", "Garcia", "Johnson", "Nguyen", "Brown", "Martinez", "Lee", "Walker", "Hernández", "Young", "King",
        "Lopez", "Hill", "Scott", "Green", "Adams", "Baker", "Rivera", "Campbell", "Mitchell", "Perez", "Roberts",
        "Turner", "Phillips", "Evans", "Petrov", "Okafor", "Kowalski", "Haddad", "Tanaka"]
PHRASES = ["I work nights", "Worried about the shot", "My sister drives me", "Prefer mornings", "No pharmacy nearby",
           "Had a rough week", "Ready to start", "Questions about my liver"]
STATUS_WEIGHTS = {"reviewed": 55, "printed": 22, "new": 15, "abandoned": 8}
TEMPLATES = 300


class DemoPatients:
    def __init__(self, content: Content, seed: int = 1, days: int = 180, now: dt.datetime | None = None) -> None:
        self.content = content
        self.random = random.Random(seed)
        self.days = days
        self.now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._templates: list[tuple[dt.date, dict[str, Any]]] = []

    def name(self) -> str:
        return f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"

    def answer(self, question: Question, visit: dt.date) -> Any:
        identity = self.content.manifest.identity
        r = self.random
        if question.id == identity.name:
            return self.name()
        if question.id == identity.dob:
            return (visit - dt.timedelta(days=r.randint(18 * 365, 75 * 365))).isoformat()
        if question.type == "choice":
            return r.choice(question.options).code
        if question.type == "multi":
            return [o.code for o in r.sample(question.options, r.randint(1, min(3, len(question.options))))]
        if question.type == "boolean":
            return r.random() < 0.3
        if question.type == "date":
            return (visit - dt.timedelta(days=r.randint(1, 60))).isoformat()
        if question.type in ("integer", "decimal"):
            low = int(question.min or 0)
            high = int(question.max) if question.max is not None else low + 30
            return r.randint(low, min(high, low + 30))
        if not question.required and r.random() < 0.6:
            return ""
        return r.choice(PHRASES)[: question.text_limit]

    def _walk(self, visit: dt.date) -> dict[str, Any]:
        """One patient's answers, following the content's branching as the wizard would."""
        answers: dict[str, Any] = {}
        for page in visible_pages(self.content, answers):
            if isinstance(page, ConsentPage):
                answers[page.id] = True
            elif isinstance(page, QuestionPage):
                for question in visible_questions(self.content, page, answers):
                    answers[question.id] = self.answer(question, visit)
        return answers

    def _from_template(self, visit: dt.date) -> dict[str, Any]:
        """Walking the branching is most of the cost; a few hundred walks, re-dated and re-named, give the spread."""
        if len(self._templates) < TEMPLATES:
            self._templates.append((visit, self._walk(visit)))
        base_visit, base = self.random.choice(self._templates)
        shift = visit - base_visit
        identity = self.content.manifest.identity
        answers = dict(base)
        for qid, value in base.items():
            question = self.content.questions.get(qid)
            if question is not None and question.type == "date" and qid != identity.dob:
                answers[qid] = (dt.date.fromisoformat(value) + shift).isoformat()
        answers[identity.name] = self.name()
        answers[identity.dob] = self.answer(self.content.questions[identity.dob], visit)
        return answers

    def submission(self) -> Submission:
        r = self.random
        when = self.now - dt.timedelta(seconds=r.randint(0, self.days * 86400))
        visit = when.astimezone().date()
        answers = self._from_template(visit)
        language = r.choice(self.content.languages)
        submission = Submission(id=f"{r.getrandbits(128):032x}", started_at=when - dt.timedelta(minutes=r.randint(6, 25)),
                                content_version=self.content.version, language=language, answers=answers, source="demo")
        finalize(self.content, submission, when)
        submission.status = r.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        return submission

    def __iter__(self) -> Iterator[Submission]:
        while True:
            yield self.submission()
