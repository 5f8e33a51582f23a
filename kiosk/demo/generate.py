"""Make synthetic training patients by walking the content as a patient would, with plausible answers.

Answers follow the content's own branching, re-checked after every answer so
a follow-up on the same page (the kind and date of the last opioid) is filled
in; scored items lean towards the low end as in a clinic's waiting room; an
exclusive "None of these" is never ticked together with a symptom; teach-back
questions are mostly answered right. About one patient in ten raises an
urgent flag, whatever the content's rules for it are: templates are sorted
into pools by their own assessment.

Walking and scoring cost most of the time, so a few hundred walked templates
are re-dated and re-named for each patient. Moving the visit and every date
answer by the same number of days keeps each derived value (days since the
last opioid) and therefore the whole assessment the same, so a template's
assessment is reused as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from kiosk.rules.assessment import Assessment, assess
from kiosk.rules.conditions import all_hold
from kiosk.content import Content
from kiosk.content.model import ConsentPage, Option, Question, QuestionPage
from kiosk.rules.flow import effective_answers
from kiosk.storage.submissions import DEMO_SOURCE, Submission

FIRST = ["Alex", "Maria", "José", "Sam", "Jordan", "Taylor", "Chris", "Dana", "Lee", "Ana", "Luis", "Kim", "Robin",
         "Jamie", "Casey", "Morgan", "Avery", "Riley", "Noor", "Ivan", "Olga", "Chen", "Aisha", "Mateo", "Sofía"]
LAST = ["Smith", "Garcia", "Johnson", "Nguyen", "Brown", "Martinez", "Lee", "Walker", "Hernández", "Young", "King",
        "Lopez", "Hill", "Scott", "Green", "Adams", "Baker", "Rivera", "Campbell", "Mitchell", "Perez", "Roberts",
        "Turner", "Phillips", "Evans", "Petrov", "Okafor", "Kowalski", "Haddad", "Tanaka"]
PHRASES = ["I work nights", "Worried about the shot", "My sister drives me", "Prefer mornings", "No pharmacy nearby",
           "Had a rough week", "Ready to start", "Questions about my liver"]
FINISHED_STATUS = {"reviewed": 55, "printed": 25, "new": 20}
URGENT_SHARE = 0.10
ABANDONED_SHARE = 0.08
# Who comes to a naltrexone clinic: most have used opioids in the past month; other yes/no answers are less common.
YES_SHARE = {"opioid_ever": 0.6, "past_naltrexone": 0.25}
DEFAULT_YES = 0.08
# Most patients answer "no" to a health question and few are unsure; other choices are spread evenly.
LIKELY_CODES = {"no": 12.0, "none": 12.0, "unsure": 0.6}
SCORE_DECAY = 0.4        # each higher-scoring option is this much less likely than the one before
TEACH_BACK_RIGHT = 0.85
NONE_ONLY = 0.75         # an exclusive "None of these" is ticked alone this often
POOL_SIZE = {"urgent": 40, "calm": 260, "abandoned": 40}
MAX_WALKS = 5000


@dataclass(frozen=True)
class Template:
    """One walked patient: answers without identity, and the assessment they give on `visit`."""

    visit: dt.date
    answers: dict[str, Any]
    assessment: Assessment
    date_questions: tuple[str, ...]


def _is_exclusive(option: Option) -> bool:
    return bool(getattr(option, "exclusive", False)) or option.code == "none"


class DemoPatients:
    def __init__(self, content: Content, seed: int = 1, days: int = 180, now: dt.datetime | None = None) -> None:
        self.content = content
        self.random = random.Random(seed)
        self.days = max(1, days)
        self.now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._pools: dict[str, list[Template]] | None = None

    # -- one answer --------------------------------------------------------------

    def name(self) -> str:
        return f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"

    def dob(self, visit: dt.date) -> str:
        return (visit - dt.timedelta(days=self.random.randint(18 * 365, 75 * 365))).isoformat()

    def answer(self, question: Question, visit: dt.date) -> Any:
        identity = self.content.manifest.identity
        r = self.random
        if question.id == identity.name:
            return self.name()
        if question.id == identity.dob:
            return self.dob(visit)
        if question.type == "choice":
            return self._choice(question)
        if question.type == "multi":
            return self._multi(question)
        if question.type == "boolean":
            return r.random() < YES_SHARE.get(question.id, DEFAULT_YES)
        if question.type == "date":
            return (visit - dt.timedelta(days=r.randint(1, 30))).isoformat()
        if question.type in ("integer", "decimal"):
            low = int(question.min or 0)
            high = int(question.max) if question.max is not None else low + 30
            return r.randint(low, min(high, low + 30))
        if not question.required and r.random() < 0.6:
            return ""
        return r.choice(PHRASES)[: question.text_limit]

    def _choice(self, question: Question) -> str:
        options, r = question.options, self.random
        right = [o for o in options if o.correct]
        if right:
            wrong = [o for o in options if not o.correct]
            return (r.choice(right) if r.random() < TEACH_BACK_RIGHT or not wrong else r.choice(wrong)).code
        if any(o.score is not None for o in options):
            ranked = sorted(options, key=lambda o: o.score or 0)
            return r.choices(ranked, weights=[SCORE_DECAY ** i for i in range(len(ranked))])[0].code
        weights = [LIKELY_CODES.get(o.code, 1.0) for o in options]
        return r.choices(options, weights=weights)[0].code

    def _multi(self, question: Question) -> list[str]:
        r = self.random
        exclusive = [o for o in question.options if _is_exclusive(o)]
        others = [o for o in question.options if not _is_exclusive(o)]
        if exclusive and (r.random() < NONE_ONLY or not others):
            return [exclusive[0].code]
        picked = r.sample(others, r.randint(1, min(3, len(others))))
        return [o.code for o in others if o in picked]  # in the order the screen lists them

    # -- one patient ----------------------------------------------------------------

    def _walk(self, visit: dt.date, stop_page: int | None = None) -> dict[str, Any]:
        """One patient's answers; visibility is checked again after every answer, as the wizard does on screen.

        Conditions look only at earlier questions and a hidden question is never answered here, so the answers so
        far are already the effective ones.
        """
        answers: dict[str, Any] = {}
        for number, page in enumerate(self.content.pages):
            if stop_page is not None and number >= stop_page:
                break
            if not all_hold(page.enable_when, page.enable_behavior, answers):
                continue
            if isinstance(page, ConsentPage):
                answers[page.id] = True
            elif isinstance(page, QuestionPage):
                for question in page.questions:
                    if all_hold(question.enable_when, question.enable_behavior, answers):
                        answers[question.id] = self.answer(question, visit)
        return effective_answers(self.content, answers)

    def _template(self, pool: str, visit: dt.date) -> Template:
        identity = self.content.manifest.identity
        stop = None
        if pool == "abandoned":
            question_pages = [i for i, p in enumerate(self.content.pages) if isinstance(p, QuestionPage)]
            stop = self.random.choice(question_pages[1:] or question_pages)
        answers = self._walk(visit, stop)
        found = assess(self.content, answers, visit)
        for qid in (identity.name, identity.dob):
            answers.pop(qid, None)
        dates = tuple(q for q in answers if q in self.content.questions and self.content.questions[q].type == "date")
        return Template(visit, answers, found, dates)

    @property
    def pools(self) -> dict[str, list[Template]]:
        """Finished patients split by whether they raise an urgent flag, and sessions left part-way."""
        if self._pools is None:
            pools: dict[str, list[Template]] = {name: [] for name in POOL_SIZE}
            visit = self.now.astimezone().date()
            walks = 0
            while any(len(pools[n]) < POOL_SIZE[n] for n in ("urgent", "calm")) and walks < MAX_WALKS:
                template = self._template("calm", visit)
                walks += 1
                kind = "urgent" if template.assessment.urgent else "calm"
                if len(pools[kind]) < POOL_SIZE[kind]:
                    pools[kind].append(template)
            while len(pools["abandoned"]) < POOL_SIZE["abandoned"]:
                pools["abandoned"].append(self._template("abandoned", visit))
            self._pools = {name: templates or pools["calm"] for name, templates in pools.items()}
        return self._pools

    def submission(self) -> Submission:
        r = self.random
        when = self.now - dt.timedelta(seconds=r.randint(0, self.days * 86400))
        visit = when.astimezone().date()
        draw = r.random()
        pool = "abandoned" if draw < ABANDONED_SHARE else "urgent" if draw < ABANDONED_SHARE + URGENT_SHARE else "calm"
        template = r.choice(self.pools[pool])
        shift = visit - template.visit
        answers = dict(template.answers)
        for qid in template.date_questions:
            answers[qid] = (dt.date.fromisoformat(answers[qid]) + shift).isoformat()
        identity = self.content.manifest.identity
        answers[identity.name] = self.name()
        answers[identity.dob] = self.dob(visit)
        status = "abandoned" if pool == "abandoned" else r.choices(list(FINISHED_STATUS), list(FINISHED_STATUS.values()))[0]
        return Submission(id=f"{r.getrandbits(128):032x}", started_at=when - dt.timedelta(minutes=r.randint(6, 25)),
                          content_version=self.content.version, language=r.choice(self.content.languages),
                          answers=answers, assessment=replace(template.assessment), submitted_at=when, status=status,
                          source=DEMO_SOURCE)

    def __iter__(self) -> Iterator[Submission]:
        while True:
            yield self.submission()
