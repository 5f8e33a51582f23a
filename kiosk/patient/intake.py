"""The patient's path through the kiosk, as plain logic the Qt view drives and displays.

Like Mu's `Editor`, the controller holds the state and decides; the view only
shows what it is told through a few plain methods (`IntakeView`). So the whole
path, including validation, branching, review and submit, tests without Qt.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Mapping

from kiosk.rules.assessment import assess
from kiosk.content import Content
from kiosk.content.model import ConsentPage, Page, QuestionPage
from kiosk.content.model import Severity
from kiosk.rules.flow import Problem, effective_answers, page_problems, visible_pages
from kiosk.patient.after_commit import RenderJob, settle_answer
from kiosk.patient.pipeline import Outcome, commit_submission
from kiosk.printing.outbox import Outbox
from kiosk.system.clock import utc_now
from kiosk.settings import ASK_VISIT
from kiosk.storage.repository import SubmissionRepository
from kiosk.storage.submissions import SessionEvents, Status, Submission, new_submission_id
from kiosk.rules.teach_back import TeachBackFeedback, grade
from kiosk.patient.session import (
    REVIEW,
    THANKS,
    WELCOME,
    Delivery,
    IntakeView,
    NullJournal,
    PatientSession,
    Screen,
    SessionJournal,
)

# What callers may take from here besides the controller (they live in session.py).
__all__ = ["REVIEW", "THANKS", "WELCOME", "Delivery", "IntakeController", "IntakeView", "NullJournal",
           "PatientSession", "Screen", "SessionJournal"]

log = logging.getLogger(__name__)


class IntakeController:
    def __init__(self, content: Content, store: SubmissionRepository, outbox_dir: Path, clinic: Callable[[], str],
                 clock: Callable[[], dt.datetime] = utc_now, journal: SessionJournal | None = None,
                 delivery: Delivery | None = None, visits: Mapping[str, Content] | None = None,
                 visit_setting: Callable[[], str] = lambda: ASK_VISIT) -> None:
        # Every visit type's questionnaire; `content` is the one this patient answers (the default until chosen).
        self.visits: dict[str, Content] = dict(visits) if visits else {content.visit: content}
        self.default_content = content
        self.visit_setting = visit_setting
        self.content = content
        self.delivery = delivery or Delivery()
        self.journal: SessionJournal = journal or NullJournal()
        self.store = store
        self.outbox_dir = outbox_dir
        self.clinic = clinic
        self.clock = clock
        self.view: IntakeView | None = None
        self.session = PatientSession(language=content.languages[0], visit=content.visit)
        self._fix_visit()

    # -- what the view reads ---------------------------------------------------

    def sequence(self) -> list[str]:
        """The screens this patient will see, in order, given the answers so far."""
        return [WELCOME] + [p.id for p in visible_pages(self.content, self.session.answers)] + [REVIEW, THANKS]

    def screen(self) -> Screen:
        return self._screen_at(self.session.position, self.sequence())

    def upcoming(self) -> Screen | None:
        """The content page Next would show if this page's answers pass, so the view can build it ahead of time."""
        position = self.session.position
        sequence = self.sequence()
        if position in (REVIEW, THANKS) or self.session.return_to_review or position not in sequence:
            return None
        target = sequence[min(sequence.index(position) + 1, len(sequence) - 2)]
        return None if target in (REVIEW, position) else self._screen_at(target, sequence)

    def _screen_at(self, position: str, sequence: list[str]) -> Screen:
        counted = sequence[1:-1]
        step = counted.index(position) + 1 if position in counted else 0
        page = next((p for p in self.content.pages if p.id == position), None)
        return Screen(position, page, step, len(counted), self.session.language)

    def answers(self) -> dict[str, Any]:
        return self.session.answers

    def review_rows(self) -> list[tuple[str, str, str]]:
        """(page id, question text in the patient's language, answer) for every visible question."""
        from kiosk.rules.assessment import display_answer
        from kiosk.rules.flow import date_words, visible_questions

        language = self.session.language
        rows = []
        for page in visible_pages(self.content, self.session.answers):
            if isinstance(page, QuestionPage):
                for question in visible_questions(self.content, page, self.session.answers):
                    raw = self.session.answers.get(question.id)
                    value = date_words(self.content, raw, language) if question.type == "date" else ""
                    value = value or display_answer(question, raw, language)
                    rows.append((page.id, question.text.get(language), value or self.content.text("not_answered", language)))
        return rows

    # -- what the patient does ---------------------------------------------------

    def attach(self, view: IntakeView) -> None:
        self.view = view
        self._show()

    def set_language(self, language: str) -> None:
        if language in self.content.languages:
            self.session.language = language
            self._show()

    def set_answer(self, question_id: str, value: Any) -> None:
        self.session.answers[question_id] = value
        self._autosave()

    def set_signature(self, png: bytes | None) -> None:
        self.session.signature_png = png
        self._autosave()

    def visit_choices(self) -> list[tuple[str, str]]:
        """(visit id, title in the patient's language) for welcome to offer; empty when this kiosk's setting
        fixes the visit type or the content has only one."""
        if self.visit_setting() != ASK_VISIT or len(self.visits) < 2:
            return []
        language = self.session.language
        return [(visit, c.manifest.title.get(language) if c.manifest.title is not None else visit)
                for visit, c in self.visits.items()]

    def choose_visit(self, visit: str) -> None:
        """On welcome, before any answer: this patient answers `visit`'s questionnaire."""
        if self.session.position != WELCOME or visit not in dict(self.visit_choices()):
            return
        self.content = self.visits[visit]
        self.session.visit = visit
        self.session.answers.clear()
        self._show()  # welcome again, promising this visit type's own time

    def _fix_visit(self) -> None:
        """The kiosk's visit-type setting: a fixed visit type applies to every patient; "ask" starts at the default."""
        fixed = self.visit_setting()
        wanted = fixed if fixed in self.visits else self.default_content.visit
        if self.content.visit != wanted:  # a patient who chose another visit type: the next one starts over
            self.content = self.visits.get(wanted, self.default_content)
        self.session.visit = self.content.visit

    def start(self) -> None:
        self._go(self.sequence()[1])

    def next(self) -> bool:
        """Leave the current page if its answers are acceptable; False keeps the patient there."""
        position = self.session.position
        if position == WELCOME:
            self.start()
            return True
        if position == REVIEW:
            return self.submit()
        page = self.screen().page
        if page is not None:
            problems = self._problems(page)
            if problems:
                if self.view:
                    self.view.show_problems(problems)
                return False
            self._check_urgent()
        sequence = self.sequence()
        if self.session.return_to_review:
            self.session.return_to_review = False
            self._go(REVIEW)
            return True
        index = sequence.index(position) if position in sequence else 0
        self._go(sequence[min(index + 1, len(sequence) - 2)])
        return True

    def back(self) -> None:
        sequence = self.sequence()
        position = self.session.position
        if position in (WELCOME, THANKS) or position not in sequence:
            return
        index = sequence.index(position)
        if index > 1:
            self.session.return_to_review = False
            self._go(sequence[index - 1])

    def change(self, page_id: str) -> None:
        """From review: back to one page, then straight back to review."""
        if page_id in self.sequence():
            self.session.return_to_review = True
            self._go(page_id)

    def submit(self) -> bool:
        """Commit, then thank the patient at once. A failed write keeps every answer in memory for a retry.

        Success means this session's answers are the stored row. The PDF is drawn
        and printed afterwards in a child process (`settle_printing`); nothing can
        take the thank-you away: render, print, outbox and autosave clean-up
        failures are logged for staff (the PDF can be made again from the store).
        """
        for page in visible_pages(self.content, self.session.answers):
            if self._problems(page):
                self.change(page.id)
                if self.view:
                    self.view.show_problems(self._problems(page))
                return False
        self._check_urgent()
        s = self.session
        if s.submitted is not None:  # already committed by this session: a second tap changes nothing
            self._go(THANKS)
            return True
        submission = Submission(id=s.id, started_at=s.started_at, content_version=self.content.version,
                                language=s.language, answers=dict(s.answers), signature_png=s.signature_png,
                                events=s.events, visit=self.content.visit)
        try:
            stored = commit_submission(self.content, self.store, submission, now=self.clock())
        except Exception as exc:  # noqa: BLE001 - any failure to save must keep the answers and tell the patient
            log.error("submit failed (%s); answers kept in memory for a retry", type(exc).__name__)
            if self.view:
                self.view.show_not_saved()
            return False
        if not stored:
            self._conflict(s)
            return False
        s.submitted = Outcome(submission=submission, stored=True)
        self._after_commit(s)
        self._go(THANKS)
        self._print_later(submission)
        return True

    def _print_later(self, submission: Submission) -> None:
        """Draw and print in a child process; the answer is settled by `settle_printing` on this thread."""
        try:
            job = RenderJob(self.content, submission, self.clinic(), self.delivery.logo(), self.delivery.printer(),
                            os.getpid())
            outbox = Outbox(self.outbox_dir, seal=self.delivery.seal)
            self.delivery.render.start(job, lambda rendered: settle_answer(
                submission.id, rendered, outbox, mark_printed=lambda sid: self.store.set_status(sid, Status.PRINTED)))
        except Exception as exc:  # noqa: BLE001 - the answers are committed; staff print them from the console
            log.error("submission %s saved, but its PDF could not be started (%s); staff can print it from the "
                      "console", submission.id[:8], type(exc).__name__)

    def settle_printing(self, wait_s: float | None = 0) -> int:
        """Record what the render processes answered: printed, or the PDF kept in the outbox, or a failure logged
        for staff. `wait_s` > 0 (or None: as long as it takes) first waits for the children. Returns how many
        are still running."""
        render = self.delivery.render
        return render.collect() if wait_s == 0 else render.wait(wait_s)

    def _conflict(self, s: PatientSession) -> None:
        """The id was already taken by a row that is not this submit (another process kept it as abandoned):
        these answers are not stored. Keep them, give the session a fresh id so a retry stores them, tell staff."""
        log.error("submit conflict: submission %s already holds a stored row that is not this session's answers; "
                  "answers kept in memory under a new id for a retry", s.id[:8])
        old_id, s.id = s.id, new_submission_id()
        try:
            self.journal.forget(old_id)
            self.journal.record(s)
        except Exception as exc:  # noqa: BLE001 - the answers are still in memory; autosave is a safety net
            log.error("autosave after a submit conflict failed (%s)", type(exc).__name__)
        if self.view:
            self.view.show_not_saved()

    def _after_commit(self, s: PatientSession) -> None:
        """The answers are safe; what remains may fail without the patient hearing of it."""
        try:
            self.journal.forget(s.id)
        except Exception as exc:  # noqa: BLE001 - a leftover autosave is dropped at the next start (the row exists)
            log.error("submission %s saved, but its autosave could not be removed (%s)", s.id[:8], type(exc).__name__)

    def finish(self) -> None:
        """Thank-you done: forget this patient entirely and greet the next."""
        self.reset()

    def advance(self) -> bool:
        """The patient's Next button: the next page, or on the thank-you screen the next patient. True when that
        ended the visit (the view then drops this patient's text size and contrast too)."""
        if self.thanked():
            self.finish()
            return True
        self.next()
        return False

    def thanked(self) -> bool:
        """The answers are stored and the patient sees the thank-you screen."""
        return self.session.position == THANKS

    def waiting(self) -> bool:
        """Nobody has started: the welcome screen."""
        return self.session.position == WELCOME

    @property
    def language(self) -> str:
        return self.session.language

    @property
    def signature(self) -> bytes | None:
        return self.session.signature_png

    def crisis_shown(self) -> bool:
        """Crisis information was shown to this patient (later screens keep a banner)."""
        return self.session.events.crisis_shown_at is not None

    def abandon(self) -> None:
        """The patient walked away: the journal keeps what they gave for staff (or drops it, per the live
        setting), and the screen is wiped."""
        if self.session.position not in (WELCOME, THANKS) and self.session.answers:
            try:
                self.journal.abandon(self.session)
            except Exception:  # logged with its traceback; wiping the screen must happen even if the disk fails
                log.exception("could not keep or drop the abandoned session")
        self.reset()

    def in_progress(self) -> bool:
        """Whether a patient is mid-intake (the idle timer only runs then)."""
        return self.session.position not in (WELCOME, THANKS)

    def reset(self) -> None:
        self.session = PatientSession(language=self.default_content.languages[0])
        self._fix_visit()
        self._show()

    def current_problems(self) -> dict[str, str]:
        """What still stops Next on the current page (so the view can drop a message once it is fixed)."""
        page = self.screen().page
        return self._problems(page) if page is not None else {}

    def teach_back(self, question_id: str, value: Any) -> TeachBackFeedback | None:
        """Right or not quite, with the right answer and why, for a teach-back choice (None before a choice)."""
        return grade(self.content, self.content.questions[question_id], value, self.session.language)

    def teach_back_notes(self, question_id: str) -> tuple[str, str]:
        """The two notes a teach-back question can show (right, not quite), so the view can keep room for either."""
        question = self.content.questions[question_id]
        right = next((o.code for o in question.options if o.correct), None)
        wrong = next((o.code for o in question.options if not o.correct), None)
        notes = [grade(self.content, question, code, self.session.language) for code in (right, wrong)]
        return notes[0].text if notes[0] else "", notes[1].text if notes[1] else ""

    def record_crisis_shown(self, at: dt.datetime | None = None, alert_mode: str | None = None) -> None:
        """The view showed this patient the crisis information (and alerted staff by `alert_mode`, e.g. "sound").

        The first showing is the one the clinician reads on the PDF; later ones keep it.
        """
        if self.session.events.crisis_shown_at is None:
            self.session.events = SessionEvents(crisis_shown_at=at or self.clock(), staff_alert=alert_mode)
            self._autosave()

    def call_for_help(self) -> None:
        if self.view:
            self.view.alert_staff("help")

    # -- inside ------------------------------------------------------------------

    def _problems(self, page: Page) -> dict[str, str]:
        language = self.session.language
        if isinstance(page, ConsentPage):
            if self.session.answers.get(page.id) is not True:
                return {page.id: self.content.text("consent_required", language)}
            if page.signature and not self.session.signature_png:
                return {f"{page.id}__signature": self.content.text("signature_required", language)}
            return {}
        today = self.clock().astimezone().date()
        found: dict[str, Problem] = page_problems(self.content, page, self.session.answers, today)
        return {qid: problem.render(self.content, language) for qid, problem in found.items()}

    def _check_urgent(self) -> None:
        """An urgent flag reaches people at once: crisis information for the patient, a signal for staff."""
        answers = effective_answers(self.content, self.session.answers)
        found = assess(self.content, answers, self.clock().astimezone().date())
        urgent = frozenset(f.id for f in found.flags if f.severity == Severity.URGENT)
        new = urgent - self.session.urgent_seen
        self.session.urgent_seen |= urgent
        if new and self.view:
            self.view.alert_staff("urgent")
            self.view.show_crisis()

    def _autosave(self) -> None:
        try:
            self.journal.record(self.session)
        except Exception as exc:  # noqa: BLE001 - autosave is a safety net; the patient goes on regardless
            log.error("autosave failed (%s)", type(exc).__name__)

    def _go(self, position: str) -> None:
        self.session.position = position
        self._show()

    def _show(self) -> None:
        if self.view:
            self.view.show_screen(self.screen())
